"""What the home, topic and provider pages list, read through one seam: `listing_page()`, and
the same cursor rule over a story's coverage, `story_part()` (the story page's own read is
`articles.reader.story_pages`; docs/PERFORMANCE.md, "Second round").

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
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from taggit.models import Tag

from articles.db.compiled import ID, INLINED_ID, MOMENT, TEXT, CompiledQuery, Slot
from articles.editorial.corrections import shown
from articles.models import Article, Provider, TaggedArticle
from articles.reader.cards import CARD_COLUMNS, Card, CardMaker, topics_of
from articles.reader.cursors import ListingPage, Position
from articles.reader.templating import url_maker

ARTICLES_PER_PAGE = 20
MOST_DISCUSSED = 5
# A topic with at least this many articles is listed by walking every published article newest
# first, asking each whether it is on the topic, and stopping after the page: a big topic fills
# a page within a few hundred. A smaller one is read whole through its taggings and sorted
# (walking would read most of the site to find twenty). docs/PERFORMANCE.md, "Listings".
WALKED_TOPIC = 500


def _listed(of: str, key) -> Any:
    """What the listing `of` shows, before it is collapsed to one entry per story."""
    articles = Article.objects.published(key["now"])
    if of == "walked topic":
        # A scalar subquery, not EXISTS: PostgreSQL turns an EXISTS into a join through the
        # topic's taggings, sorted whole, when the topic is a large share of a small site (2.7 ms
        # for 577 of 2,000); a scalar one stays a probe per article of the walk, as on SQLite.
        tagging = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag=key["of"])
        return articles.alias(tagging=Subquery(tagging.values("tag")[:1])).filter(
            tagging__isnull=False
        )
    return articles.filter(**({of: key["of"]} if of else {}))


# The listings: the home page (no filter), a topic's (read either way), a provider's.
LISTINGS = {"home": "", "topic": "topics", "walked topic": "walked topic", "provider": "provider"}
NEWEST_FIRST = ("-source_published_at", "-id")


# The listings whose topic or provider is written into the SQL (`INLINED_ID`): on PostgreSQL a
# bound one was planned again on every page (~1.4 ms, more than running it), and a walked
# topic's plan kept for any topic joins through the taggings of an average one (318 ms for the
# biggest). Small topics stay bound: there are many, each read rarely.
INLINED = {"walked topic", "provider"}


def _slots(listing: str, cursor: bool) -> dict[str, Slot]:
    return {
        "now": MOMENT,
        **({"of": INLINED_ID if listing in INLINED else ID} if LISTINGS[listing] else {}),
        **({"date": MOMENT, "pk": ID} if cursor else {}),
    }


# Which way a page reads from its cursor: the newest (no cursor), older than it, newer than it.
# Older and newer pages read the cursor's own entry too, if it is still listed: that tells a
# cursor the site wrote (a listed entry's position, whose page may be stored) from any other.
_DIRECTIONS = {
    "newest": (None, NEWEST_FIRST),
    "older": (
        lambda date, pk: (
            Q(source_published_at__lte=date) & (Q(source_published_at__lt=date) | Q(pk__lte=pk))
        ),
        NEWEST_FIRST,
    ),
    "newer": (
        lambda date, pk: (
            Q(source_published_at__gte=date) & (Q(source_published_at__gt=date) | Q(pk__gte=pk))
        ),
        ("source_published_at", "id"),
    ),
}


@functools.cache
def _entries(listing: str, direction: str) -> CompiledQuery:
    """A page of a listing read from a cursor: its entries chosen (one per story), filtered
    from the cursor on and sliced in a subquery, walking the listing's index in its order and
    stopping after the page (no count, no offset); only those rows read with a card's columns
    and `other_sources`, newest first."""
    of, (beyond, order) = LISTINGS[listing], _DIRECTIONS[direction]
    # The cursor's own entry, the page, and one more to tell whether another page follows.
    wanted = ARTICLES_PER_PAGE + (2 if beyond else 1)

    def build(**key):
        # The cursor filters the entries after they are chosen: filtered before, a story's
        # newer articles would be out of sight and an older one listed in its place.
        entries = _listed(of, key).one_per_story()
        if beyond:
            entries = entries.filter(beyond(key["date"], key["pk"]))
        return (
            Article.objects.filter(pk__in=entries.order_by(*order).values("pk")[:wanted])
            .order_by(*NEWEST_FIRST)
            .with_other_sources(key["now"])
            .values_list(*CARD_COLUMNS, "story", "other_sources")
        )

    return CompiledQuery(build, **_slots(listing, cursor=bool(beyond)))


def listing_page(
    listing: str,
    of: int | None = None,
    *,
    older_than: Position | None = None,
    newer_than: Position | None = None,
    now=None,
) -> ListingPage | None:
    """A page of the listing ("home", "topic", "walked topic" or "provider", `of` the topic's
    or provider's id): one entry per story, newest first, each a `Card`; the newest page, or
    the entries just older (`older_than`) or newer (`newer_than`) than a cursor. None when the
    cursor has nothing beyond it in that direction, or a newer page would reach the newest
    entries: the reader is better served by the first page."""
    cursor = older_than or newer_than
    direction = "older" if older_than else "newer" if newer_than else "newest"
    key = {"now": now or timezone.now(), **({"of": of} if of is not None else {})}
    if cursor:
        key.update(date=cursor.date, pk=cursor.pk)
    rows = _entries(listing, direction).rows(**key)
    stored = cursor is None
    if cursor:
        stored = any(_row_position(row) == cursor for row in rows)
        rows = [row for row in rows if _row_position(row) != cursor]
    if direction == "newer":
        if len(rows) <= ARTICLES_PER_PAGE:
            return None
        more, rows = True, rows[-ARTICLES_PER_PAGE:]
    else:
        more, rows = len(rows) > ARTICLES_PER_PAGE, rows[:ARTICLES_PER_PAGE]
        if cursor and not rows:
            return None
    cards = _cards(rows)
    return ListingPage(
        cards,
        older=_position(cards[-1]) if more or direction == "newer" else None,
        newer=_position(cards[0]) if cursor else None,
        cursor=cursor,
        direction=direction,
        stored=stored,
    )


_DATE = CARD_COLUMNS.index("source_published_at")


def _row_position(row) -> Position:
    return Position(row[_DATE], row[0])


def _position(card: Card) -> Position:
    return Position(card.source_published_at, card.pk)


def story_part(
    coverage: list,
    older_than: Position | None = None,
    newer_than: Position | None = None,
    *,
    lead: Card | None = None,
) -> ListingPage | None:
    """A page of a story's coverage (`StoryPage.coverage`, newest first), by the listings'
    cursor rule: the story page reads all of a story's visible articles anyway (its title,
    description and share image need them; a story holds tens), so the page is cut from them.
    The `lead` (`StoryPage.lead`) comes first on the first page, the rest newest first after
    it, and on no other page. None as `listing_page`."""
    cursor = older_than or newer_than
    if lead is not None:
        coverage = [card for card in coverage if card is not lead]
        if cursor is None:  # the lead and the newest others, twenty in all
            page = story_part(coverage)  # never None without a cursor
            if len(page.cards) == ARTICLES_PER_PAGE:
                page.cards.pop()  # the next page starts with it
                page.older = _position(page.cards[-1])
            page.cards.insert(0, lead)
            return page
    if older_than:
        beyond = [card for card in coverage if _position(card) < older_than]
        cards = beyond[:ARTICLES_PER_PAGE]
        more = len(beyond) > ARTICLES_PER_PAGE
    elif newer_than:
        beyond = [card for card in coverage if _position(card) > newer_than]
        if len(beyond) <= ARTICLES_PER_PAGE:
            return None
        cards, more = beyond[-ARTICLES_PER_PAGE:], True
    else:
        cards, more = coverage[:ARTICLES_PER_PAGE], len(coverage) > ARTICLES_PER_PAGE
    if cursor and not cards:
        return None
    return ListingPage(
        cards,
        older=_position(cards[-1]) if more or newer_than else None,
        newer=_position(cards[0]) if cursor else None,
        cursor=cursor,
        direction="older" if older_than else "newer" if newer_than else "newest",
        stored=cursor is None or any(_position(card) == cursor for card in coverage),
    )


def _cards(rows) -> list[Card]:
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
    return cards


class Headline(NamedTuple):
    """An article as "Most discussed" shows it: a linked title and its provider's name."""

    url: str
    title: str
    provider_name: str
    language: str = ""  # the title's (BCP 47), "" unknown


_MOST_DISCUSSED = CompiledQuery(
    lambda now: (
        Article.objects.published(now)
        .filter(heat__isnull=False)
        .order_by("-heat", "-source_published_at", "-id")
        .values_list("id", "title", "editor_title", "slug", "provider__name", "language")[
            :MOST_DISCUSSED
        ]
    ),
    now=MOMENT,
)


def most_discussed(*, now=None) -> list[Headline]:
    """The hottest articles readers may see (the home page's first page shows them)."""
    url = url_maker()
    return [
        Headline(
            url("articles:detail", pk, slug), shown(title, editor_title), provider_name, language
        )
        for pk, title, editor_title, slug, provider_name, language in _MOST_DISCUSSED.rows(
            now=now or timezone.now()
        )
    ]


_TOPIC = CompiledQuery(
    lambda slug: (
        Tag.objects.filter(slug=slug)
        .annotate(
            # Whether it has WALKED_TOPIC articles (any: the threshold picks a plan, not what is
            # shown), read from its taggings' index up to there and no further.
            walked=Exists(
                TaggedArticle.objects.filter(tag=OuterRef("pk")).order_by()[
                    WALKED_TOPIC - 1 : WALKED_TOPIC
                ]
            )
        )
        .values_list("id", "name", "slug", "walked")[:1]
    ),
    slug=TEXT,
)
_PROVIDER_FIELDS = ("id", "name", "domain", "logo_thumbnail")
_PROVIDER = CompiledQuery(
    lambda domain: Provider.objects.filter(domain=domain).values_list(*_PROVIDER_FIELDS)[:1],
    domain=TEXT,
)


def topic_with_slug(slug: str) -> tuple[Tag, str] | None:
    """The topic and the listing that reads it ("topic" or "walked topic", `WALKED_TOPIC`)."""
    rows = _TOPIC.rows(slug=slug)
    if not rows:
        return None
    *fields, walked = rows[0]
    listing = "walked topic" if walked else "topic"
    return Tag.from_db(connection.alias, ["id", "name", "slug"], fields), listing


def provider_with_domain(domain: str) -> Provider | None:
    rows = _PROVIDER.rows(domain=domain)
    return Provider.from_db(connection.alias, list(_PROVIDER_FIELDS), rows[0]) if rows else None
