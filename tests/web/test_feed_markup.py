"""Hostile text in a seed comes out of every feed as that exact text, whatever the reader.

For RSS and Atom, site-wide and per topic, an article's title, excerpt, provider name and topic
name hold markup, entities written as text, quotes and characters XML 1.0 forbids. Each feed is
read twice:

- with feedparser (as many readers do), honouring the type it reports for each text field:
  text/plain is shown as it is, text/html is rendered, and must build no element;
- from the bytes, as a reader that trusts the format would: RSS 2.0 declares no type for
  `<title>` or `<description>` and many readers render both as HTML, so their XML text, rendered
  as HTML, must build no element and show the seed's text; Atom declares `<title>`, `<subtitle>`
  and `<name>` text (the default type), so their XML text must be the seed's text itself, escaped
  once, not twice.

What "the seed's text" is: the value with the characters XML 1.0 forbids removed (nothing else
can carry them: they would make the feed unreadable).
"""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit

import feedparser
import pytest

from articles.models import Article
from articles.reader.feeds import _xml_text
from tests.support.factories import make_article
from tests.support.seeds import run_import, sample_fields, seed_text

pytestmark = pytest.mark.django_db

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "entity written as text": "&amp; literal, &lt;b&gt; and &#60;i>",
    "quotes and bold": '"quotes" & <b>bold</b> it\'s',
    "control characters": "vertical\x0btab, unit\x1fseparator, bell\x07, \ufffe <i>x</i>",
    "closing markup": "</title></description>]]><![CDATA[ -->",
}
FEEDS = ["rss", "atom", "topic rss", "topic atom"]
# XML 1.0's Char production, negated: what a feed cannot carry.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ATOM = "{http://www.w3.org/2005/Atom}"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


def plain(text: str) -> str:
    return NOT_XML.sub("", text)


class Rendered(HTMLParser):
    """What a reader that renders a value as HTML shows (its text) and builds (its elements)."""

    def __init__(self, value: str):
        super().__init__(convert_charrefs=True)
        self.text, self.markup = "", []
        self.feed(value)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.markup.append((tag, attrs))

    def handle_endtag(self, tag):
        self.markup.append(("/" + tag, []))

    def handle_comment(self, data):
        self.markup.append(("<!--", data))

    def handle_decl(self, decl):
        self.markup.append(("<!", decl))

    def unknown_decl(self, data):
        self.markup.append(("<![", data))

    def handle_pi(self, data):
        self.markup.append(("<?", data))

    def handle_data(self, data):
        self.text += data


def as_html(value: str) -> str:
    """The text an HTML-rendering reader shows for `value`; it must build no markup."""
    rendered = Rendered(value)
    assert rendered.markup == [], f"{value!r} renders as markup: {rendered.markup}"
    return rendered.text


def shown(detail) -> str:
    """What a reader using feedparser shows for a text field, honouring the type it reports."""
    if detail.type == "text/plain":
        return detail.value
    assert detail.type == "text/html", detail.type
    return as_html(detail.value)


def hostile_article(value: str):
    return make_article(
        f"Headline {value}",
        excerpt=f"Standfirst {value}",
        provider=(f"Wire {value}", "wire.example"),
        topics=(f"Topic {value}",),
    )


def feed_url(kind: str, article) -> str:
    slug = article.topics.get().slug
    return {
        "rss": "/feed/",
        "atom": "/feed/atom/",
        "topic rss": f"/topics/{slug}/feed/",
        "topic atom": f"/topics/{slug}/feed/atom/",
    }[kind]


def fetch(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content


def expected(kind: str, value: str) -> dict:
    topic = plain(f"Topic {value}")
    per_topic = kind.startswith("topic")
    return {
        "feed title": f"Newsroom: {topic}" if per_topic else "Newsroom: latest articles",
        "feed subtitle": (
            f"The latest published articles on {topic}."
            if per_topic
            else "The latest articles we publish."
        ),
        "title": plain(f"Headline {value}"),
        "summary": plain(f"Standfirst {value}"),
        "author": plain(f"Wire {value}"),
        "categories": [topic],
    }


def assert_http(url: str) -> None:
    assert urlsplit(url).scheme in ("http", "https"), url


@pytest.mark.parametrize("kind", FEEDS)
@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_feedparser_shows_every_field_as_the_seeds_text(client, kind, value):
    article = hostile_article(value)
    feed = feedparser.parse(fetch(client, feed_url(kind, article)))
    # A broken feed still gives entries: well-formedness is the bozo flag.
    assert not feed.bozo, feed.get("bozo_exception")
    want = expected(kind, value)
    (entry,) = feed.entries
    assert shown(feed.feed.title_detail) == want["feed title"]
    assert shown(feed.feed.subtitle_detail) == want["feed subtitle"]
    assert shown(entry.title_detail) == want["title"]
    assert shown(entry.summary_detail) == want["summary"]
    assert entry.author_detail.name == want["author"]
    assert [tag.term for tag in entry.tags] == want["categories"]

    assert entry.link == f"http://testserver{article.get_absolute_url()}"
    links = [feed.feed.link, entry.link, entry.id]
    links += [link.href for link in feed.feed.links + entry.links]
    for link in links:
        assert_http(link)


@pytest.mark.parametrize("kind", ["rss", "topic rss"])
@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_rss_text_a_reader_renders_as_html_shows_the_seeds_text(client, kind, value):
    article = hostile_article(value)
    channel = ET.fromstring(fetch(client, feed_url(kind, article))).find("channel")
    item = channel.find("item")
    want = expected(kind, value)
    # RSS 2.0 gives these no type, and readers render them as HTML: escaped for HTML, then XML.
    assert as_html(channel.findtext("title")) == want["feed title"]
    assert as_html(channel.findtext("description")) == want["feed subtitle"]
    assert as_html(item.findtext("title")) == want["title"]
    assert as_html(item.findtext("description")) == want["summary"]
    # Shown as text by readers (feedparser among them): escaped for XML only.
    assert item.findtext(DC_CREATOR) == want["author"]
    assert [category.text for category in item.findall("category")] == want["categories"]
    for link in [channel.findtext("link"), item.findtext("link"), item.findtext("guid")]:
        assert_http(link)


@pytest.mark.parametrize("kind", ["atom", "topic atom"])
@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_atom_text_constructs_hold_the_seeds_text_escaped_once(client, kind, value):
    article = hostile_article(value)
    root = ET.fromstring(fetch(client, feed_url(kind, article)))
    entry = root.find(f"{ATOM}entry")
    want = expected(kind, value)

    def text_construct(element):
        # Atom's default type is text: what the element holds is what a reader shows.
        assert element.get("type", "text") == "text", element.get("type")
        return element.text

    assert text_construct(root.find(f"{ATOM}title")) == want["feed title"]
    assert text_construct(root.find(f"{ATOM}subtitle")) == want["feed subtitle"]
    assert text_construct(entry.find(f"{ATOM}title")) == want["title"]
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == want["author"]
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == want["categories"]
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert as_html(summary.text) == want["summary"]
    links = [link.get("href") for link in root.iter(f"{ATOM}link")]
    links += [entry.findtext(f"{ATOM}id")]
    for link in links:
        assert_http(link)


def test_the_bytes_of_a_hostile_title(client):
    """The title as it is written: for HTML, then for XML in RSS; for XML only in Atom."""
    hostile_article("<script>alert(1)</script>")
    rss = fetch(client, "/feed/")
    atom = fetch(client, "/feed/atom/")
    assert b"<title>Headline &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;</title>" in rss
    assert b"<title>Headline &lt;script&gt;alert(1)&lt;/script&gt;</title>" in atom
    assert b"&amp;lt;" not in atom.split(b"<summary")[0]


def test_xml_text_removes_exactly_what_xml_1_0_forbids():
    forbidden = "".join(chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
    forbidden += "\ud800\udfff\ufffe\uffff"  # lone surrogates cannot come from a seed; see below
    kept = "tab\tnewline\ncr\r é \x7f\x85\xa0\u2028 \ue000\ufffd \U0001f600 \U0010ffff"
    assert _xml_text(forbidden + kept + forbidden) == kept


def write_seed(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_what_the_importer_lets_through_keeps_every_feed_readable(seed_dir, client):
    """YAML escapes let a seed carry C0 controls and U+FFFE into the database; the feeds strip
    them. A lone surrogate (`"\\uD800"`) is refused by the YAML parser, so no article has one."""
    fields = sample_fields()
    value = "bell\x07 tab\x0b unit\x1f nope\ufffe <b>bold</b> &amp;"
    fields.update(
        title=f"Headline {value}",
        excerpt=f"Standfirst {value}",
        provider={"name": f"Wire {value}", "domain": "wire.example"},
        topics=[f"Topic {value}"],
        published=True,
    )
    write_seed(seed_dir, "hostile.txt", seed_text(fields))
    surrogate = seed_text({**sample_fields(), "webUrl": "https://example.com/s"}).replace(
        "title: ", 'title: "\\uD800" # ', 1
    )
    write_seed(seed_dir, "surrogate.txt", surrogate)

    result = run_import(seed_dir)
    assert "1 created" in result.out and "1 rejected" in result.out, result
    assert "surrogate.txt" in result.err and "invalid Unicode" in result.err, result
    (article,) = Article.objects.all()
    assert article.title == f"Headline {value}"  # stored as the seed has it
    for kind in FEEDS:
        feed = feedparser.parse(fetch(client, feed_url(kind, article)))
        assert not feed.bozo, (kind, feed.get("bozo_exception"))
        (entry,) = feed.entries
        want = expected(kind, value)
        assert want["title"] == "Headline bell tab unit nope <b>bold</b> &amp;"
        assert shown(entry.title_detail) == want["title"]
        assert shown(entry.summary_detail) == want["summary"]
        assert entry.author_detail.name == want["author"]
        assert [tag.term for tag in entry.tags] == want["categories"]
