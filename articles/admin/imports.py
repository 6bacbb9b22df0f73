"""Import runs: what each run of `import_seeds` saw, changed and refused, for editors."""

from django.contrib import admin
from django.utils.html import format_html

from articles.admin.display import changelist_url, render_fragment
from articles.admin.read_only import ReadOnlyAdminMixin
from articles.admin.strict import StrictAdminMixin
from articles.models import ImportRun


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
        "warnings",
        "articles_link",
    ]
    list_filter = ["status"]
    fields = [
        ("started_at", "finished_at"),
        ("started_by", "state"),
        "paths",
        ("files_seen", "created", "updated", "unchanged", "rejected", "warnings"),
        "articles_link",
        "rejection_table",
        "warning_list",
    ]
    readonly_fields = [
        name for item in fields for name in (item if isinstance(item, tuple) else [item])
    ]

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
