"""What the API's lists and details read: only `Article.objects.published()` and what it
reaches, a page at a time by keyset (no count, no offset), as the reader listings page.

Articles come newest first (source date, then id: `reader.cursors.Position`, the order the
listings' indexes keep, migrations 0015 and 0017); every visible article is listed, not one
per story. A page reads one row more than it shows to know whether another follows, and the
cursor's own row, to tell a cursor the API wrote (a listed article's) from any other: only the
former's pages are stored in the page cache, so forged cursors cannot fill it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from taggit.models import Tag

from articles.db.compiled import ID, MOMENT, CompiledQuery
from articles.models import Article, Provider, Story, TaggedArticle, shown
from articles.reader import indexes
from articles.reader.cursors import Position
from articles.search.backends import search_backend
from articles.search.backends.base import SearchTooBroad
from articles.search.query import parse_query
from articles.search.ranking import RANKED_AT_MOST

PAGE_SIZE = 20
NEWEST_FIRST = ("-source_published_at", "-id")
# What an article's representation reads (`representation.article_data`), and when it last
# changed (`changed_at`): never the payloads. Read as rows into `ArticleRow`s.
_COLUMNS = (
    "id",
    "title",
    "editor_title",
    "slug",
    "excerpt",
    "editor_excerpt",
    "body",
    "category",
    "type",
    "source_published_at",
    "updated_at",
    "reviewed_at",
    "publish_at",
    "web_url",
    "original_url",
    "canonical_url",
    "story",
    "provider__id",
    "provider__name",
    "provider__domain",
)


class ProviderRow(NamedTuple):
    pk: int
    name: str
    domain: str


class ArticleRow(NamedTuple):
    """An article as `representation.article_data` reads it (a model instance would do too):
    twenty of these cost a fraction of twenty `Article`s with their providers."""

    pk: int
    title: str
    editor_title: str
    slug: str
    excerpt: str
    editor_excerpt: str
    body: str
    category: str
    type: str
    source_published_at: datetime
    updated_at: datetime
    reviewed_at: datetime | None
    publish_at: datetime | None
    web_url: str
    original_url: str
    canonical_url: str
    story_id: int | None
    provider: ProviderRow

    @property
    def headline(self) -> str:
        return shown(self.title, self.editor_title)

    @property
    def standfirst(self) -> str:
        return shown(self.excerpt, self.editor_excerpt)

    @classmethod
    def from_row(cls, row) -> ArticleRow:
        return cls(*row[:-3], ProviderRow(*row[-3:]))


class TooBroad(Exception):
    """The search index gave up on the query in time."""


@dataclass
class Page:
    items: list  # model instances (articles, stories, topics or providers)
    next_cursor: str | None
    stored: bool  # no cursor, or one the API wrote: fit for the page cache
    topics: dict = field(default_factory=dict)  # articles' only: `topics_of` them


def changed_at(article) -> datetime:
    """When what readers see of `article` last changed: its content (`updated_at`), an
    editor's decision (`reviewed_at`) or its embargo passing (`publish_at`). `Last-Modified`."""
    moments = [article.updated_at, article.reviewed_at, article.publish_at]
    now = timezone.now()
    return max(m for m in moments if m is not None and m <= now)


class Topic(NamedTuple):
    name: str
    slug: str


def topics_of(articles) -> dict[int, list[Topic]]:
    """Each article's topics, in the order its seed lists them, in one query (taggit's own
    prefetch cost 60% of a page: a queryset per article)."""
    found: dict[int, list[Topic]] = {article.pk: [] for article in articles}
    taggings = (
        TaggedArticle.objects.filter(content_object__in=list(found))
        .order_by("id")
        .values_list("content_object", "tag__name", "tag__slug")
    )
    for pk, name, slug in taggings:
        found[pk].append(Topic(name, slug))
    return found


def article(pk: int) -> tuple[ArticleRow, list[Topic]] | None:
    """The article `pk` and its topics if readers may see it (else None: held, embargoed or
    expired)."""
    rows = Article.objects.published().filter(pk=pk).values_list(*_COLUMNS)
    found = [ArticleRow.from_row(row) for row in rows]
    return (found[0], topics_of(found)[pk]) if found else None


# The filters a list may combine, each bound as a slot of its compiled query.
_FILTER_SLOTS = {"topic": ID, "provider": ID, "story": ID, "since": MOMENT}
_CURSOR_SLOTS = {"date": MOMENT, "pk": ID}


def _filtered(key: dict, searched: list[int] | None = None):
    """The visible articles the filters in `key` leave (from its cursor on, if any)."""
    now = key["now"]
    articles = Article.objects.published(now)
    if "topic" in key:
        on_topic = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag=key["topic"])
        articles = articles.filter(Exists(on_topic))
    if "provider" in key:
        articles = articles.filter(provider=key["provider"])
    if "story" in key:
        articles = articles.filter(story=key["story"])
    if "since" in key:
        # Changed since: its content, a decision on it, or its embargo passing meanwhile.
        since = key["since"]
        articles = articles.filter(
            Q(updated_at__gte=since)
            | Q(reviewed_at__gte=since)
            | Q(publish_at__gte=since, publish_at__lte=now)
        )
    if searched is not None:
        articles = articles.filter(pk__in=searched)
    if "date" in key:  # from a cursor on, its own article included (see the module's doc)
        date = key["date"]
        # Written as the listings write it (`reader.listings`): a bound on the date the index
        # can seek to, then the tie on the id; an OR alone read and sorted every article.
        articles = articles.filter(
            Q(source_published_at__lte=date)
            & (Q(source_published_at__lt=date) | Q(pk__lte=key["pk"]))
        )
    return articles


def _listed(key: dict, searched: list[int] | None = None):
    """A page's rows: one more than a page, and the cursor's own (see the module's doc)."""
    wanted = PAGE_SIZE + (2 if "date" in key else 1)
    rows = _filtered(key, searched).order_by(*NEWEST_FIRST).values_list(*_COLUMNS)
    return rows[:wanted]


@functools.cache
def _compiled(names: frozenset[str]) -> CompiledQuery:
    """The list's query for this combination of filters (and a cursor or none), compiled once
    per process (`db.compiled`): the ORM's own SQL, without building it on every request."""
    slots = {
        name: slot for name, slot in {**_FILTER_SLOTS, **_CURSOR_SLOTS}.items() if name in names
    }
    return CompiledQuery(lambda **key: _listed(key), now=MOMENT, **slots)


def _ids(model, **lookup) -> int | None:
    return model.objects.filter(**lookup).values_list("pk", flat=True).first()


def article_page(
    *, cursor: Position | None, q: str = "", topic="", provider="", story="", since=None
) -> Page:
    """A page of articles, newest first, from `cursor` (its own article excluded)."""
    key: dict = {"now": timezone.now()}
    if topic and (key.setdefault("topic", _ids(Tag, slug=topic)) is None):
        return Page([], None, stored=True)  # no such topic: nothing listed
    if provider and (key.setdefault("provider", _ids(Provider, domain=provider)) is None):
        return Page([], None, stored=True)
    if story:
        key["story"] = int(story)
    if since:
        key["since"] = since
    if cursor:
        key.update(date=cursor.date, pk=cursor.pk)
    if q:
        rows = list(_listed(key, _searched(key, q)))
    else:
        rows = _compiled(frozenset(key)).rows(**key)
    found = [ArticleRow.from_row(row) for row in rows]
    stored = cursor is None
    if cursor:
        stored = any(_position(row) == cursor for row in found)
        found = [row for row in found if _position(row) != cursor]
    more, found = len(found) > PAGE_SIZE, found[:PAGE_SIZE]
    return Page(found, _position(found[-1]).cursor if more else None, stored, topics_of(found))


def _searched(key: dict, q: str) -> list[int]:
    """The ids of the filtered articles the site's search matches (at most RANKED_AT_MOST, the
    most recent: what the readers' search ranks); listed newest first like every list."""
    parsed = parse_query(q)
    if not parsed:
        return []
    filtered = {name: value for name, value in key.items() if name not in _CURSOR_SLOTS}
    articles = _filtered(filtered)
    try:
        matches = search_backend().ranked_matches(articles, parsed, RANKED_AT_MOST)
    except SearchTooBroad as too_broad:
        raise TooBroad from too_broad
    return [match[0] for match in matches]


def _position(article) -> Position:
    return Position(article.source_published_at, article.pk)


def last_change(articles) -> datetime | None:
    return max((changed_at(article) for article in articles), default=None)


# --- Stories, topics, providers


def visible_members(stories, now) -> dict[int, list[Article]]:
    """The articles readers may see of each story, in one query."""
    members: dict[int, list[Article]] = {story.pk: [] for story in stories}
    for article in (
        Article.objects.published(now)
        .filter(story__in=list(members))
        .only("id", "title", "editor_title", "quality", "heat", "source_published_at", "story")
    ):
        members[article.story_id].append(article)
    return members


def story(pk: int):
    """(story, its visible articles), or None when readers may see none of them."""
    now = timezone.now()
    found = Story.objects.filter(pk=pk).only("id", "lead").first()
    members = visible_members([found], now)[pk] if found else []
    return (found, members) if members else None


def story_page(*, cursor: str) -> tuple[Page, dict[int, list[Article]]]:
    """Stories readers may see, newest first (by id: a story keeps its place in the list while
    its articles come and go), with their visible articles."""
    now = timezone.now()
    stories = Story.objects.with_readers(now).only("id", "lead").order_by("-id")
    if cursor:
        stories = stories.filter(pk__lte=int(cursor))
    return _named_page(stories, cursor, key=lambda story: str(story.pk), now=now)


def _named_page(queryset, cursor: str, *, key, now=None):
    rows = list(queryset[: PAGE_SIZE + (2 if cursor else 1)])
    stored = not cursor or any(key(row) == cursor for row in rows)
    rows = [row for row in rows if key(row) != cursor]
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    page = Page(rows, key(rows[-1]) if more else None, stored)
    if now is None:
        return page
    return page, visible_members(rows, now)


def topic_page(*, cursor: str) -> Page:
    """Topics with articles readers may see, by slug, each with `article_count`: the indexes'
    counts (`reader.indexes`, counted once per change of what readers see)."""
    topics = sorted(indexes.topic_counts(), key=lambda topic: topic.slug)
    return _named_page([t for t in topics if t.slug >= cursor], cursor, key=lambda t: t.slug)


class CountedProvider(NamedTuple):
    pk: int
    name: str
    domain: str
    article_count: int


def provider_page(*, cursor: str) -> Page:
    """Providers with articles readers may see, by domain, each with `article_count` (as
    `topic_page`)."""
    providers = sorted(indexes.provider_counts(), key=lambda provider: provider.domain)
    listed = [p for p in providers if p.domain >= cursor]
    page = _named_page(listed, cursor, key=lambda provider: provider.domain)
    shown = [provider.domain for provider in page.items]
    ids = dict(Provider.objects.filter(domain__in=shown).values_list("domain", "pk"))
    page.items = [
        CountedProvider(ids[p.domain], p.name, p.domain, p.article_count)
        for p in page.items
        if p.domain in ids
    ]
    return page
