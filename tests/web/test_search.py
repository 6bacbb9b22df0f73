"""Search for readers: the results page, its filters, order and pages, on both engines (the
suite's database: SQLite by default, PostgreSQL when DATABASE_URL points there)."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.utils import timezone

from articles.search.ranking import search_published
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def results_page(client, **parameters):
    response = client.get("/search/", parameters)
    assert response.status_code == 200
    return response.content.decode()


def card_titles(page: str) -> list[str]:
    found = re.findall(r'<h2 class="card-title"><a href="[^"]*">(.*?)</a></h2>', page)
    return [re.sub("</?mark>", "", title) for title in found]


@pytest.mark.parametrize(
    "query", ["3.5", "bank.example.com", "covid-19", "U.S.", "v2.0", "9/11", '"rates rise 3.5"']
)
def test_words_with_punctuation_inside_are_found_on_both_engines(client, query):
    make_article(
        "Rates rise 3.5 percent, says bank.example.com",
        body="The covid-19 cases, the U.S. economy, the v2.0 release and the 9/11 memorial.",
    )
    make_article("Unrelated harbour news")
    assert card_titles(results_page(client, q=query)) == [
        "Rates rise 3.5 percent, says bank.example.com"
    ]


def test_the_page_counts_results_and_marks_matched_words_safely(client):
    make_article(
        "Société <script>alert(1)</script> reports",
        excerpt="The societe & its <b>profits</b>, SOCIÉTÉ-wide.",
    )
    page = results_page(client, q="societe profit")
    assert "1 result for “societe profit”" in page
    assert "<mark>Société</mark> &lt;script&gt;alert(1)&lt;/script&gt; reports" in page
    assert (
        "The <mark>societe</mark> &amp; its &lt;b&gt;<mark>profits</mark>&lt;/b&gt;, "
        "<mark>SOCIÉTÉ</mark>-wide." in page
    )
    assert "<script>alert" not in page


def test_filters_narrow_by_topic_source_and_dates(client):
    make_article("Harbour old", topics=("Ports",), source_published_at=dt("2024-01-10"))
    make_article(
        "Harbour wire",
        provider=("Wire", "wire.example"),
        source_published_at=dt("2024-02-10"),
    )
    make_article("Harbour new", topics=("Ports",), source_published_at=dt("2024-03-10"))
    assert card_titles(results_page(client, q="harbour")) == [
        "Harbour new",
        "Harbour wire",
        "Harbour old",
    ]
    assert card_titles(results_page(client, q="harbour", topic="ports")) == [
        "Harbour new",
        "Harbour old",
    ]
    assert card_titles(results_page(client, q="harbour", provider="wire.example")) == [
        "Harbour wire"
    ]
    # Both ends of the range are whole days, in the site's time zone.
    narrowed = results_page(client, q="harbour", **{"from": "2024-02-10", "to": "2024-03-09"})
    assert card_titles(narrowed) == ["Harbour wire"]
    # The filters offer what the results hold, and say which is chosen.
    page = results_page(client, q="harbour", topic="ports")
    assert '<option value="ports" selected>Ports</option>' in page


def dt(day: str):
    return timezone.make_aware(datetime.datetime.fromisoformat(day + "T12:00"))


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"from": "yesterday"}, "“yesterday” is not a date: write it like 2024-03-01."),
        ({"to": "2024-02-30"}, "“2024-02-30” is not a date"),
        ({"to": "9999-12-31"}, "“9999-12-31” is not a date"),  # no midnight after it
        ({"from": "2024-05-01", "to": "2024-04-01"}, "The “from” date is after the “to” date"),
        ({"topic": "no such/topic"}, "There is no topic “no such/topic”"),
        ({"provider": "Wire.EXAMPLE"}, "There is no provider “Wire.EXAMPLE”"),
        ({"order": "random"}, "Results come best first (or newest first)"),
    ],
)
def test_bad_filters_are_left_out_with_a_message(client, parameters, message):
    make_article("Harbour story")
    page = results_page(client, q="harbour", **parameters)
    assert html.escape(message, quote=False) in page.replace("&#34;", '"')
    assert card_titles(page) == ["Harbour story"]


def test_relevance_order_or_newest_first(client):
    make_article("Harbour lights", source_published_at=dt("2024-01-01"))
    make_article("Ferry news", body="The harbour was calm.", source_published_at=dt("2024-06-01"))
    assert card_titles(results_page(client, q="harbour")) == ["Harbour lights", "Ferry news"]
    newest = results_page(client, q="harbour", order="newest")
    assert card_titles(newest) == ["Ferry news", "Harbour lights"]
    assert '<option value="newest" selected>' in newest


def test_pages_and_redirects_keep_the_filters(client):
    for number in range(23):
        make_article(f"Harbour story {number}", topics=("Ports",))
    page = results_page(client, q="harbour", topic="ports", order="newest")
    assert 'href="?q=harbour&amp;topic=ports&amp;order=newest&amp;page=2">More results' in page
    response = client.get("/search/", {"q": "harbour", "topic": "ports", "page": "9"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=harbour&topic=ports&page=2"


def test_a_filtered_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for number in range(25):
        make_article(
            f"Harbour story {number}",
            topics=("Ports", f"Extra {number}"),
            provider=("Busy Wire", "busy.example"),
        )
    parameters = {"q": "harbour or story", "topic": "ports", "provider": "busy.example"}
    # On PostgreSQL the search's time limit adds four in a test's transaction: a savepoint,
    # setting the limit, setting it back, releasing the savepoint (outside one: setting it).
    allowed = 4 + (4 if connection.vendor == "postgresql" else 0)
    for order in ("", "newest"):
        with django_assert_max_num_queries(allowed):
            page = results_page(client, **parameters, order=order, page="2")
        assert len(card_titles(page)) == 5


def test_a_query_matching_very_many_ranks_the_latest_and_says_so(client, monkeypatch):
    monkeypatch.setattr("articles.search.ranking.RANKED_AT_MOST", 3)
    oldest_best = make_article("Harbour harbour harbour")
    for number in range(4):
        make_article(f"Ferry {number}", body="Near the harbour.")
    found = search_published("harbour")
    assert [article.title for article in found] == ["Ferry 3", "Ferry 2", "Ferry 1"]
    assert oldest_best not in found
    page = results_page(client, q="harbour")
    assert "3 results for “harbour”" in page and "these are the most recent" in page
    # Fewer matches than that: every one, and no such note.
    page = results_page(client, q="harbour -ferry")
    assert card_titles(page) == ["Harbour harbour harbour"]
    assert "most recent" not in page


def test_a_search_cut_to_the_caps_tells_the_reader_what_was_left_out(client):
    make_article("Harbour crane one")
    words = ["one", "two", "three", "four", "five"]
    ored = " or ".join(f'"harbour crane {word}"' for word in words)
    page = html.unescape(results_page(client, q=ored))
    assert "Your search was shortened: “harbour crane five” was left out." in page
    assert card_titles(page) == ["Harbour crane one"]


@pytest.mark.postgres
@pytest.mark.requires("postgresql database")  # PostgreSQL's statement timeout
def test_a_search_over_its_time_limit_asks_the_reader_to_narrow_it(client, monkeypatch):
    from django.db.models import FloatField
    from django.db.models.expressions import RawSQL

    from articles.search.backends import postgres

    make_article("Harbour crane one")
    # A query that outlasts its limit: a rank that sleeps 0.5 s, under a limit of 50 ms.
    monkeypatch.setattr(postgres, "STATEMENT_TIMEOUT_MS", 50)
    monkeypatch.setattr(
        postgres.TsvectorBackend,
        "rank",
        lambda self, query: RawSQL("(SELECT 1.0 FROM pg_sleep(0.5))", [], FloatField()),
    )
    page = html.unescape(results_page(client, q="harbour"))  # 200, not a 500
    assert "This search is too broad to answer in time. Narrow it" in page
    assert card_titles(page) == []
    # The limit was the search's own: the connection is usable and has its timeout back.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), pg_sleep(0.1)")
        assert cursor.fetchone()[0] == "0"
    monkeypatch.undo()
    assert card_titles(results_page(client, q="harbour")) == ["Harbour crane one"]
