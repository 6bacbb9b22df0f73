"""Import runs: what each run of `import_seeds` saw, changed and refused, for editors."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from articles.admin import upload
from articles.admin.display import changelist_url, render_fragment
from articles.admin.read_only import ReadOnlyAdminMixin
from articles.admin.strict import StrictAdminMixin
from articles.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(StrictAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "started_at",
        "started_by",
        "status",
        "files_seen",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "skipped",
        "warnings",
        "articles_link",
    ]
    list_filter = ["status"]
    fields = [
        ("started_at", "finished_at"),
        ("started_by", "status", "progress"),
        "paths",
        ("files_seen", "created", "updated", "unchanged", "rejected", "skipped", "warnings"),
        "articles_link",
        "rejection_table",
        "skipped_list",
        "warning_list",
    ]
    readonly_fields = [
        name for item in fields for name in (item if isinstance(item, tuple) else [item])
    ]

    change_form_template = "admin/articles/importrun/change_form.html"
    change_list_template = "admin/articles/importrun/change_list.html"

    def get_urls(self):
        return upload.urls(self.admin_site) + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        may_upload = request.user.has_perm(upload.PERMISSION)
        return super().changelist_view(request, {"may_upload": may_upload, **(extra_context or {})})

    def index_context(self, request):
        """The admin index's link to Import seeds (for those who may)."""
        if not request.user.has_perm(upload.PERMISSION):
            return {}
        return {"import_seeds_url": reverse("admin:articles_importrun_upload")}

    @admin.display(description="progress")
    def progress(self, run):
        return run.progress_text or "—"

    @admin.display(description="skipped by import rules (not rejected)")
    def skipped_list(self, run):
        return render_fragment("_import_skipped.html", skipped=run.skipped_files)

    @admin.display(description="articles")
    def articles_link(self, run):
        url = changelist_url("article", import_run=run.pk)
        return format_html('<a href="{}">Articles this run created or changed</a>', url)

    @admin.display(description="rejected files")
    def rejection_table(self, run):
        return render_fragment("_import_rejections.html", rejections=run.rejections)

    @admin.display(description="warnings")
    def warning_list(self, run):
        return render_fragment("_import_warnings.html", warnings=run.warning_messages)
