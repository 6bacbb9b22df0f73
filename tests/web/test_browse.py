"""Ways around the reader site besides search: the topic and provider indexes, where a listing's
later pages say which page they are, and feeds and the sitemap as a person opening them sees
them."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils import timezone

from articles import database_version_of_pages, page_cache
from articles.models import Article, ReaderPagesVersion
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return response.content.decode()


def index_entries(response) -> list[tuple[str, str, str]]:
    """(link text, href, count text) of each entry of a topic or provider index, in order."""
    return re.findall(
        r'<li><a href="([^"]+)">([^<]+)</a> <span class="index-count">([^<]+)</span></li>',
        page_text(response),
    )


def heading(response) -> str:
    match = re.search(r"<h1>(.*?)</h1>", page_text(response), re.S)
    assert match, "no <h1>"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", page_text(response), re.S).group(1)


@pytest.fixture
def newsroom():
    """Topics and providers of different sizes, with articles readers may not see beside them."""
    busy = ("Busy Wire", "busy.example")
    quiet = ("quiet Post", "quiet.example")  # lower case: A to Z must not put it after "Z"
    for number in range(3):
        make_article(f"Weather {number}", topics=("Weather",), provider=busy)
    make_article("Sport and weather", topics=("sport", "Weather"), provider=quiet)
    make_article("Hidden sport", topics=("sport",), provider=quiet, published=False)
    # Topics and a provider whose articles readers cannot see (yet): none of them is listed.
    make_article(
        "Secret", topics=("Secrets",), provider=("Hidden Herald", "hidden.example"), published=False
    )
    make_article(
        "Embargoed",
        topics=("Embargoed topic",),
        provider=("Zed Times", "zed.example"),
        publish_at=timezone.now() + dt.timedelta(days=1),
    )
    make_article("Zebra crossing", topics=("Zebras",), provider=busy)


# --- the indexes ------------------------------------------------------------------------------


def test_topic_index_lists_topics_with_published_articles_a_to_z_with_counts(client, newsroom):
    response = client.get("/topics/")
    assert response.status_code == 200
    assert index_entries(response) == [
        ("/topics/sport/", "sport", "1 article"),
        ("/topics/weather/", "Weather", "4 articles"),
        ("/topics/zebras/", "Zebras", "1 article"),
    ]
    assert "3 topics with published articles" in page_text(response)
    assert "Secrets" not in page_text(response) and "Embargoed" not in page_text(response)


def test_topic_index_by_size_puts_the_biggest_first(client, newsroom):
    entries = index_entries(client.get("/topics/?sort=size"))
    assert [name for _, name, _ in entries] == ["Weather", "sport", "Zebras"]


def test_provider_index_lists_providers_with_published_articles(client, newsroom):
    response = client.get("/providers/")
    assert index_entries(response) == [
        ("/providers/busy.example/", "Busy Wire", "4 articles"),
        ("/providers/quiet.example/", "quiet Post", "1 article"),
    ]
    by_size = index_entries(client.get("/providers/?sort=size"))
    assert [name for _, name, _ in by_size] == ["Busy Wire", "quiet Post"]
    assert "Hidden Herald" not in page_text(response) and "Zed Times" not in page_text(response)


def test_every_link_on_the_indexes_leads_to_a_page(client, newsroom):
    for index in ("/topics/", "/topics/?sort=size", "/providers/", "/providers/?sort=size"):
        response = client.get(index)
        for href, _, _ in index_entries(response):
            assert client.get(href).status_code == 200, href
        # The order links lead to the index too.
        for href in re.findall(r'<nav class="index-order".*?</nav>', page_text(response), re.S):
            for link in re.findall(r'href="([^"]+)"', href):
                assert client.get(link).status_code == 200, link


def test_the_order_on_show_is_marked_and_the_other_is_a_link(client, newsroom):
    a_to_z = page_text(client.get("/topics/"))
    assert '<span aria-current="true">A to Z</span>' in a_to_z
    assert '<a href="/topics/?sort=size">Most articles first</a>' in a_to_z
    by_size = page_text(client.get("/topics/?sort=size"))
    assert '<a href="/topics/">A to Z</a>' in by_size
    assert "Topics, most articles first" in title(client.get("/topics/?sort=size"))


def test_indexes_of_an_empty_site_say_so(client):
    assert "No topics yet" in page_text(client.get("/topics/"))
    assert "No articles have been published yet" in page_text(client.get("/providers/"))


@pytest.mark.parametrize("url", ["/topics/", "/providers/"])
@pytest.mark.parametrize("odd", ["name", "SIZE", "size ", "1"])
def test_an_unknown_order_goes_to_the_a_to_z_page(client, newsroom, url, odd):
    response = client.get(url, {"sort": odd})
    assert response.status_code == 302
    assert response["Location"] == url


@pytest.mark.parametrize("url", ["/topics/", "/topics/?sort=size", "/providers/?sort=size"])
def test_indexes_cost_a_fixed_number_of_queries_and_are_cached(
    client, newsroom, django_assert_max_num_queries, django_assert_num_queries, url
):
    for number in range(30):  # more topics and providers cost no more queries
        make_article(
            f"More {number}",
            topics=(f"Topic {number}", "Weather"),
            provider=(f"Provider {number}", f"p{number}.example"),
        )
    page_cache.reader_pages_changed(Article.objects.next_schedule_change())
    with django_assert_max_num_queries(5):  # 4, and the reader-pages version
        first = client.get(url)
    assert len(index_entries(first)) >= 30
    # Served from the cache, tracking parameters and all.
    with django_assert_num_queries(1):  # the reader-pages version only
        again = client.get(url + ("&" if "?" in url else "?") + "utm_source=mail")
    assert again.content == first.content


@pytest.mark.parametrize("index", ["/topics/", "/providers/"])
def test_an_index_counts_once_per_change_for_both_its_orders(
    client, newsroom, django_assert_num_queries, django_capture_on_commit_callbacks, index
):
    page_cache.reader_pages_changed(Article.objects.next_schedule_change())
    a_to_z = index_entries(client.get(index))
    # The other order is another page, built from the counts already made for this change: its
    # one query is the reader-pages version every page reads.
    with django_assert_num_queries(1):
        by_size = index_entries(client.get(index + "?sort=size"))
    assert sorted(by_size) == sorted(a_to_z)
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(title="Sport and weather").set_published(False, None)
    assert index_entries(client.get(index + "?sort=size")) != by_size  # counted afresh


def test_an_index_follows_an_editors_decision(client, newsroom, django_capture_on_commit_callbacks):
    assert "sport" in [name for _, name, _ in index_entries(client.get("/topics/"))]
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(title="Sport and weather").set_published(False, None)
    assert "sport" not in [name for _, name, _ in index_entries(client.get("/topics/"))]


def test_header_and_footer_link_to_the_indexes_and_listings_link_back(client, newsroom):
    home = page_text(client.get("/"))
    assert re.search(r'<header.*href="/topics/">Topics</a>.*</header>', home, re.S)
    assert re.search(r'<header.*href="/providers/">Providers</a>.*</header>', home, re.S)
    assert re.search(r'<footer.*href="/topics/">All topics</a>.*</footer>', home, re.S)
    assert re.search(r'<footer.*href="/providers/">All providers</a>.*</footer>', home, re.S)
    assert '<a href="/topics/">All topics</a>' in page_text(client.get("/topics/weather/"))
    provider_page = page_text(client.get("/providers/busy.example/"))
    assert '<a href="/providers/">All providers</a>' in provider_page


def test_the_sitemap_lists_the_indexes(client, newsroom):
    home_section = page_text(client.get("/sitemap-home.xml"))
    assert "<loc>http://testserver/topics/</loc>" in home_section
    assert "<loc>http://testserver/providers/</loc>" in home_section


# --- later pages say which page they are ------------------------------------------------------


def page_one_entries(response):
    titles = re.findall(
        r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )
    return [Article.objects.get(title=title) for title in titles]


@pytest.mark.parametrize(
    ("url", "first_heading", "first_title"),
    [
        ("/", "Latest news", "Newsroom: latest news"),
        ("/topics/harbour/", "Topic Harbour", "Harbour · Newsroom"),
        ("/providers/harbour.example/", "Provider Harbour Daily", "Harbour Daily · Newsroom"),
        ("/search/?q=harbour", "Search", "Search: harbour · Newsroom"),
    ],
)
def test_page_two_of_a_listing_says_so_in_heading_and_title(
    client, url, first_heading, first_title
):
    for number in range(21):
        make_article(
            f"Harbour story {number}",
            topics=("Harbour",),
            provider=("Harbour Daily", "harbour.example"),
        )
    first = client.get(url)
    assert " ".join(heading(first).split()) == first_heading
    assert title(first) == first_title
    if url.startswith("/search/"):
        second = client.get(url + "&page=2")
        assert " ".join(heading(second).split()) == f"{first_heading}, page 2"
        assert ", page 2" in title(second)
        return
    # A listing's later page says which part it is: older than the last entry of the page before.
    older = re.search(r'rel="next" href="([^"]+)"', first.content.decode())[1]
    second = client.get(url + older)
    assert second.status_code == 200
    last_shown = timezone.localtime(
        page_one_entries(first)[-1].source_published_at  # the first page's last entry
    )
    part = f"older than {last_shown:%-d %B %Y, %H:%M}"
    assert " ".join(heading(second).split()) == f"{first_heading}, {part}"
    assert f", {part} · Newsroom" in title(second)


# --- feeds and the sitemap in a browser ---------------------------------------------------------

XML_URLS = [
    "/feed/",
    "/feed/atom/",
    "/topics/weather/feed/",
    "/topics/weather/feed/atom/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/sitemap-topics.xml",
]


@pytest.mark.parametrize("url", XML_URLS)
def test_feeds_and_sitemap_name_a_stylesheet_a_browser_can_show_them_with(client, newsroom, url):
    response = client.get(url)
    assert response.status_code == 200
    # A type browsers render as XML (Chromium shows application/rss+xml as source text).
    assert response["Content-Type"].split(";")[0] == "application/xml"
    text = page_text(response)
    declaration, instruction = text.split("?>", 2)[:2]
    assert declaration.lower().startswith('<?xml version="1.0" encoding="utf-8"')
    # The instruction comes before the root element, names CSS (no XSLT), and points at a file
    # the site serves.
    assert instruction.strip().startswith("<?xml-stylesheet")
    assert f'href="{static("css/xml.css")}"' in instruction
    assert 'type="text/css"' in instruction
    assert finders.find("css/xml.css")
    ET.fromstring(response.content)  # still well-formed XML


def test_the_stylesheet_says_what_feeds_and_sitemaps_are_for():
    css = open(finders.find("css/xml.css"), encoding="utf-8").read()
    assert "copy this page's address into a feed reader" in css
    assert "This is a sitemap" in css


def test_feed_links_say_what_each_feed_is_for(client, newsroom):
    home = page_text(client.get("/"))
    assert 'title="Newsroom: latest articles (RSS)" href="/feed/"' in home
    assert 'title="Newsroom: latest articles (Atom)" href="/feed/atom/"' in home
    assert '<a href="/feed/">Latest articles (RSS)</a>' in home
    assert '<a href="/feed/atom/">Latest articles (Atom)</a>' in home
    topic = page_text(client.get("/topics/weather/"))
    assert 'title="Newsroom: Weather articles (RSS)" href="/topics/weather/feed/"' in topic
    assert 'title="Newsroom: Weather articles (Atom)" href="/topics/weather/feed/atom/"' in topic
    assert '<a href="/topics/weather/feed/">Weather articles (RSS)</a>' in topic


def test_an_index_follows_a_takedown_whose_cache_bump_an_outage_lost(client, newsroom):
    """A shell unpublished the only visible "sport" article while the cache was away: only the
    database's reader-pages version moved. The index's counts, kept with the reader pages,
    are counted afresh with them."""
    page_cache.reader_pages_changed(Article.objects.next_schedule_change())
    assert "sport" in [name for _, name, _ in index_entries(client.get("/topics/"))]
    Article.objects.filter(title="Sport and weather").update(published=False)
    ReaderPagesVersion.bump()  # what reached the database; the cache's bump was lost
    database_version_of_pages.forget()  # read afresh, as once the window has passed
    assert "sport" not in [name for _, name, _ in index_entries(client.get("/topics/"))]
