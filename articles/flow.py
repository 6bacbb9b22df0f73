"""The flow of work through the newsroom, for the editors' dashboard: what arrived and what was
decided each hour of the last two days, how long the review queue was, how long an article
waited for its decision, and per provider what became of its articles.

Built in a fixed number of queries (`QUERIES`), whatever the corpus's size: per-hour counts are
filtered counts in one aggregate over the window alone (read through indexes on `created_at`,
`reviewed_at` and the decisions' `decided_at`), the percentiles are two ordered reads at an
offset, and the providers' table is one grouped count.

The queue's length at the end of each hour is worked back from its length now: an article that
arrived since was not in it yet, one reviewed since still was (or had not arrived: then both
count, and cancel). An article's
review counts once, at its latest `reviewed_at` (an undone decision puts it back in the queue).
"""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from articles.db.durations import SecondsBetween
from articles.models import Article, ReviewDecision

WINDOW_HOURS = 48
QUERIES = 8  # what `flow()` asks of the database, whatever the corpus


@dataclass(frozen=True)
class Hour:
    start: dt.datetime
    arrivals: int
    decisions: int
    queue: int  # articles waiting for review at the hour's end


@dataclass(frozen=True)
class ProviderFlow:
    name: str
    arrived: int
    published: int
    kept: int
    waiting: int

    COUNTS = ("arrived", "published", "kept", "waiting")

    def rate(self, count: int) -> float:
        """`count` as a share of what arrived (0 to 1)."""
        return count / self.arrived if self.arrived else 0.0


@dataclass(frozen=True)
class Flow:
    now: dt.datetime
    hours: list[Hour]
    waiting: int
    decided_in_window: int  # articles whose review falls in the window (the percentiles' base)
    median_wait: dt.timedelta | None
    p90_wait: dt.timedelta | None
    providers: list[ProviderFlow] = field(default_factory=list)

    @property
    def arrivals(self) -> int:
        return sum(hour.arrivals for hour in self.hours)

    @property
    def decisions(self) -> int:
        return sum(hour.decisions for hour in self.hours)


def _per_hour(queryset, column: str, starts) -> dict[dt.datetime, int]:
    """How many rows of `queryset` fall in each hour from `starts`: one aggregate of filtered
    counts, compared in SQL (no per-row function; the column's index finds the window)."""
    hour = dt.timedelta(hours=1)
    counts = queryset.order_by().aggregate(
        **{
            f"h{n}": Count("pk", filter=Q(**{f"{column}__gte": h, f"{column}__lt": h + hour}))
            for n, h in enumerate(starts)
        }
    )
    return {h: counts[f"h{n}"] for n, h in enumerate(starts)}


def _wait_at(reviewed, share: float, count: int) -> dt.timedelta | None:
    """The wait (review minus arrival) at `share` of the ordered waits (nearest rank)."""
    if not count:
        return None
    rank = min(count - 1, max(0, math.ceil(share * count) - 1))
    waits = reviewed.annotate(wait=SecondsBetween("reviewed_at", "created_at")).order_by("wait")
    return dt.timedelta(seconds=round(waits.values_list("wait", flat=True)[rank]))


def flow(now: dt.datetime | None = None) -> Flow:
    """The last `WINDOW_HOURS` hours, ending with the current hour, and every provider."""
    now = now or timezone.now()
    end = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    start = end - dt.timedelta(hours=WINDOW_HOURS)
    starts = [start + dt.timedelta(hours=n) for n in range(WINDOW_HOURS)]
    arrived = _per_hour(Article.objects.filter(created_at__gte=start), "created_at", starts)
    reviewed_qs = Article.objects.filter(reviewed_at__gte=start, reviewed_at__lte=now)
    reviewed = _per_hour(reviewed_qs, "reviewed_at", starts)
    decided = _per_hour(
        ReviewDecision.objects.filter(decided_at__gte=start, change__in=ReviewDecision.UNDOABLE),
        "decided_at",
        starts,
    )
    waiting = Article.objects.waiting_for_review().count()

    # The queue at the end of hour h: what waits now, less what arrived after h, plus what was
    # reviewed after h (it was still waiting then, or had not arrived: then both count).
    arrived_later, reviewed_later = {}, {}
    arrivals_since = reviews_since = 0
    for hour in reversed(starts):
        arrived_later[hour], reviewed_later[hour] = arrivals_since, reviews_since
        arrivals_since += arrived.get(hour, 0)
        reviews_since += reviewed.get(hour, 0)
    decided_count = sum(reviewed.values())
    hours = [
        Hour(
            start=h,
            arrivals=arrived.get(h, 0),
            decisions=decided.get(h, 0),
            queue=max(0, waiting - arrived_later[h] + reviewed_later[h]),
        )
        for h in starts
    ]
    return Flow(
        now=now,
        hours=hours,
        waiting=waiting,
        decided_in_window=decided_count,
        median_wait=_wait_at(reviewed_qs, 0.5, decided_count),
        p90_wait=_wait_at(reviewed_qs, 0.9, decided_count),
        providers=provider_flows(),
    )


def provider_flows() -> list[ProviderFlow]:
    """Per provider, every article it sent: published, kept unpublished, still waiting. One
    grouped count, read from the (provider, reviewed_at, published) index alone."""
    reviewed = Q(reviewed_at__isnull=False)
    rows = (
        Article.objects.order_by()
        .values("provider_id")
        .annotate(
            n_arrived=Count("pk"),
            n_published=Count("pk", filter=reviewed & Q(published=True)),
            n_kept=Count("pk", filter=reviewed & Q(published=False)),
        )
        .values_list("provider_id", "n_arrived", "n_published", "n_kept")
    )
    counts = {pk: (a, p, k) for pk, a, p, k in rows}
    provider_model = Article._meta.get_field("provider").related_model
    names = dict(provider_model.objects.values_list("pk", "name"))  # no list of 2,000 ids
    flows = [
        ProviderFlow(names.get(pk, "?"), a, p, k, a - p - k) for pk, (a, p, k) in counts.items()
    ]
    return sorted(flows, key=lambda f: (-f.arrived, f.name))
