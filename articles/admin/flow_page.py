"""The editors' dashboard, /admin/flow/: the flow of the last two days as charts (SVG drawn
here, `charts.py`), each with its numbers in a table, from `articles.flow` (a fixed number of
queries). Linked from the admin index's review box; for staff who may view articles."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format

from articles.admin.charts import bar_chart, line_chart
from articles.flow import WINDOW_HOURS, ProviderFlow, flow


def wait_text(wait) -> str:
    """A wait as an editor reads it: "3 h 20 min", "12 min", "2 d 4 h"; "—" for none."""
    if wait is None:
        return "—"
    minutes = int(wait.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


# The providers' table names the busiest; the rest are one row ("1,970 other providers").
PROVIDERS_SHOWN = 30


def provider_rows(providers) -> list[dict]:
    shown, rest = providers[:PROVIDERS_SHOWN], providers[PROVIDERS_SHOWN:]
    if rest:
        totals = [sum(getattr(p, name) for p in rest) for name in ProviderFlow.COUNTS]
        shown = [*shown, ProviderFlow(f"{len(rest):,} other providers", *totals)]
    return [
        {
            "name": p.name,
            "arrived": p.arrived,
            "published": p.published,
            "published_rate": percent(p.rate(p.published)),
            "kept": p.kept,
            "kept_rate": percent(p.rate(p.kept)),
            "waiting": p.waiting,
            "waiting_rate": percent(p.rate(p.waiting)),
        }
        for p in shown
    ]


def percent(share: float) -> str:
    return f"{share:.0%}"


def flow_context(now=None) -> dict:
    picture = flow(now)
    labels = [date_format(timezone.localtime(h.start), "H:i") for h in picture.hours]
    rows = [
        {
            "when": date_format(timezone.localtime(h.start), "j M H:i"),
            "arrivals": h.arrivals,
            "decisions": h.decisions,
            "queue": h.queue,
        }
        for h in picture.hours
    ]
    busiest = max(picture.hours, key=lambda h: h.arrivals + h.decisions)
    busiest_at = date_format(timezone.localtime(busiest.start), "j M H:i")
    queues = [h.queue for h in picture.hours]
    return {
        "flow": picture,
        "hours": WINDOW_HOURS,
        "rows": rows,
        "median_wait": wait_text(picture.median_wait),
        "p90_wait": wait_text(picture.p90_wait),
        "providers": provider_rows(picture.providers),
        "per_hour_chart": bar_chart(
            "chart-per-hour",
            f"Arrivals and decisions per hour, last {WINDOW_HOURS} hours",
            f"{picture.arrivals:,} articles arrived and {picture.decisions:,} decisions were"
            f" made; the busiest hour began at {busiest_at} ({busiest.arrivals:,} arrived,"
            f" {busiest.decisions:,} decided).",
            labels,
            [
                ("chart-arrivals", [h.arrivals for h in picture.hours]),
                ("chart-decisions", [h.decisions for h in picture.hours]),
            ],
        ),
        "queue_chart": line_chart(
            "chart-queue",
            f"Review queue at the end of each hour, last {WINDOW_HOURS} hours",
            f"The queue went from {queues[0]:,} to {queues[-1]:,} articles, at most"
            f" {max(queues):,} and at least {min(queues):,}; {picture.waiting:,} wait now.",
            labels,
            queues,
        ),
    }


def flow_view(admin_site):
    def view(request):
        if not request.user.has_perm("articles.view_article"):
            raise PermissionDenied
        context = {
            **admin_site.each_context(request),
            "title": "The flow",
            "subtitle": f"Last {WINDOW_HOURS} hours",
            **flow_context(),
        }
        return TemplateResponse(request, "admin/articles/flow.html", context)

    return view


def flow_urls(article_admin):
    """/admin/flow/ (`admin:flow`), behind the admin's own check (staff, logged in)."""
    site = article_admin.admin_site
    return [path("flow/", site.admin_view(flow_view(site)), name="flow")]
