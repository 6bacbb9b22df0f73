"""Markup in every text field of a seed never becomes live markup for readers.

One article whose every text field (title, excerpt, body, provider name, topic names, related
links' titles and providers) holds markup that would run script or make elements if it were
emitted as HTML. Each reader surface is parsed as a browser or feed reader would, and no element
or attribute from the seed may appear; the text itself is still shown (escaped), so the checks
cannot pass on an empty page.
"""

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from articles.models import Article, Provider, RelatedLink

pytestmark = pytest.mark.django_db

MARK = "INJECTED"
MARKUP = (
    f'<b data-x="{MARK}">bold</b><script>{MARK}()</script><img src=x onerror={MARK}()>'
    f'<a href="javascript:{MARK}()">link</a></title></textarea><svg onload={MARK}()>'
    f'"></script><script>{MARK}()</script>]]>'
)
# For the fields the database keeps short (100 characters: category, type, topic names).
SHORT = f'<b data-x="{MARK}">bold</b><script>{MARK}()</script><img src=x onerror={MARK}()>'


class Elements(HTMLParser):
    """Every element a browser would build from a page, with attributes and script contents."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements, self.scripts, self._in_script = [], [], None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append([dict(attrs), ""])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self.scripts[-1][1] += data

    def live_markup(self):
        """Elements or attributes that came from the seed."""
        found = [
            (tag, attrs)
            for tag, attrs in self.elements
            # The body is Markdown: its sanitiser may keep a plain <b>, never the attributes.
            if tag in ("svg", "textarea")
            or "data-x" in attrs
            or any(name.startswith("on") for name in attrs)
            or any(
                (attrs.get(name) or "").strip().lower().startswith("javascript:")
                for name in ("href", "src", "action")
            )
        ]
        found += [script for script in self.scripts if MARK in script[1] and not is_json_ld(script)]
        return found


def is_json_ld(script) -> bool:
    return script[0].get("type") == "application/ld+json"


@pytest.fixture
def hostile():
    provider = Provider.objects.create(name=f"Wire {SHORT}", domain="wire.example")
    article = Article.objects.create(
        title=f"Headline {MARKUP}",
        slug="headline",
        excerpt=f"Standfirst {MARKUP}",
        body=f"Body text {MARKUP}\n\n[click](javascript:{MARK}())",
        source_published_at="2024-03-01T09:30:00Z",
        web_url="https://wire.example/story",
        canonical_url="https://wire.example/story",
        provider=provider,
        published=True,
        category=f"cat {SHORT}",
        type=f"type {SHORT}",
    )
    article.topics.add(f"Topic {SHORT}")
    related_provider = Provider.objects.create(name=f"Other {SHORT}", domain="other.example")
    RelatedLink.objects.create(
        article=article,
        position=0,
        title=f"Related {MARKUP}",
        excerpt=f"Related excerpt {MARKUP}",
        url="https://other.example/a",
        provider=related_provider,
    )
    return article


def html_pages(article):
    topic = article.topics.get()
    return [
        article.get_absolute_url(),
        "/",
        f"/topics/{topic.slug}/",
        "/providers/wire.example/",
        "/search/?q=headline",
    ]


def test_no_seed_markup_is_live_on_any_reader_page(client, hostile):
    for url in html_pages(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        page = Elements(response.content.decode())
        assert not page.live_markup(), url
        text = response.content.decode().replace("<mark>", "").replace("</mark>", "")  # search
        assert "Headline &lt;b data-x=" in text, url  # shown, as text


def test_json_ld_holds_the_text_and_cannot_be_broken_out_of(client, hostile):
    response = client.get(hostile.get_absolute_url())
    page = Elements(response.content.decode())
    json_scripts = [script for script in page.scripts if is_json_ld(script)]
    assert len(json_scripts) == 1
    assert "</script" not in json_scripts[0][1].lower()
    data = json.loads(json_scripts[0][1])
    assert data["headline"] == hostile.title
    assert data["author"]["name"] == hostile.provider.name
    assert f"Topic {SHORT}" in data["keywords"]
    assert data["description"].startswith("Standfirst <b")


def test_the_article_page_shows_every_field_as_text(client, hostile):
    text = client.get(hostile.get_absolute_url()).content.decode()
    text = text.replace("&#34;", "&quot;")  # Jinja2 spells the escaped quote this way
    for shown in ("Headline", "Standfirst", "Wire", "Topic", "Related"):
        assert f"{shown} &lt;b data-x=&quot;{MARK}&quot;&gt;bold&lt;/b&gt;" in text, shown
    assert "Body text" in text


def _feed_entries(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    root = ET.fromstring(response.content)  # well-formed XML, whatever the seed held
    atom = "{http://www.w3.org/2005/Atom}"
    if root.tag == f"{atom}feed":
        return [
            {
                "title": (entry.find(f"{atom}title").text, "text"),
                "summary": (
                    entry.find(f"{atom}summary").text,
                    entry.find(f"{atom}summary").get("type", "text"),
                ),
                "author": (entry.find(f"{atom}author/{atom}name").text, "text"),
                "category": (entry.find(f"{atom}category").get("term"), "text"),
            }
            for entry in root.iter(f"{atom}entry")
        ]
    return [
        {
            # RSS 2.0: readers render <title> and <description> as HTML.
            "title": (item.find("title").text, "html"),
            "summary": (item.find("description").text, "html"),
            "category": (item.find("category").text, "text"),
        }
        for item in root.iter("item")
    ]


@pytest.mark.parametrize("kind", ["/feed/", "/feed/atom/", "topic rss", "topic atom"])
def test_no_seed_markup_is_live_in_any_feed(client, hostile, kind):
    slug = hostile.topics.get().slug
    url = {"topic rss": f"/topics/{slug}/feed/", "topic atom": f"/topics/{slug}/feed/atom/"}
    entries = _feed_entries(client, url.get(kind, kind))
    assert len(entries) == 1
    for field, (value, content_type) in entries[0].items():
        assert MARK in value, field  # the text is there
        if content_type == "html":
            # What a feed reader renders: it must show the markup as text, not build it.
            assert not Elements(value).live_markup(), field
            assert value.startswith(("Headline &lt;b", "Standfirst &lt;b")), field
        else:
            assert value.startswith(("Headline <b", "Wire <b", "Topic <b")), field
