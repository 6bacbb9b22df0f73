"""What the home, topic, provider and story pages list, read through one seam:
`listing_page()` and `story_page()` (docs/PERFORMANCE.md, "Second round").

Uncached, these pages cost ten times what their SQL does: building and compiling the ORM
querysets (a per-story `NOT EXISTS` and a correlated count), making model instances and a taggit
manager per card. So each query here is compiled once per process (`articles.db.compiled`) from
the same ORM querysets the pages are defined by, `published()` and `one_per_story()` included,
and run again with only its values re-bound: the moment the page is built, the topic, provider
or story (the same querysets run through the ORM cost 3-10 ms more a page, `bench/
compiled_query.py`). Rows come back as tuples and become cards (`articles.reader.cards`), the
few values a card shows. Nothing here writes a rule again: the SQL is the ORM's (but for the
topics of a page's cards, `cards.topics_of`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.db import connection
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.models import Tag

from articles.db.compiled import ID, MOMENT, TEXT, CompiledQuery, Slot
from articles.ingest.seeds import canonical_url
from articles.models import Article, Provider, RelatedLink, Story
from articles.reader.cards import CARD_COLUMNS, Card, CardMaker, CoverageCard, topics_of
from articles.reader.markdown import http_url
from articles.reader.templating import url_maker

ARTICLES_PER_PAGE = 20
MOST_DISCUSSED = 5


def _listed(of: str, key) -> Any:
    """What the listing `of` shows, before it is collapsed to one entry per story."""
    return Article.objects.published(key["now"]).filter(**({of: key["of"]} if of else {}))


# The listings: the home page (no filter), a topic's, a provider's.
LISTINGS = {"home": "", "topic": "topics", "provider": "provider"}


def _slots(listing: str) -> dict[str, Slot]:
    return {"now": MOMENT, **({"of": ID} if LISTINGS[listing] else {})}


@functools.cache
def _entry_count(listing: str) -> CompiledQuery:
    of = LISTINGS[listing]
    return CompiledQuery(lambda **key: _listed(of, key).entry_count_per_story(), **_slots(listing))


@functools.lru_cache(maxsize=256)
def _entries(listing: str, number: int) -> CompiledQuery:
    """Page `number` of a listing: its entries chosen, sorted and sliced in a subquery, and
    only those rows read with a card's columns and `other_sources`."""
    of = LISTINGS[listing]
    bottom = (number - 1) * ARTICLES_PER_PAGE

    def build(**key):
        entries = _listed(of, key).one_per_story().values("pk")[bottom : bottom + ARTICLES_PER_PAGE]
        return (
            Article.objects.filter(pk__in=entries)
            .with_other_sources(key["now"])
            .values_list(*CARD_COLUMNS, "story", "other_sources")
        )

    return CompiledQuery(build, **_slots(listing))


class _ListingPaginator(Paginator):
    def __init__(self, listing: str, of: int | None, now: datetime):
        super().__init__([], ARTICLES_PER_PAGE)
        self.listing, self.key = listing, {"now": now, **({"of": of} if of is not None else {})}

    @cached_property
    def count(self) -> int:
        return _entry_count(self.listing).rows(**self.key)[0][0]

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if not self.count:
            return Page([], number, self)
        query = _entries(self.listing, number)
        rows = query.rows(**self.key)
        maker = CardMaker()
        topics = topics_of([row[0] for row in rows], maker.url)
        cards = []
        for row in rows:
            story, others = row[len(CARD_COLUMNS) :]
            cards.append(
                maker.make(
                    Card,
                    row,
                    other_sources=others,
                    story_url=maker.url("articles:story_short", story) if others else "",
                    topics=topics.get(row[0], []),
                )
            )
        return Page(cards, number, self)


def listing_page(listing: str, number: int, of: int | None = None, *, now=None) -> Page:
    """Page `number` of the listing ("home", "topic" or "provider", `of` the topic's or
    provider's id): one entry per story, newest first, each a `Card`. Raises InvalidPage."""
    return _ListingPaginator(listing, of, now or timezone.now()).page(number)


class Headline(NamedTuple):
    """An article as "Most discussed" shows it: a linked title and its provider's name."""

    url: str
    title: str
    provider_name: str


_MOST_DISCUSSED = CompiledQuery(
    lambda now: (
        Article.objects.published(now)
        .filter(heat__isnull=False)
        .order_by("-heat", "-source_published_at", "-id")
        .values_list("id", "title", "slug", "provider__name")[:MOST_DISCUSSED]
    ),
    now=MOMENT,
)


def most_discussed(*, now=None) -> list[Headline]:
    """The hottest articles readers may see (the home page's first page shows them)."""
    url = url_maker()
    return [
        Headline(url("articles:detail", pk, slug), title, provider_name)
        for pk, title, slug, provider_name in _MOST_DISCUSSED.rows(now=now or timezone.now())
    ]


_TOPIC = CompiledQuery(
    lambda slug: Tag.objects.filter(slug=slug).values_list("id", "name", "slug")[:1], slug=TEXT
)
_PROVIDER_FIELDS = ("id", "name", "domain", "logo_thumbnail")
_PROVIDER = CompiledQuery(
    lambda domain: Provider.objects.filter(domain=domain).values_list(*_PROVIDER_FIELDS)[:1],
    domain=TEXT,
)


def topic_with_slug(slug: str) -> Tag | None:
    rows = _TOPIC.rows(slug=slug)
    return Tag.from_db(connection.alias, ["id", "name", "slug"], rows[0]) if rows else None


def provider_with_domain(domain: str) -> Provider | None:
    rows = _PROVIDER.rows(domain=domain)
    return Provider.from_db(connection.alias, list(_PROVIDER_FIELDS), rows[0]) if rows else None


class Link(NamedTuple):
    """A related link as the story page lists it."""

    href: str  # the URL if it is http(s), else "" (`http_url`): shown as text, not linked
    title: str
    provider_name: str | None
    published: str  # the date as shown, or ""


@dataclass
class StoryPage:
    story: Story  # its title the one readers may see (`Story.title_for_readers`)
    coverage: list[CoverageCard]  # the story's articles readers may see, newest first
    links: list[Link]  # the links those articles list, newest first, each URL once, ours not


_STORY = CompiledQuery(
    lambda pk: Story.objects.filter(pk=pk).values_list("id", "title", "lead")[:1], pk=ID
)
_COVERAGE = CompiledQuery(
    lambda now, pk: (
        Article.objects.published(now)
        .filter(story=pk)
        .order_by("-source_published_at", "-id")
        .values_list(*CARD_COLUMNS, "canonical_url", "provider", "quality", "heat")
    ),
    now=MOMENT,
    pk=ID,
)
_STORY_LINKS = CompiledQuery(
    lambda now, pk: (
        RelatedLink.objects.filter(article__in=Article.objects.published(now).filter(story=pk))
        .order_by("-source_published_at", "article", "position")
        .values_list("url", "title", "provider__name", "source_published_at")
    ),
    now=MOMENT,
    pk=ID,
)


def story_page(pk: int, *, now=None, links=True) -> StoryPage | None:
    """The story `pk` as readers see it, or None when readers may see none of its articles (a
    story readers cannot see says nothing about its unpublished articles). Three queries, two
    without `links` (its address and share image need none)."""
    now = now or timezone.now()
    found = _STORY.rows(pk=pk)
    coverage_rows = _COVERAGE.rows(now=now, pk=pk) if found else []
    if not coverage_rows:
        return None
    maker = CardMaker()
    coverage = []
    for row in coverage_rows:
        canonical, provider, quality, heat = row[len(CARD_COLUMNS) :]
        coverage.append(
            maker.make(
                CoverageCard,
                row,
                canonical_url=canonical,
                provider_id=provider,
                quality=quality,
                heat=heat,
            )
        )
    story = Story.from_db(connection.alias, ["id", "title", "lead_id"], found[0])
    # Readers get the title (and so the address and share image) of an article they may see:
    # the lead may be held, embargoed or taken down. Not saved: editors keep the lead's title.
    story.title = story.title_for_readers(coverage)
    shown = {card.canonical_url for card in coverage}
    shown_links = []
    for address, title, provider_name, date in _STORY_LINKS.rows(now=now, pk=pk) if links else ():
        identity = canonical_url(address)
        if identity not in shown:
            shown.add(identity)
            shown_links.append(Link(http_url(address), title, provider_name, maker.date_html(date)))
    return StoryPage(story, coverage, shown_links)
