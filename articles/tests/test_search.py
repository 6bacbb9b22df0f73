"""Search: the query language, and what a reader finds, the same on both engines.

The table below runs on the suite's database: SQLite (FTS5) by default, PostgreSQL when
DATABASE_URL points there (CI runs both). Each row is what a person types and the published
titles they get: a tuple in the order shown, a set where the order is not the point.
"""

import datetime
import html
import re

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.search.backends.sqlite import fts5_match
from articles.search.query import MAX_TERMS, ParsedQuery, Term, parse_query
from articles.search.ranking import search_published
from articles.tests.conftest import run_import, sample_fields
from articles.tests.factories import make_article
from articles.tests.helpers import CHANGELIST, log_in

pytestmark = pytest.mark.django_db

HARBOUR = ("Harbour lights return", "Port authority update", "Fishing fleet news")
SOCIETE = {"Société Générale reports record profits", "Small societe of beekeepers grows"}
BRIDGE_WORDS = {
    "Zürich bridge reopens after repairs",
    "New bridges planned for the river",
    "Council budget vote delayed",
}


def build_corpus():
    """Articles made oldest first (each an hour newer than the one before)."""
    for title, excerpt, body in [
        # One word in the title, the excerpt or the body; the body one is the newest.
        ("Harbour lights return", "Lamps shine again on the quay.", ""),
        ("Port authority update", "Harbour fees rise this year.", ""),
        ("Fishing fleet news", "Boats stay in port.", "Boats stayed in the harbour all week."),
        ("Société Générale reports record profits", "The French bank beat forecasts.", ""),
        ("Small societe of beekeepers grows", "", "Honey harvest doubles."),
        ("Zürich bridge reopens after repairs", "Traffic returns to the old crossing.", ""),
        ("New bridges planned for the river", "The council approves three crossings.", ""),
        ("Council budget vote delayed", "", "The bridge budget will wait until spring."),
        ("São Paulo metro expands", "Two new lines open in the city.", ""),
        ("Málaga festival draws crowds", "Música y baile en la playa.", ""),
        ("Kraków museum reopens", "", ""),
        ("Grüne Energie für München", "Die Stadt baut Solaranlagen.", ""),
        ("Hà Nội khai trương tuyến đường sắt mới", "", ""),
        # The same words twice: the newer one first.
        ("Storm warning: coast", "Gales expected tonight.", ""),
        ("Storm warning, coast", "Gales expected tonight.", ""),
    ]:
        make_article(title, excerpt=excerpt, body=body)
    make_article("Harbour draft", excerpt="Secret harbour plans.", published=False)


TABLE = [
    # Title words outrank excerpt words, which outrank body words, whatever the dates.
    ("harbour", HARBOUR),
    ("Harbour", HARBOUR),
    ("HARBOUR or", HARBOUR),  # a dangling `or` is nothing
    ("harbour lights", ("Harbour lights return",)),
    # Accents and case fold both ways.
    ("societe", SOCIETE),
    ("société", SOCIETE),
    ("SOCIÉTÉ", SOCIETE),
    ("zurich", ("Zürich bridge reopens after repairs",)),
    ("zürich", ("Zürich bridge reopens after repairs",)),
    ("sao paulo", ("São Paulo metro expands",)),
    ('"são paulo"', ("São Paulo metro expands",)),
    ("malaga musica", ("Málaga festival draws crowds",)),
    ("krakow", ("Kraków museum reopens",)),
    ("munchen", ("Grüne Energie für München",)),
    ("grüne energie", ("Grüne Energie für München",)),
    ('"ha noi"', ("Hà Nội khai trương tuyến đường sắt mới",)),
    ("khai truong", ("Hà Nội khai trương tuyến đường sắt mới",)),
    # Word forms (English stemming on both engines).
    ("bridge", BRIDGE_WORDS),
    ("crossing", {"Zürich bridge reopens after repairs", "New bridges planned for the river"}),
    ("reopen", {"Zürich bridge reopens after repairs", "Kraków museum reopens"}),
    ("profit", ("Société Générale reports record profits",)),
    # Phrases: the words together, in order.
    ('"new bridges"', ("New bridges planned for the river",)),
    ('"bridges new"', ()),
    ('"return lamps"', ()),  # not across the title and the excerpt
    ('"new bridges', ("New bridges planned for the river",)),  # unclosed: to the end
    ('"record profits" or honey', SOCIETE),
    # Exclusions.
    ("bridge -council", ("Zürich bridge reopens after repairs",)),
    ("bridge -zurich -council", ()),
    (
        'bridge -"new bridges"',
        {"Zürich bridge reopens after repairs", "Council budget vote delayed"},
    ),
    ("bank -societe", ()),
    ("-bridge", ()),  # exclusions alone are no search
    # Or.
    ("metro or festival", {"São Paulo metro expands", "Málaga festival draws crowds"}),
    ("metro OR festival city", ("São Paulo metro expands",)),
    ("honey or profits", SOCIETE),
    # Equally relevant: the newer first.
    ("storm coast", ("Storm warning, coast", "Storm warning: coast")),
    # Only published articles.
    ("draft", ()),
    ("secret", ()),
    # Odd input: never an error, only its words count.
    ("", ()),
    ('"', ()),
    ('""', ()),
    ("-", ()),
    ("or", ()),
    ("harbour\x00lights", ("Harbour lights return",)),
    ("😀 lights", ("Harbour lights return",)),
    ("bridge*", BRIDGE_WORDS),
    ("title:harbour", ()),  # not a column filter: the words "title harbour"
    ("NEAR(bridge river)", ()),
    ("'; DROP TABLE articles_article; --", ()),
    ("a:* & !b | (c", ()),
    ("x" * 300, ()),
]


@pytest.mark.parametrize(("query", "expected"), TABLE, ids=[repr(q)[:40] for q, _ in TABLE])
def test_the_query_table(query, expected):
    build_corpus()
    found = [article.title for article in search_published(query)]
    if isinstance(expected, set):
        assert set(found) == expected
    else:
        assert found == list(expected)
    assert Article.objects.count() == 16


def test_newest_first_ignores_relevance():
    build_corpus()
    found = [article.title for article in search_published("harbour", newest_first=True)]
    assert found == list(reversed(HARBOUR))


# --- The parser, without a database


def test_words_phrases_exclusions_and_or_parse_into_groups():
    parsed = parse_query('Grüne  "new bridges" or metro -council -"old town" or')
    assert parsed == ParsedQuery(
        groups=((Term(("grüne",)),), (Term(("new", "bridges")), Term(("metro",)))),
        excluded=(Term(("council",)), Term(("old", "town"))),
    )
    assert fts5_match(parsed) == (
        '("grüne" AND ("new bridges" OR "metro")) NOT ("council" OR "old town")'
    )
    assert parsed.words == ["grüne", "new", "bridges", "metro"]


@pytest.mark.parametrize(
    "text",
    ['"', '"""', "-", "- - -", "or or", "\x00", "😀", '"a" NEAR "b"', "col:x", "^a*", "(((", ""],
)
def test_odd_input_compiles_to_quoted_terms_only(text):
    parsed = parse_query(text)
    match = fts5_match(parsed) if parsed else ""
    # Outside the quoted terms, only the operators we put there.
    between_terms = [part for index, part in enumerate(match.split('"')) if index % 2 == 0]
    assert set(" ".join(between_terms).split()) <= {"AND", "OR", "NOT", "(", ")", "()"}


def test_a_query_keeps_at_most_a_fixed_number_of_terms():
    parsed = parse_query(" ".join(f"word{n}" for n in range(50)))
    assert len(parsed.groups) == MAX_TERMS


# --- The index follows every write path


def test_the_index_follows_the_importers_bulk_writes(write_seed):
    path = write_seed("item.txt", {**sample_fields(), "published": True})
    run_import(path)
    title = sample_fields()["title"]
    assert [a.title for a in search_published("lenovo")] == [title]

    write_seed("item.txt", {**sample_fields(), "published": True, "title": "Zeppelins return"})
    run_import(path)
    assert [a.title for a in search_published("zeppelins")] == ["Zeppelins return"]
    assert [a.title for a in search_published(f'"{title}"')] == []


def test_the_index_follows_edits_and_deletions():
    article = make_article("Lighthouse keeper retires")
    Article.objects.filter(pk=article.pk).update(title="Lighthouse keeper returns")
    assert [a.title for a in search_published("returns")] == ["Lighthouse keeper returns"]
    assert list(search_published("retires")) == []
    article.delete()
    assert list(search_published("lighthouse")) == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM article_fts WHERE article_fts MATCH 'lighthouse'")
            assert cursor.fetchone() == (0,)


# --- The reader's results page


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
    for order in ("", "newest"):
        with django_assert_max_num_queries(4):
            page = results_page(client, **parameters, order=order, page="2")
        assert len(card_titles(page)) == 5


# --- The admin's article list searches the same index


def test_the_admin_list_searches_the_index_and_providers(client):
    make_article("Société Générale results", body="Record profits in Paris.")
    make_article("Harbour news", provider=("Farm Weekly", "farm.example"))
    make_article("Unpublished draft about Paris", published=False)
    log_in(client, "editor")

    def listed(search):
        response = client.get(CHANGELIST, {"q": search})
        return sorted(article.title for article in response.context["cl"].result_list)

    assert listed("societe") == ["Société Générale results"]
    assert listed("profit") == ["Société Générale results"]  # body words too, word forms
    assert listed("paris") == ["Société Générale results", "Unpublished draft about Paris"]
    assert listed("paris -draft") == ["Société Générale results"]
    assert listed('"profits in paris"') == ["Société Générale results"]
    assert listed('"paris in profits"') == []
    assert listed("farm.ex harbour") == ["Harbour news"]  # the provider's domain
    assert listed("weekly or societe") == ["Harbour news", "Société Générale results"]


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


def test_a_search_matching_more_than_the_list_holds_lists_the_newest_and_says_so(
    client, monkeypatch
):
    monkeypatch.setattr("articles.admin.queue_search.LISTED_AT_MOST", 3)
    oldest_best = make_article(
        "Harbour harbour harbour",
        quality=40,
        source_published_at=timezone.make_aware(datetime.datetime(2019, 5, 1)),
    )
    for number in range(4):
        make_article(f"Ferry {number}", body="Near the harbour.", quality=number)
    log_in(client, "editor")

    response = client.get(CHANGELIST, {"q": "harbour"})
    listed = [article.title for article in response.context["cl"].result_list]
    assert listed == ["Ferry 3", "Ferry 2", "Ferry 1"]  # the newest three, best first
    page = html.unescape(response.content.decode())
    assert "More than 3 articles match “harbour”" in page
    assert "3 most recently imported" in page
    assert "More than 3 results" in page  # beside the search box, not "3 results"
    assert not re.search(r"quiet\">\s*3 results", page)
    # The date bar offers the older years too, and a year narrows the search before the cap.
    assert "?q=harbour&amp;source_published_at__year=2019" in response.content.decode()
    response = client.get(CHANGELIST, {"q": "harbour", "source_published_at__year": "2019"})
    assert list(response.context["cl"].result_list) == [oldest_best]
    assert "More than" not in response.content.decode()
    # Fewer matches than that: every one, and no such note.
    response = client.get(CHANGELIST, {"q": "harbour -ferry"})
    assert list(response.context["cl"].result_list) == [oldest_best]
    assert "More than" not in response.content.decode()


def test_a_provider_named_in_a_capped_search_still_matches(client, monkeypatch):
    monkeypatch.setattr("articles.admin.queue_search.LISTED_AT_MOST", 2)
    for number in range(3):
        make_article(f"Grain prices {number}", provider=("Farm Weekly", "farm.example"))
    make_article("Harbour news")
    log_in(client, "editor")
    response = client.get(CHANGELIST, {"q": "farm.ex"})
    listed = sorted(article.title for article in response.context["cl"].result_list)
    assert listed == ["Grain prices 1", "Grain prices 2"]
    assert response.context["cl"].search_capped
