"""Template tags of the admin's review desk."""

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.views.main import SEARCH_VAR
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()

MAX_YEARS = 30


@register.filter
def desk_when(moment) -> str:
    """A moment on the desk: "6 Dec 14:30", with the year when it is not this year's."""
    if not moment:
        return "—"
    local, now = timezone.localtime(moment), timezone.localtime()
    return date_format(local, "j M H:i" if local.year == now.year else "j M Y H:i")


@register.inclusion_tag("admin/date_hierarchy.html")
def cheap_date_hierarchy(cl):
    """The admin's date hierarchy, without its DISTINCT-by-year scan of the whole list.

    At the top level Django lists the years that have articles with a SELECT DISTINCT over every
    matching row; a news list has articles in every year between its first and its last, so the
    years are taken from the first and the last date (index lookups). Deeper levels are Django's
    own, over one year's rows.
    """
    field = cl.date_hierarchy
    lookups = [f"{field}__{part}" for part in ("year", "month", "day")]
    if any(cl.params.get(lookup) for lookup in lookups):
        return admin_list.date_hierarchy(cl)
    # Two LIMIT 1 lookups along the date index; one MIN+MAX query makes SQLite scan it all.
    # A list that holds only the newest matches of a search offers the years of the list
    # unsearched (ArticleChangeList): a year's matches are a click away.
    listed = getattr(cl, "unsearched_queryset", None)
    listed = cl.queryset if listed is None else listed
    dates = listed.order_by().exclude(**{field: None}).values_list(field, flat=True)
    first, last = dates.order_by(field).first(), dates.order_by(f"-{field}").first()
    if not (first and last):
        return {"show": False}
    first, last = timezone.localtime(first), timezone.localtime(last)
    if first.year == last.year:
        # What Django would pick itself, without asking the database for MIN and MAX again.
        start = {lookups[0]: str(first.year)}
        if first.month == last.month:
            start[lookups[1]] = str(first.month)
        saved, cl.params = cl.params, {**cl.params, **start}
        try:
            return admin_list.date_hierarchy(cl)
        finally:
            cl.params = saved
    if last.year - first.year > MAX_YEARS:
        return admin_list.date_hierarchy(cl)
    return {
        "show": True,
        "choices": [
            {"link": cl.get_query_string({lookups[0]: year}, [f"{field}__"]), "title": str(year)}
            for year in range(first.year, last.year + 1)
        ],
    }


@register.inclusion_tag("admin/articles/_active_filters.html")
def active_filters(cl):
    """The filters, search and dates that narrow the list, each with a link that takes it
    away, for the top of the list (the sidebar is out of sight on a phone and below the fold)."""
    chips = []
    if cl.query:
        chips.append(
            {"label": f"search: “{cl.query}”", "remove": cl.get_query_string(remove=[SEARCH_VAR])}
        )
    for spec in cl.filter_specs:
        everything = spec.expected_parameters()
        for choice in list(spec.choices(cl))[1:]:  # the first is "All"
            if choice["selected"]:
                # A filter of several choices (ReviewStateFilter) says how to drop just one.
                remove = choice.get("remove_query_string") or cl.get_query_string(remove=everything)
                label = choice.get("label", choice["display"])
                chips.append({"label": f"{spec.title}: {label}", "remove": remove})
    if cl.date_hierarchy:
        field = cl.date_hierarchy
        parts = [cl.params.get(f"{field}__{part}") for part in ("year", "month", "day")]
        if parts[0]:
            label = "-".join(part for part in parts if part)
            chips.append(
                {
                    "label": f"source date: {label}",
                    "remove": cl.get_query_string(remove=[f"{field}__"]),
                }
            )
    return {
        "chips": chips,
        "clear_all": cl.get_query_string(remove=[SEARCH_VAR, *cl.get_filters_params()])
        if len(chips) > 1
        else None,
    }
