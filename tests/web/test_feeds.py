"""Feeds, sitemap and share images: what feed readers, crawlers and social sites fetch."""

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest

from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feed_lists_published_articles_newest_first(client, url):
    older = make_article("Older story", excerpt="First.", topics=("Weather",))
    newer = make_article(
        "Newer story", excerpt="Second.", provider=("Coast Daily", "coast.example")
    )
    make_article("Draft story", published=False)
    _, feed = parse_feed(client, url)
    assert [entry.title for entry in feed.entries] == ["Newer story", "Older story"]
    first = feed.entries[0]
    assert first.link == f"http://testserver{newer.get_absolute_url()}"
    assert first.summary == "Second."
    assert first.author == "Coast Daily"
    assert feed.entries[1].tags[0].term == "Weather"
    assert feed.entries[1].published_parsed[:5] == older.source_published_at.timetuple()[:5]


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feed_of_an_empty_site_is_valid(client, url):
    _, feed = parse_feed(client, url)
    assert feed.entries == []
    assert feed.feed.title == "Newsroom: latest articles"


def test_feed_stays_valid_xml_with_control_characters_and_markup_in_seed_text(client):
    make_article("Bell\x07 and \x0bvertical tab <b>bold</b> & co", excerpt="</description>]]>")
    _, feed = parse_feed(client, "/feed/")
    # Many readers render an RSS title as HTML, so the markup in it is escaped for HTML (then for
    # XML): they show "<b>bold</b> & co" as text. (This test used to expect the title as HTML.)
    title, summary = feed.entries[0].title_detail, feed.entries[0].summary_detail
    assert (title.type, title.value) == (
        "text/html",
        "Bell and vertical tab &lt;b&gt;bold&lt;/b&gt; &amp; co",
    )
    assert (summary.type, summary.value) == ("text/html", "&lt;/description&gt;]]&gt;")


def test_feed_is_limited_to_the_latest_thirty(client):
    for number in range(32):
        make_article(f"Item {number}")
    _, feed = parse_feed(client, "/feed/")
    assert len(feed.entries) == 30
    assert feed.entries[0].title == "Item 31"


@pytest.mark.parametrize("url", ["/topics/rain/feed/", "/topics/rain/feed/atom/"])
def test_topic_feed_lists_only_that_topics_published_articles(client, url):
    make_article("Rain story", topics=("Rain",))
    make_article("Sun story", topics=("Sun",))
    make_article("Rain draft", topics=("Rain",), published=False)
    _, feed = parse_feed(client, url)
    assert [entry.title for entry in feed.entries] == ["Rain story"]
    assert feed.feed.title == "Newsroom: Rain"


def test_topic_feed_of_unknown_or_unpublished_topic_is_404(client):
    make_article("Rain draft", topics=("Rain",), published=False)
    assert client.get("/topics/rain/feed/").status_code == 404
    assert client.get("/topics/nothing/feed/").status_code == 404


def test_pages_announce_their_feeds(client):
    make_article("Rain story", topics=("Rain",))
    assert 'type="application/rss+xml"' in client.get("/").content.decode()
    assert 'href="/topics/rain/feed/"' in client.get("/topics/rain/").content.decode()


# --- sitemap ---------------------------------------------------------------------------------


def sitemap_urls(client) -> list[str]:
    """Every page URL the sitemap gives, following its index to each section."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    root = ET.fromstring(index.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    urls = []
    for section in root.findall("s:sitemap/s:loc", SITEMAP_NS):
        response = client.get(section.text)
        assert response.status_code == 200, section.text
        urlset = ET.fromstring(response.content)
        assert urlset.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        urls += [loc.text for loc in urlset.findall("s:url/s:loc", SITEMAP_NS)]
    return urls


def test_sitemap_lists_home_published_articles_topics_and_providers(client):
    shown = make_article("Shown", topics=("Rain",), provider=("Coast", "coast.example"))
    hidden = make_article(
        "Hidden", topics=("Secret",), provider=("Quiet", "quiet.example"), published=False
    )
    urls = sitemap_urls(client)
    base = "http://testserver"
    assert f"{base}/" in urls
    assert f"{base}{shown.get_absolute_url()}" in urls
    assert f"{base}/topics/rain/" in urls
    assert f"{base}/providers/coast.example/" in urls
    assert f"{base}{hidden.get_absolute_url()}" not in urls
    assert f"{base}/topics/secret/" not in urls
    assert f"{base}/providers/quiet.example/" not in urls
    assert len(urls) == len(set(urls))


def test_sitemap_of_an_empty_site_is_valid_xml(client):
    assert sitemap_urls(client) == [
        "http://testserver/",
        "http://testserver/topics/",
        "http://testserver/providers/",
    ]


def test_sitemap_gives_article_lastmod(client):
    article = make_article("Shown")
    index = ET.fromstring(client.get("/sitemap.xml").content)
    lastmods = [node.text for node in index.findall("s:sitemap/s:lastmod", SITEMAP_NS)]
    assert [dt.datetime.fromisoformat(text) for text in lastmods] == [article.updated_at]
    section = ET.fromstring(client.get("/sitemap-articles.xml").content)
    assert section.find("s:url/s:lastmod", SITEMAP_NS) is not None


def test_sitemap_sections_are_paginated_for_large_sites(client, monkeypatch):
    from articles.reader.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for number in range(5):
        make_article(f"Story {number}")
    urls = sitemap_urls(client)
    assert sum("/articles/" in url for url in urls) == 5
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
