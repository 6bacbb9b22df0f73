"""Import runs: what each run of `import_seeds` saw, changed and refused, for editors."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from ..models import ImportRun
from .display import changelist_url
from .read_only import ReadOnlyAdminMixin


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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
        if not run.rejections:
            return "None."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((r.get("file", ""), r.get("line") or "", r.get("reason", "")) for r in run.rejections),
        )
        return format_html(
            "<table><thead><tr><th>file</th><th>line</th><th>reason</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="warnings")
    def warning_list(self, run):
        if not run.warning_messages:
            return "None."
        items = format_html_join("", "<li>{}</li>", ((w,) for w in run.warning_messages))
        return format_html("<ul>{}</ul>", items)
