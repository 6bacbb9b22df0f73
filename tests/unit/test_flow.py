"""The flow of work, as the editors' dashboard reads it (articles/flow.py): arrivals and
decisions per hour, the queue worked back hour by hour, waits to a decision, and providers."""

import datetime as dt

import pytest

from articles.flow import QUERIES, WINDOW_HOURS, flow
from articles.models import Article
from tests.support.factories import make_article, make_provider, user_in_role

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 10, 30, tzinfo=dt.UTC)


def arrive(title, hours_ago, provider=None, decided_hours_ago=None, published=False, editor=None):
    article = make_article(title=title, provider=provider, published=False)
    created = NOW - dt.timedelta(hours=hours_ago)
    Article.objects.filter(pk=article.pk).update(created_at=created)
    if decided_hours_ago is not None:
        Article.objects.filter(pk=article.pk).set_published(published, editor)
        Article.objects.filter(pk=article.pk).update(
            reviewed_at=NOW - dt.timedelta(hours=decided_hours_ago)
        )
        article.decisions.update(decided_at=NOW - dt.timedelta(hours=decided_hours_ago))
    return article


def test_the_flow_counts_each_hour_and_works_the_queue_back(django_assert_max_num_queries):
    editor = user_in_role("editor")
    port, coast = make_provider("port.example", "Port"), make_provider("coast.example", "Coast")
    arrive("old, still waiting", 100, port)
    arrive(
        "old, decided in the window", 100, port, decided_hours_ago=5, published=True, editor=editor
    )
    arrive("came and went", 10, coast, decided_hours_ago=4, published=False, editor=editor)
    arrive("new, waiting", 2, coast)
    arrive("quick", 3, coast, decided_hours_ago=2.5, published=True, editor=editor)

    with django_assert_max_num_queries(QUERIES):
        picture = flow(NOW)

    assert len(picture.hours) == WINDOW_HOURS
    assert picture.hours[-1].start == dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)
    by_start = {h.start: h for h in picture.hours}
    at = lambda hours_ago: by_start[  # noqa: E731
        (NOW - dt.timedelta(hours=hours_ago)).replace(minute=0, second=0)
    ]
    assert at(10).arrivals == 1 and at(2).arrivals == 1 and at(3).arrivals == 1
    assert at(5).decisions == 1 and at(4).decisions == 1
    assert picture.arrivals == 3 and picture.decisions == 3
    assert picture.waiting == 2
    # 12 hours ago: the two old ones waited; the rest had not arrived.
    assert at(12).queue == 2
    # At 01:00: the two old ones and "came and went" (arrived 00:30, decided 06:30).
    assert at(10).queue == 3
    assert at(0).queue == 2
    # Waits: 0.5 h, 6 h and 95 h; the median is 6 h, the 90th percentile 95 h.
    assert picture.decided_in_window == 3
    assert picture.median_wait == dt.timedelta(hours=6)
    assert picture.p90_wait == dt.timedelta(hours=95)

    providers = {p.name: p for p in picture.providers}
    assert (providers["Coast"].arrived, providers["Coast"].published) == (3, 1)
    assert (providers["Coast"].kept, providers["Coast"].waiting) == (1, 1)
    assert providers["Port"].rate(providers["Port"].waiting) == 0.5


def test_an_empty_newsroom_has_a_quiet_flow():
    picture = flow(NOW)
    assert picture.arrivals == picture.decisions == picture.waiting == 0
    assert picture.median_wait is None and picture.providers == []
