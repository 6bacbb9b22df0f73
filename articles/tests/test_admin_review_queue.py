"""The review queue and article list, through HTTP as each role."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ImportRun, ReviewDecision

from .factories import make_article, make_provider
from .helpers import CHANGELIST, action, log_in

pytestmark = pytest.mark.django_db

QUEUE = CHANGELIST + "?review=waiting"


def titles(response):
    return [article.title for article in response.context["cl"].result_list]


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_the_admin_index_and_sidebar_lead_to_the_review_queue(client, role):
    log_in(client, role)
    index = client.get("/admin/").content.decode()
    assert f'href="{QUEUE}"' in index

    sidebar = client.get("/admin/articles/provider/").content.decode()
    assert f'href="{QUEUE}"' in sidebar


def test_the_queue_shows_unreviewed_articles_best_first_while_the_bare_list_shows_all(client):
    now = timezone.now()
    make_article(title="reviewed", quality=40, reviewed_at=now)
    make_article(title="no quality", quality=None, heat=99)
    make_article(title="good, cool", quality=30, heat=1)
    make_article(
        title="good, hot, old", quality=30, heat=80, source_published_at=now - dt.timedelta(days=3)
    )
    make_article(title="good, hot, new", quality=30, heat=80, source_published_at=now)
    make_article(title="weak", quality=5, heat=None)
    log_in(client, "editor")

    queue = client.get(QUEUE)
    assert queue.status_code == 200
    assert titles(queue) == ["good, hot, new", "good, hot, old", "good, cool", "weak", "no quality"]
    assert "Review queue" in queue.content.decode()

    everything = client.get(CHANGELIST)
    assert len(titles(everything)) == 6
    assert titles(everything)[0] == "reviewed"


def test_the_queue_shows_what_an_editor_decides_from(client):
    provider = make_provider("wire.example", "The Wire")
    make_article(
        title="Budget vote",
        provider=provider,
        topics=["Politics", "Economy"],
        quality=21,
        heat=64,
        published=True,
        source_published=False,
        publish_at=timezone.now() + dt.timedelta(days=1),
    )
    log_in(client, "editor")
    page = client.get(QUEUE).content.decode()
    for text in ["Budget vote", "The Wire", "Economy, Politics", "21", "64", "Embargoed until"]:
        assert text in page
    assert "source suggests not" in page


def test_filters_narrow_the_list(client):
    run = ImportRun.objects.create()
    tech = make_provider("tech.example", "Tech Daily")
    now = timezone.now()
    make_article(
        title="A",
        published=False,
        provider=tech,
        topics=["AI"],
        category="news",
        type="article",
        quality=35,
        heat=90,
        import_run=run,
    )
    make_article(
        title="B",
        published=True,
        source_published=False,
        reviewed_at=now,
        quality=20,
        heat=40,
        category="opinion",
    )
    make_article(
        title="C",
        published=False,
        source_published=True,
        quality=None,
        heat=5,
        type="video",
        source_published_at=dt.datetime(2021, 5, 1, tzinfo=dt.UTC),
    )
    log_in(client, "editor")

    def listed(query):
        response = client.get(CHANGELIST + "?" + query)
        assert response.status_code == 200, query
        return sorted(titles(response))

    assert listed("review=waiting") == ["A", "C"]
    assert listed("review=published") == ["B"]
    assert listed("review=unpublished") == ["A", "C"]
    assert listed("disagrees=yes") == ["B", "C"]
    assert listed(f"provider={tech.pk}") == ["A"]
    assert listed(f"topic={Article.objects.get(title='A').topics.get().pk}") == ["A"]
    assert listed("category=opinion") == ["B"]
    assert listed("type=video") == ["C"]
    assert listed("quality_band=high") == ["A"]
    assert listed("quality_band=mid") == ["B"]
    assert listed("quality_band=none") == ["C"]
    assert listed("heat_band=hot") == ["A"]
    assert listed("heat_band=cool") == ["C"]
    assert listed(f"import_run={run.pk}") == ["A"]
    assert listed("source_published_at__year=2021") == ["C"]


def test_the_provider_filter_finds_providers_by_name_or_domain(client):
    make_article(provider=make_provider("tech.example", "Tech Daily"))
    make_article(provider=make_provider("farm.example", "Farm Weekly"))
    log_in(client, "editor")

    page = filter_sidebar(client.get(CHANGELIST + "?review=waiting&provider_q=TECH"))
    assert "Tech Daily" in page and "Farm Weekly" not in page
    # The search form carries the other filters along.
    assert 'type="hidden" name="review" value="waiting"' in page
    page = filter_sidebar(client.get(CHANGELIST + "?provider_q=farm.ex"))
    assert "Farm Weekly" in page and "Tech Daily" not in page


def filter_sidebar(response):
    page = response.content.decode()
    return page[page.index('<nav id="changelist-filter"') :]


def test_search_covers_title_excerpt_and_provider(client):
    make_article(title="Harvest report", excerpt="Grain prices")
    make_article(title="Other", provider=make_provider("grain-news.example", "Crop Wire"))
    make_article(title="Unrelated")
    log_in(client, "editor")
    assert sorted(titles(client.get(CHANGELIST + "?q=grain"))) == ["Harvest report", "Other"]
    assert titles(client.get(CHANGELIST + "?q=Crop+Wire")) == ["Other"]
    assert titles(client.get(CHANGELIST + "?q=harvest")) == ["Harvest report"]
    # Every word must match somewhere; quotes keep a phrase together.
    assert titles(client.get(CHANGELIST + "?q=grain+wire")) == ["Other"]
    assert titles(client.get(CHANGELIST + '?q="report+grain"')) == []
    assert titles(client.get(CHANGELIST + '?q="harvest+report"')) == ["Harvest report"]


def test_an_editor_publishes_from_the_queue_and_is_told_what_happened(client):
    waiting = [make_article(published=False) for _ in range(2)]
    already = make_article(published=True, reviewed_at=timezone.now())
    editor = log_in(client, "editor")

    response = action(client, "publish_selected", *waiting, already)

    assert response.status_code == 200
    assert "2 articles published. 1 was already published." in response.content.decode()
    assert Article.objects.published().count() == 3
    decisions = ReviewDecision.objects.filter(via=ReviewDecision.Via.LIST_ACTION, editor=editor)
    assert decisions.count() == 2
    # Decided articles leave the queue.
    assert titles(client.get(QUEUE)) == []


def test_publishing_from_the_queue_reports_on_the_articles_that_left_it(client):
    waiting = [make_article(published=False) for _ in range(2)]
    log_in(client, "editor")
    response = action(client, "publish_selected", *waiting, url=QUEUE)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0].startswith("2 articles published. <form")  # with its Undo button
    assert titles(response) == []


def test_publishing_an_embargoed_article_warns_that_readers_do_not_see_it_yet(client):
    article = make_article(published=False, publish_at=timezone.now() + dt.timedelta(hours=2))
    log_in(client, "editor")
    page = action(client, "publish_selected", article).content.decode()
    assert "1 article published." in page
    assert "1 of them is not visible to readers now because of its schedule." in page


def test_unpublishing_reports_counts(client):
    live = make_article(published=True)
    off = make_article(published=False, reviewed_at=timezone.now())
    log_in(client, "superuser")
    page = action(client, "unpublish_selected", live, off).content.decode()
    assert "1 article unpublished. 1 was already unpublished." in page
    assert not Article.objects.published().exists()


@pytest.mark.parametrize("role", ["staff", "plain"])
def test_staff_who_are_not_editors_cannot_publish_even_by_posting_the_action(client, role):
    article = make_article(published=False)
    log_in(client, role)
    page = client.get(CHANGELIST)
    if role == "plain":  # staff status but no permissions at all
        assert page.status_code == 403
    else:
        assert page.status_code == 200
        assert "publish_selected" not in page.content.decode()

    response = action(client, "publish_selected", article)

    assert response.status_code in (200, 403)
    article.refresh_from_db()
    assert article.published is False and article.reviewed_at is None
    assert not ReviewDecision.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    article = make_article(published=False)
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    response = client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [article.pk]}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.published


def test_the_list_costs_the_same_few_queries_at_10_and_200_articles(client):
    log_in(client, "editor")
    providers = [make_provider() for _ in range(5)]

    def add(n):
        for i in range(n):
            make_article(
                provider=providers[i % 5], topics=[f"topic {i % 7}", "shared"], quality=i % 40
            )

    def queries(url):
        client.get(url)  # warm the filter-choice cache as a second visit would have it
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), len(response.context["cl"].result_list)

    add(10)
    small = {url: queries(url) for url in (QUEUE, CHANGELIST, CHANGELIST + "?q=story")}
    add(190)
    large = {url: queries(url) for url in small}

    for url in small:
        assert small[url][0] == large[url][0], url
        assert large[url][0] <= 10, url
    assert large[QUEUE][1] == 50  # a full page of rows, not 10


def test_an_older_import_run_can_still_be_chosen_from_its_link(client):
    old_run = ImportRun.objects.create(started_at=timezone.now() - dt.timedelta(days=30))
    make_article(title="from the old run", import_run=old_run)
    make_article(title="other")
    for _ in range(10):
        ImportRun.objects.create()
    log_in(client, "editor")
    response = client.get(CHANGELIST + f"?import_run={old_run.pk}")
    assert titles(response) == ["from the old run"]
    assert f"#{old_run.pk}, " in filter_sidebar(response)
