"""The desk's reading of import rules' flags (`ImportRule.Action.FLAG`): which waiting articles
a rule flagged for a saved desk view, and the mark each flagged item shows ("Flagged for
Markets by rule Wires at dawn"). A flag is a `RuleFiring` with its `desk_view`; the view lists
its filters' matches or its flagged articles (`Desk.queryset`)."""

from django.db.models import Exists, OuterRef, Q, Subquery

from articles.models import ImportRule, RuleFiring

FLAG = ImportRule.Action.FLAG


def flagged_for(view) -> Q:
    """The articles a rule flagged for the saved desk view `view`."""
    return Q(Exists(RuleFiring.objects.filter(article=OuterRef("pk"), desk_view=view)))


def flagged() -> Q:
    """The articles any rule flagged, for any view (one since deleted too)."""
    return Q(Exists(RuleFiring.objects.filter(article=OuterRef("pk"), action=FLAG)))


def with_flag(queryset):
    """`queryset` with each article's latest flag read in the same query (no query more for
    the page): `flag_view` (the view's name now, else as recorded) and `flag_rule`."""
    latest = RuleFiring.objects.filter(article=OuterRef("pk"), action=FLAG).order_by("-id")
    return queryset.annotate(
        flag_view=Subquery(latest.values("desk_view__name")[:1]),
        flag_recorded=Subquery(latest.values("detail")[:1]),
        flag_rule=Subquery(latest.values("rule_name")[:1]),
    )


def flag_mark(article) -> str:
    """ "Flagged for <view> by rule <rule>", or "" for an article no rule flagged."""
    rule = getattr(article, "flag_rule", None)
    if rule is None:
        return ""
    view = article.flag_view or article.flag_recorded or "a deleted view"
    return f"Flagged for {view} by rule {rule}"
