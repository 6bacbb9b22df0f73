"""The page cache cannot be flooded: a page's key holds only the parameters its view reads, in
canonical form, so junk query strings neither build a page each nor store a copy each; and one
host (SITE_URL's, or the request's normalised), so Host variants do not either."""

import random
import re
import string
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from articles import database_version_of_pages
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_pages():
    """The reader-page keys stored during the test."""
    keys = []
    real_set = cache.set

    def spying_set(key, *args, **kwargs):
        if key.startswith("newsroom:reader-page:"):
            keys.append(key)
        return real_set(key, *args, **kwargs)

    with mock.patch.object(cache, "set", spying_set):
        yield keys


def junk_values(count: int) -> list[str]:
    chance = random.Random(20261130)  # the same odd values on every run
    fixed = ["0", "-1", "01", "+2", "1.0", "2 ", "²", "٢", "9" * 30, "", "abc", "1e3", "%00"]
    letters = string.ascii_letters + string.digits + "²³٣ -_.%"
    return fixed + [
        "".join(chance.choice(letters) for _ in range(chance.randint(1, 12)))
        for _ in range(count - len(fixed))
    ]


def test_sixty_odd_page_values_store_no_more_pages_than_there_are(
    client, stored_pages, django_assert_max_num_queries
):
    for number in range(25):
        make_article(f"Story {number}")  # two pages
    for value in junk_values(60):
        for name in ("page", "before", "after", "p", "utm_source"):
            with django_assert_max_num_queries(5):  # 4, and the reader-pages version
                response = client.get("/", {name: value})
            assert response.status_code in (200, 302, 404), (name, value)

    pages = {key.rsplit(":", 1)[1] for key in stored_pages}
    # Page 1 (junk in parameters the home page does not read shares its entry): a cursor of
    # no listed entry's position builds its page but never stores it.
    assert len(pages) == 1, len(stored_pages)


def test_only_cursors_of_listed_entries_are_stored(client, stored_pages):
    for number in range(25):
        make_article(f"Story {number}")
    first = client.get("/").content.decode()
    older = re.search(r'rel="next" href="\?before=([^"]+)"', first)[1]
    assert client.get("/", {"before": older}).status_code == 200
    assert len(stored_pages) == 2  # the first page and the one its link leads to
    date, pk = older.split(".")
    for made_up in (f"{int(date) - 1}.{pk}", f"{date}.{int(pk) + 1000}", "-5.1", "0.99999"):
        response = client.get("/", {"before": made_up})
        assert response.status_code in (200, 302), made_up
    assert len(stored_pages) == 2


def test_a_junk_search_page_is_redirected_without_building_a_page(
    client, stored_pages, django_assert_max_num_queries
):
    for number in range(3):
        make_article(f"Harbour story {number}")
    allowed = 2  # a count, never the listing itself
    if connection.vendor == "postgresql":
        allowed += 4  # the search's time limit in a test's transaction (tests/web/test_views.py)
    for value in junk_values(30):
        if value in ("", "1"):
            continue
        with django_assert_max_num_queries(allowed):
            response = client.get("/search/", {"q": "harbour", "page": value})
        assert response.status_code == 302, value
        assert response["Location"] == "/search/?q=harbour"
    assert stored_pages == []


def test_a_query_is_keyed_as_it_is_searched(client, stored_pages):
    make_article("Harbour story")
    for typed in ("harbour", "  harbour ", "harbour\t", "harbour\x00"):
        page = client.get("/search/", {"q": typed}).content.decode()
        assert "<mark>Harbour</mark> story" in page
    assert len(set(stored_pages)) == 1


def canonical_link(response) -> str:
    return re.search(r'<link rel="canonical" href="([^"]*)"', response.content.decode())[1]


@override_settings(ALLOWED_HOSTS=["news.example.org", "127.0.0.1"])
def test_host_variants_share_one_entry_and_one_canonical_link(client, stored_pages):
    make_article("Harbour story")
    variants = ["news.example.org", "NEWS.Example.ORG", "news.example.org.", "news.example.org:80"]
    for host in variants:
        response = client.get("/", HTTP_HOST=host)
        assert response.status_code == 200, host
        assert canonical_link(response) == "http://news.example.org/", host
    assert len(set(stored_pages)) == 1


@override_settings(ALLOWED_HOSTS=["news.example.org", "127.0.0.1"], SITE_HOST="news.example.org")
def test_with_a_site_url_any_allowed_host_and_port_gets_the_sites_own_page(client, stored_pages):
    make_article("Harbour story")
    for host in ["127.0.0.1:8000", "127.0.0.1:1234", "127.0.0.1:65535", "news.example.org"]:
        response = client.get("/", HTTP_HOST=host)
        assert response.status_code == 200, host
        assert canonical_link(response) == "http://news.example.org/", host
    assert len(set(stored_pages)) == 1
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400  # still refused


def test_a_cached_page_reads_the_database_version_at_most_once_per_window(
    client, monkeypatch, django_assert_num_queries
):
    """The version the database keeps is read once per `FRESH` seconds, not on every cached
    page (a round trip per page halved PostgreSQL's cached throughput)."""
    monkeypatch.setattr(database_version_of_pages, "FRESH", 60.0)
    make_article("Harbour reopens")
    client.get("/")  # built and stored
    with django_assert_num_queries(0):
        assert client.get("/")["X-Cache"] == "hit"
    database_version_of_pages.forget()  # the window has passed
    with django_assert_num_queries(1):
        assert client.get("/")["X-Cache"] == "hit"


def test_another_servers_change_builds_each_page_once_not_again_when_this_one_reads_it(
    client, monkeypatch
):
    """A change made on another app server bumps the cache's version (and the database's):
    this server builds the page once, and builds it no second time when it reads the
    database's new version a second later (publish_storm saw ~1.9 builds per change)."""
    from articles import page_cache
    from articles.models import ReaderPagesVersion

    monkeypatch.setattr(database_version_of_pages, "FRESH", 60.0)
    make_article("Harbour reopens")
    assert client.get("/")["X-Cache"] == "miss"
    # Another server's decision: its bump of both versions, not yet read by this server.
    known = database_version_of_pages.current()
    page_cache.reader_pages_changed(None, ReaderPagesVersion.bump())
    database_version_of_pages.remember(known)
    assert client.get("/")["X-Cache"] == "miss"  # the cache's version moved: built once
    database_version_of_pages.forget()  # a second later this server reads the new version
    assert client.get("/")["X-Cache"] == "hit"

    # A change whose cache bump was lost (an outage): the database's version alone moves,
    # and the first server to read it has the page built afresh.
    ReaderPagesVersion.bump()
    database_version_of_pages.forget()
    assert client.get("/")["X-Cache"] == "miss"
    assert client.get("/")["X-Cache"] == "hit"
