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
        "status",
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
        ("started_by", "status"),
        "paths",
        ("files_seen", "created", "updated", "unchanged", "rejected", "warnings"),
        "articles_link",
        "rejection_table",
        "warning_list",
    ]
    readonly_fields = [
        name for item in fields for name in (item if isinstance(item, tuple) else [item])
    ]

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
