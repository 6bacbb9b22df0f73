"""Import runs: what each run of `import_seeds` saw, changed and refused, for editors."""

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from articles.admin import upload
from articles.admin.display import changelist_url, render_fragment, when
from articles.admin.read_only import ReadOnlyAdminMixin
from articles.admin.strict import StrictAdminMixin
from articles.ingest.sources import configured_sources
from articles.models import ImportRun, ImportSource


def source_health() -> list[dict]:
    """Each watched source (IMPORT_SOURCES) as the index shows it."""
    known = {source.location: source for source in ImportSource.objects.all()}
    poll_seconds = settings.IMPORT_EVERY * 60
    health = []
    for location in configured_sources():
        source = known.get(location) or ImportSource(location=location)
        health.append(
            {
                "location": location,
                "last_polled": when(source.last_polled_at) if source.last_polled_at else "never",
                "last_delivery": (
                    when(source.last_delivery_at) if source.last_delivery_at else "never"
                ),
                "run_url": (
                    reverse("admin:articles_importrun_change", args=[source.last_run_id])
                    if source.last_run_id
                    else ""
                ),
                "files_seen": source.files_seen,
                "rejected": source.rejected,
                "error": source.last_error,
                "silent": source.silent_too_long(poll_seconds=poll_seconds),
            }
        )
    return health


@admin.register(ImportRun)
class ImportRunAdmin(StrictAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "started_at",
        "started_by",
        "state",
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
        ("started_by", "state", "progress"),
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
        """The admin index's imports box: the link to Import seeds (for those who may) and each
        watched source's health (for those who may see import runs)."""
        context = {}
        if request.user.has_perm(upload.PERMISSION):
            context["import_seeds_url"] = reverse("admin:articles_importrun_upload")
        if request.user.has_perm("articles.view_importrun"):
            context["import_sources"] = source_health()
        return context

    @admin.display(description="progress")
    def progress(self, run):
        return run.progress_text or "—"

    @admin.display(description="skipped by import rules (not rejected)")
    def skipped_list(self, run):
        return render_fragment("_import_skipped.html", skipped=run.skipped_files)

    @admin.display(description="state", ordering="status")
    def state(self, run):
        """Finished, failed or running; a run that refused files says how many."""
        css = "import-state-clean" if run.went_cleanly else f"import-state-{run.status}"
        if run.status == run.Status.FINISHED and run.rejected:
            css = "import-state-rejected"
        return format_html('<span class="import-state {}">{}</span>', css, run.state)

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
