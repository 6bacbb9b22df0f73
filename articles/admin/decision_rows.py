"""Review decisions as an editor asks of them: "mine", "today", and one row per stroke.

A stroke is what one editor decided at one moment by one way in (a bulk action, a story on the
desk): `records.review_decision` gives every row of it the same `decided_at`, and
`undo_last` takes the same (editor, moment, way) back as one. The list shows a stroke as one row,
its first decision, with the stroke's other articles listed in it (`StrokeChangeList`, one query
for the page's strokes).
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.admin.strict import StrictChangeList
from articles.models import ReviewDecision

# How many of a stroke's other articles a row names; the rest are counted.
STROKE_TITLES_SHOWN = 8


class EditorFilter(admin.SimpleListFilter):
    """Mine: the decisions of the editor asking."""

    title = "editor"
    parameter_name = "editor"

    def lookups(self, request, model_admin):
        return [("mine", "Mine")]

    def queryset(self, request, queryset):
        return queryset.filter(editor=request.user) if self.value() == "mine" else queryset


class DayFilter(admin.SimpleListFilter):
    """Today (in the site's time zone) or the last 7 days."""

    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("today", "Today"), ("week", "Last 7 days")]

    def queryset(self, request, queryset):
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        if self.value() == "today":
            return queryset.filter(decided_at__gte=today)
        if self.value() == "week":
            return queryset.filter(decided_at__gte=today - timezone.timedelta(days=6))
        return queryset


class GroupingFilter(admin.SimpleListFilter):
    """One row per stroke (the default), or one per article decided."""

    title = "rows"
    parameter_name = "rows"

    def lookups(self, request, model_admin):
        return [("article", "One per article")]

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "All":
                choice["display"] = "One per decision"
            yield choice

    def queryset(self, request, queryset):
        if self.value() == "article":
            return queryset
        earlier_in_stroke = ReviewDecision.objects.filter(
            editor=OuterRef("editor"),
            decided_at=OuterRef("decided_at"),
            via=OuterRef("via"),
            id__lt=OuterRef("id"),
        )
        return queryset.filter(~Exists(earlier_in_stroke))


def stroke_key(decision) -> tuple:
    return (decision.editor_id, decision.decided_at, decision.via)


class StrokeChangeList(StrictChangeList):
    """The list's page, each row carrying its stroke's other decisions (`row.stroke`): one
    query for the whole page, whatever its strokes' sizes. Strict as every list here is."""

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        grouped = self.get_filters_params().get(GroupingFilter.parameter_name) != ["article"]
        strokes = {stroke_key(row): [] for row in rows if row.editor_id is not None}
        if grouped and strokes:
            match = Q()
            for editor_id, at, via in strokes:
                match |= Q(editor_id=editor_id, decided_at=at, via=via)
            others = (
                ReviewDecision.objects.filter(match)
                .exclude(pk__in=[row.pk for row in rows])
                .select_related("article")
                .only("pk", "editor_id", "decided_at", "via", "change", "article__title")
                .order_by("id")
            )
            for other in others:
                strokes[stroke_key(other)].append(other)
        for row in rows:
            row.stroke = strokes.get(stroke_key(row), []) if grouped else []


def article_link(decision):
    url = reverse("admin:articles_article_change", args=[decision.article_id])
    return format_html('<a href="{}">{}</a>', url, decision.article.title)


def stroke_cell(decision):
    """The row's article, then the stroke's others: "and 5 more in this decision: …"."""
    others = getattr(decision, "stroke", [])
    if not others:
        return article_link(decision)
    shown = format_html_join(
        "",
        "<li>{} <span class='quiet'>({})</span></li>",
        ((article_link(d), d.get_change_display()) for d in others[:STROKE_TITLES_SHOWN]),
    )
    rest = len(others) - STROKE_TITLES_SHOWN
    more = format_html("<li>and {} more</li>", rest) if rest > 0 else ""
    return format_html(
        '{} <span class="quiet">({})</span><br><span class="stroke-count">and {} more in this'
        ' decision:</span><ul class="stroke-articles">{}{}</ul>',
        article_link(decision),
        decision.get_change_display(),
        len(others),
        shown,
        more,
    )


def change_text(decision) -> str:
    """What the decision did; an undo says what came back ("Undo of published: unpublished
    again, back in the review queue")."""
    if decision.change != ReviewDecision.Change.UNDO:
        return decision.get_change_display()
    outcome = []
    if decision.published and not decision.was_published:
        outcome.append("published again")
    elif decision.was_published and not decision.published:
        outcome.append("unpublished again")
    undone = decision.undoes
    if undone is not None and undone.was_reviewed_at is None:
        outcome.append("back in the review queue")
    if decision.changed_schedule:
        outcome.append("schedule given back")
    what = f" of {undone.get_change_display()}" if undone is not None else ""
    return f"Undo{what}: {', '.join(outcome) or 'state given back'}"
