"""Cards: what a listing or a story page shows of an article, made from a query's row.

A card holds the few values the `cards` macro (`_cards.html`) shows, its links made, its excerpt
shortened and its date rendered, instead of a model instance with a taggit manager: listings
(`articles.reader.listings`) make twenty a page. Every query that makes cards selects
`CARD_COLUMNS` first; a page's topics come in one query for all its cards (`topics_of`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from taggit.models import Tag

from articles.editorial.corrections import shown
from articles.models import TaggedArticle
from articles.reader.templating import date_element_maker, truncatewords, url_maker

EXCERPT_WORDS = 50  # of a card's excerpt


@dataclass(slots=True)
class Card:
    """What a listing shows of an article (the `cards` macro, `_cards.html`), links made."""

    pk: int
    url: str
    title: str  # the headline readers see (`Article.headline`)
    excerpt: str  # as shown (`Article.standfirst`): its first 50 words
    source_published_at: datetime
    published: str  # the date as shown, a <time> element
    provider_name: str
    provider_url: str
    language: str = ""  # the article's (BCP 47), "" unknown: the `lang` of its title and excerpt
    other_sources: int | None = None  # how many more of its story's articles readers may see
    story_url: str = ""  # "" without other sources
    topics: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (name, URL or "")

    @property
    def headline(self) -> str:
        """As `Article.headline`: a card's title is already the one readers see."""
        return self.title


@dataclass(slots=True)
class CoverageCard(Card):
    """An article as a story page lists it: a card, and what the page and its title need."""

    canonical_url: str = ""  # to tell the story's own articles from its links
    provider_id: int = 0
    quality: int | None = None  # with `heat`, for `Story.title_for_readers`
    heat: int | None = None


# What every card is made from (`CardMaker`), first in each query that makes cards.
CARD_COLUMNS = (
    "id",
    "title",
    "editor_title",
    "slug",
    "excerpt",
    "editor_excerpt",
    "source_published_at",
    "provider__name",
    "provider__domain",
    "language",
)


class CardMaker:
    """Makes one page's cards: links, excerpts and dates as shown, with the script prefix, the
    time zone and the language looked up once for the page."""

    def __init__(self):
        self.url, self.date_html = url_maker(), date_element_maker()

    def make(self, kind: type[Card], row: tuple, **more) -> Card:
        """A `kind` of card from a row that starts with `CARD_COLUMNS`; `more` its other values."""
        (pk, title, editor_title, slug, excerpt, editor_excerpt, date, provider_name, domain) = row[
            : len(CARD_COLUMNS) - 1
        ]
        language = row[len(CARD_COLUMNS) - 1]
        return kind(
            pk=pk,
            url=self.url("articles:detail", pk, slug),
            title=shown(title, editor_title),
            excerpt=truncatewords(shown(excerpt, editor_excerpt), EXCERPT_WORDS),
            source_published_at=date,
            published=self.date_html(date),
            provider_name=provider_name,
            provider_url=self.url("articles:provider", domain),
            language=language,
            **more,
        )


_TOPICS_SQL = """
SELECT x.{article}, t.id, t.name, t.slug FROM {tags} t JOIN {taggings} x ON x.{tag} = t.id
WHERE x.{article} IN ({{ids}}) ORDER BY x.id""".format(
    tags=Tag._meta.db_table,
    taggings=TaggedArticle._meta.db_table,
    article=TaggedArticle._meta.get_field("content_object").column,
    tag=TaggedArticle._meta.get_field("tag").column,
)


def topics_of(ids: list[int], url) -> dict[int, list[tuple[str, str]]]:
    """Each article's topics, in the order its seed file lists them, as `Card.topics` (`url`
    a page's `CardMaker.url`); one query."""
    found: dict[int, list[tuple[str, str]]] = {}
    if not ids:
        return found
    with connection.cursor() as cursor:
        cursor.execute(_TOPICS_SQL.format(ids=", ".join(["%s"] * len(ids))), ids)
        for article, _, name, slug in cursor.fetchall():
            found.setdefault(article, []).append(
                (name, url("articles:topic", slug) if slug else "")
            )
    return found
