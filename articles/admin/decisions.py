"""Review decisions: every publish, unpublish and schedule change, for editors to look back on."""

from django.contrib import admin

from articles.admin.decision_rows import (
    DayFilter,
    EditorFilter,
    GroupingFilter,
    StrokeChangeList,
    change_text,
    stroke_cell,
)
from articles.admin.display import schedule_text, username
from articles.admin.filters import DecisionArticleFilter
from articles.admin.read_only import ReadOnlyAdminMixin
from articles.admin.strict import StrictAdminMixin
from articles.models import ReviewDecision


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(StrictAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Recent decisions, for editors: read-only, newest first."""

    list_display = ["decided_at", "article_link", "what", "schedule", "editor_name", "via"]
    list_filter = [
        EditorFilter,
        DayFilter,
        GroupingFilter,
        "change",
        "via",
        DecisionArticleFilter,
    ]
    list_select_related = ["article", "editor", "undoes"]
    search_fields = ["article__title"]
    date_hierarchy = "decided_at"
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": "Recent decisions", **(extra_context or {})}
        )

    def get_changelist(self, request, **kwargs):
        return StrokeChangeList

    @admin.display(description="article", ordering="article__title")
    def article_link(self, decision):
        """The article, and the other articles decided in the same stroke (a story, a bulk
        action): one row for one decision."""
        return stroke_cell(decision)

    @admin.display(description="change", ordering="change")
    def what(self, decision):
        return change_text(decision)

    @admin.display(description="schedule")
    def schedule(self, decision):
        return schedule_text(decision.publish_at, decision.unpublish_at)

    @admin.display(description="editor", ordering="editor__username")
    def editor_name(self, decision):
        return username(decision.editor)
