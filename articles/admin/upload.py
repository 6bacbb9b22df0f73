"""Import seeds from the admin: upload seed files or a zip, see a preview of what each file
would do, then Import (a background run, its page showing progress). Nothing is written to the
database before Import; the files wait in a folder of their own (articles/ingest/upload.py)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from articles.ingest.preview import preview_folder
from articles.ingest.upload import UploadRefused, stage, staged_folder
from articles.models import ImportRun
from articles.tasks.imports import queue_import

PERMISSION = "articles.import_seeds"
PREVIEW_ROWS = 2000  # files listed one by one; the counts cover them all


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files if file]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Seed files or .zip",
        help_text=(
            f"Seed files (.txt, .md) or zips of them: at most {settings.IMPORT_UPLOAD_MAX_FILES:,} "
            f"files and {settings.IMPORT_UPLOAD_MAX_BYTES // (1024 * 1024):,} MB uncompressed."
        ),
    )


def urls(admin_site):
    def guarded(view):
        return admin_site.admin_view(require_http_methods(["GET", "POST"])(view))

    return [
        path("upload/", guarded(upload_view(admin_site)), name="articles_importrun_upload"),
        path(
            "upload/import/",
            guarded(confirm_view(admin_site)),
            name="articles_importrun_upload_import",
        ),
    ]


def _context(admin_site, request, title, **extra):
    return {
        **admin_site.each_context(request),
        "title": title,
        "opts": _opts(),
        **extra,
    }


def _opts():
    return ImportRun._meta


def upload_view(admin_site):
    def view(request):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                staged = stage(form.cleaned_data["files"])
            except UploadRefused as error:
                form.add_error("files", str(error))
            else:
                preview = preview_folder(staged.folder, max_bytes=settings.SEED_MAX_BYTES)
                context = _context(
                    admin_site,
                    request,
                    "Import seeds: preview",
                    preview=preview,
                    rows=preview.files[:PREVIEW_ROWS],
                    more=max(0, len(preview.files) - PREVIEW_ROWS),
                    not_seeds=staged.skipped,
                    ticket=staged.ticket,
                )
                return TemplateResponse(request, "admin/articles/upload/preview.html", context)
        context = _context(admin_site, request, "Import seeds", form=form)
        return TemplateResponse(request, "admin/articles/upload/form.html", context)

    return view


def confirm_view(admin_site):
    def view(request):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:articles_importrun_upload"))
        try:
            folder = staged_folder(request.POST.get("ticket", ""))
        except UploadRefused as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:articles_importrun_upload"))
        run = queue_import(folder, request.user.get_username())
        messages.success(request, "The import is under way; this page shows how far it got.")
        return HttpResponseRedirect(reverse("admin:articles_importrun_change", args=[run.pk]))

    return view
