"""The read API as a client uses it: only what readers may see, lists paged by cursor (stable
while editors publish), the filters, answers cached like reader pages and refreshed on the same
changes, ETag and Last-Modified with 304s, and a rate limit per client."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, Story
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def every_page(client, url) -> list[int]:
    found = []
    while url:
        response = client.get(url)
        found += ids(response)
        url = response.json()["next"]
    return found


@pytest.fixture
def decide(django_capture_on_commit_callbacks):
    """decide(article, published): an editor's decision, its readers' refresh run as on commit."""

    def decide(article, published, schedule=None):
        with django_capture_on_commit_callbacks(execute=True):
            Article.objects.filter(pk=article.pk).set_published(published, None, schedule=schedule)

    return decide


def test_only_what_readers_may_see_is_listed_and_detailed(client):
    live = make_article("Live")
    held = make_article("Held", published=False)
    embargoed = make_article("Embargoed", publish_at=timezone.now() + dt.timedelta(hours=1))
    expired = make_article(
        "Expired",
        publish_at=timezone.now() - dt.timedelta(hours=2),
        unpublish_at=timezone.now() - dt.timedelta(hours=1),
    )

    assert ids(client.get(ARTICLES)) == [live.pk]
    assert client.get(f"{ARTICLES}{live.pk}/").json()["title"] == "Live"
    for hidden in (held, embargoed, expired):
        response = client.get(f"{ARTICLES}{hidden.pk}/")
        assert response.status_code == 404
        assert "Held" not in response.content.decode()
    assert client.get(f"{ARTICLES}999999/").status_code == 404


def test_pages_follow_next_to_the_end_newest_first(client):
    made = [make_article() for _ in range(45)]
    first = client.get(ARTICLES).json()
    assert len(first["results"]) == 20 and first["next"].startswith("http://testserver/api/")

    assert every_page(client, ARTICLES) == [a.pk for a in reversed(made)]


def test_a_cursor_stays_put_while_editors_publish_and_take_down(client, decide):
    made = [make_article() for _ in range(30)]
    first = client.get(ARTICLES).json()
    newest_seen = first["results"][0]["id"]
    # Meanwhile: a new article on top, one of the first page taken down.
    make_article("Brand new")
    decide(Article.objects.get(pk=newest_seen), False)

    rest = every_page(client, first["next"])
    assert rest == [a.pk for a in reversed(made)][20:]  # nothing repeated, nothing skipped


def test_filters_by_topic_provider_story_and_search(client):
    story = Story.objects.create()
    rain = make_article("Heavy rain floods the valley", topics=("Weather",), story=story)
    make_article("Sunny all week", topics=("Weather",), provider=("Other", "other.example"))
    make_article("Cup final tonight", topics=("Sport",), story=story)
    make_article("Held weather", topics=("Weather",), published=False)

    weather = ids(client.get(ARTICLES + "?topic=weather"))
    assert len(weather) == 2 and rain.pk in weather
    assert len(ids(client.get(ARTICLES + "?provider=other.example"))) == 1
    assert len(ids(client.get(ARTICLES + f"?story={story.pk}"))) == 2
    assert ids(client.get(ARTICLES + "?q=floods")) == [rain.pk]
    assert ids(client.get(ARTICLES + "?q=floods&topic=sport")) == []
    assert ids(client.get(ARTICLES + "?topic=no-such-topic")) == []
    assert ids(client.get(ARTICLES + "?provider=nowhere.example")) == []


def test_since_lists_what_changed_its_content_or_its_visibility(client, decide):
    with time_machine.travel(dt.datetime(2031, 1, 1, tzinfo=dt.UTC), tick=False) as clock:
        old = make_article("Old news")
        held = make_article("Decided later", published=False)
        clock.shift(dt.timedelta(days=2))
        changed = make_article("Changed later")
        decide(held, True)
        since = "2031-01-02T00:00:00Z"
        assert sorted(ids(client.get(ARTICLES + f"?since={since}"))) == sorted(
            [changed.pk, held.pk]
        )
        assert old.pk in ids(client.get(ARTICLES + "?since=2030-12-31"))


def test_an_answer_refreshes_on_an_editors_decision_and_on_an_embargo(client, decide):
    article = make_article("Soon out")
    url = f"{ARTICLES}{article.pk}/"
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Cache"] == "hit"
    assert client.get(ARTICLES)["X-Cache"] == "miss"

    decide(article, False)
    assert client.get(url).status_code == 404
    assert ids(client.get(ARTICLES)) == []

    with time_machine.travel(timezone.now(), tick=False) as clock:
        decide(article, True, schedule=(timezone.now() + dt.timedelta(minutes=2), None))
        assert ids(client.get(ARTICLES)) == []
        assert ids(client.get(ARTICLES)) == []  # from the cache
        clock.shift(dt.timedelta(minutes=3))
        assert ids(client.get(ARTICLES)) == [article.pk]


def test_every_answer_has_an_etag_and_last_modified_and_304s_if_none_match(client):
    article = make_article("Tagged")
    for url in (
        ARTICLES,
        f"{ARTICLES}{article.pk}/",
        "/api/v1/topics/",
        "/api/v1/providers/",
        "/api/v1/stories/",
    ):
        built, cached = client.get(url), client.get(url)
        assert cached["X-Cache"] == "hit"
        for answer in (built, cached):
            assert answer["ETag"] == built["ETag"]
            assert answer["Last-Modified"] == built["Last-Modified"]
        again = client.get(url, HTTP_IF_NONE_MATCH=built["ETag"])
        assert again.status_code == 304 and again.content == b""
    detail = client.get(f"{ARTICLES}{article.pk}/")
    assert detail["Last-Modified"] == article.updated_at.strftime("%a, %d %b %Y %H:%M:%S GMT")


def test_stories_topics_and_providers_show_nothing_held(client):
    story = Story.objects.create()
    make_article("Held lead, best quality", quality=99, published=False, story=story)
    seen = make_article("Seen telling", quality=1, story=story, topics=("Floods",))
    make_article("Held only", published=False, topics=("Secret",), provider=("Hid", "hid.example"))
    Story.objects.create()  # no article at all
    story.refresh()

    stories = client.get("/api/v1/stories/").json()["results"]
    assert [(s["id"], s["title"], s["article_count"]) for s in stories] == [
        (story.pk, seen.title, 1)
    ]
    assert client.get(f"/api/v1/stories/{story.pk}/").json()["title"] == seen.title
    topics = client.get("/api/v1/topics/").json()["results"]
    assert [(t["slug"], t["article_count"]) for t in topics] == [("floods", 1)]
    providers = client.get("/api/v1/providers/").json()["results"]
    assert [p["domain"] for p in providers] == ["example.com"]


def test_a_client_over_the_rate_limit_is_told_when_to_come_back(client, settings):
    settings.API_RATE_LIMIT = "3/min"
    make_article()
    answers = [client.get(ARTICLES) for _ in range(3)]
    assert all(a.status_code == 200 for a in answers)  # the cached ones count too
    refused = client.get(ARTICLES)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Too many requests" in refused.json()["detail"]
    other = client.get(ARTICLES, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200  # per client
    assert client.get("/").status_code == 200  # reader pages are not the API's limit
