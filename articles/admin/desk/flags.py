"""The desk's reading of import rules' flags (`ImportRule.Action.FLAG`): which waiting articles
a rule flagged for a saved desk view, and the mark each flagged item shows ("Flagged for
Markets by rule Wires at dawn"). A flag is a `RuleFiring` with its `desk_view`; the view lists
its filters' matches or its flagged articles (`Desk.queryset`)."""

from django.db.models import Exists, OuterRef, Q

from articles.ingest.rules import DESK_HAS_FLAGS
from articles.models import ImportRule, RuleFiring
from articles.page_cache import remembered

FLAG = ImportRule.Action.FLAG


def flagged_for(view) -> Q:
    """The articles a rule flagged for the saved desk view `view`."""
    return Q(Exists(RuleFiring.objects.filter(article=OuterRef("pk"), desk_view=view)))


def flagged() -> Q:
    """The articles any rule flagged, for any view (one since deleted too)."""
    return Q(Exists(RuleFiring.objects.filter(article=OuterRef("pk"), action=FLAG)))


def flag_marks(article_ids) -> dict[int, str]:
    """Of these articles (those a desk page shows), the ones rules flagged, each with its mark:
    "Flagged for <view> by rule <rule>" (the view's name now, else as recorded), the latest
    flag of each. One query for the page, by the articles' ids: a subquery per row of the
    page's own query would run for every waiting article the sort reads."""
    marks: dict[int, str] = {}
    # Most desks have no flag at all: then not even this query (the desk's query budget). The
    # import that records a first flag forgets the answer; a minute bounds it otherwise.
    if not remembered(
        DESK_HAS_FLAGS, lambda: RuleFiring.objects.filter(action=FLAG).exists(), timeout=60
    ):
        return marks
    rows = (
        RuleFiring.objects.filter(article_id__in=article_ids, action=FLAG)
        .order_by("id")
        .values_list("article_id", "desk_view__name", "detail", "rule_name")
    )
    for article_id, view_name, recorded, rule_name in rows:
        view = view_name or recorded or "a deleted view"
        marks[article_id] = f"Flagged for {view} by rule {rule_name}"
    return marks
