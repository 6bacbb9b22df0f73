"""RSS and Atom feeds of the latest published articles, for the whole site and per topic.

Which text is HTML to a feed reader (tested in tests/web/test_feed_markup.py):

- RSS 2.0 declares no type for `<title>` or `<description>` (channel and item), and readers
  disagree: many render them as HTML (feedparser, for one, guesses from the content), some show
  them as plain text. Seed text escaped once, as Django's XML writer does, comes out of the first
  kind as live markup: `<title>&lt;b&gt;</title>` is `<b>` to them. So in RSS these elements get
  the text escaped for HTML first (`&`, `<`, `>`; the XML writer then escapes again: `<` is
  written `&amp;lt;`). Every reader then shows the text and none builds markup; the cost is that
  a reader showing RSS titles as plain text shows `&lt;` and `&amp;` in the few titles that have
  `<` or `&`. Quotes are left alone: harmless in HTML text, and so every reader shows them as is.
- Atom declares `<title>`, `<subtitle>` and the author's `<name>` text (the default type, which
  Django leaves implicit) and the summary `type="html"`: the text constructs hold the text escaped
  once (for XML; escaping for HTML too would show `&lt;` in every reader), the summary the text
  escaped for HTML.
- Authors (RSS `<dc:creator>`) and categories are shown as text (feedparser never treats them as
  HTML): escaped once, in both formats.

A person who opens a feed in a browser sees it styled for reading (static/css/xml.css, named in
an `<?xml-stylesheet?>` instruction; the sitemap templates use it too), with a line that says
what a feed is for. CSS, not XSLT: Chromium 156 shows a banner on XSLT pages saying it is being
removed from browsers, and CSS needs nothing the content security policy ('self') forbids. The
feeds are served as `application/xml`: Chromium shows `application/rss+xml` and
`application/atom+xml` as plain source text, stylesheet or not, and feed readers go by the
content, not the type (the pages' `<link rel="alternate">` still give each feed's own type).

Characters XML 1.0 forbids are removed from all of it: a seed can carry C0 controls and U+FFFE
through YAML escapes, and one would make the whole feed unreadable.
"""

import html
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, Stylesheet
from django.utils.xmlutils import SimplerXMLGenerator
from taggit.models import Tag

from articles.models import Article

FEED_LENGTH = 30
# Everything outside XML 1.0's Char production: C0 controls but tab, newline and carriage return;
# surrogates (the importer's YAML parser refuses lone ones, but a str can hold them); U+FFFE/FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Text for an element a reader shows as text: the XML writer escapes it, once."""
    return _NOT_XML.sub("", text)


def _html_text(text: str) -> str:
    """Text for an element a reader renders as HTML: escaped for HTML, then by the XML writer."""
    return html.escape(_xml_text(text), quote=False)


# Served so that a browser renders the feed as XML, with its stylesheet (see above).
BROWSER_VIEWABLE_XML = "application/xml; charset=utf-8"


DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class StyledRssFeed(Rss201rev2Feed):
    """RSS 2.0; an item in a known language says which in `<dc:language>` (RSS has no element
    of its own for an item's language; the channel's `<language>` is the site's)."""

    content_type = BROWSER_VIEWABLE_XML

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])


class StyledAtom1Feed(Atom1Feed):
    """Atom with the `<?xml-stylesheet?>` instructions Django 5.2 writes for RSS only."""

    content_type = BROWSER_VIEWABLE_XML

    def item_attributes(self, item):
        # `xml:lang` on an entry: the language of its title and summary (the feed's is the
        # site's).
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class LatestArticlesFeed(Feed):
    feed_type = StyledRssFeed
    description = "The latest articles we publish."

    def stylesheets(self):
        return [Stylesheet(static("css/xml.css"), mimetype="text/css")]

    def _title_text(self, text: str) -> str:
        # A `<title>` (the feed's or an item's): HTML to many RSS readers, text in Atom.
        if issubclass(self.feed_type, Atom1Feed):
            return _xml_text(text)
        return _html_text(text)

    def title(self, obj=None):
        return self._title_text(f"{settings.SITE_NAME}: latest articles")

    def link(self, obj=None):
        return reverse("articles:home")

    def articles(self, obj=None):
        return Article.objects.published()

    def items(self, obj=None):
        return (
            self.articles(obj).select_related("provider").prefetch_related("topics")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return self._title_text(item.headline)

    def item_description(self, item):
        # RSS <description> and Atom <summary type="html"> are HTML to a feed reader; the
        # excerpt is plain text, so it goes in escaped (markup in a seed stays text).
        return _html_text(item.standfirst)

    def item_pubdate(self, item):
        return item.source_published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return _xml_text(item.provider.name)

    def item_categories(self, item):
        return [_xml_text(topic.name) for topic in item.topics.all()]

    def item_extra_kwargs(self, item):
        return {"language": item.language}


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = StyledAtom1Feed
    subtitle = LatestArticlesFeed.description


def _about_topic(topic) -> str:
    return f"The latest published articles on {topic.name}."


class TopicFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        topic = get_object_or_404(Tag, slug=slug)
        if not self.articles(topic).exists():
            raise Http404("No published articles on this topic.")
        return topic

    def articles(self, obj=None):
        return Article.objects.published().filter(topics=obj)

    def title(self, obj=None):
        return self._title_text(f"{settings.SITE_NAME}: {obj.name}")

    def link(self, obj=None):
        return reverse("articles:topic", args=[obj.slug])

    def description(self, obj=None):
        # RSS's channel <description>, HTML to readers (Atom writes the subtitle instead).
        return _html_text(_about_topic(obj))


class TopicAtomFeed(TopicFeed):
    feed_type = StyledAtom1Feed

    def subtitle(self, obj=None):
        # An Atom text construct: escaped once.
        return _xml_text(_about_topic(obj))
