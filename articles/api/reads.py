"""What the API's lists and details read: only `Article.objects.published()` and what it
reaches, a page at a time by keyset (no count, no offset), as the reader listings page.

Articles come newest first (source date, then id: `reader.cursors.Position`, the order the
listings' indexes keep, migrations 0015 and 0017); every visible article is listed, not one
per story. A page reads one row more than it shows to know whether another follows, and the
cursor's own row, to tell a cursor the API wrote (a listed article's) from any other: only the
former's pages are stored in the page cache, so forged cursors cannot fill it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Provider, Story, TaggedArticle
from articles.reader.cursors import Position
from articles.search.backends import search_backend
from articles.search.backends.base import SearchTooBroad
from articles.search.query import parse_query
from articles.search.ranking import RANKED_AT_MOST

PAGE_SIZE = 20
NEWEST_FIRST = ("-source_published_at", "-id")
# What an article's representation reads (`representation.article_data`): never the payloads.
_ARTICLE_FIELDS = (
    "id",
    "title",
    "slug",
    "excerpt",
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
    "quality",
    "heat",
    "provider__id",
    "provider__name",
    "provider__domain",
)


class TooBroad(Exception):
    """The search index gave up on the query in time."""


@dataclass
class Page:
    items: list  # model instances (articles, stories, topics or providers)
    next_cursor: str | None
    stored: bool  # no cursor, or one the API wrote: fit for the page cache


def changed_at(article) -> datetime:
    """When what readers see of `article` last changed: its content (`updated_at`), an
    editor's decision (`reviewed_at`) or its embargo passing (`publish_at`). `Last-Modified`."""
    moments = [article.updated_at, article.reviewed_at, article.publish_at]
    now = timezone.now()
    return max(m for m in moments if m is not None and m <= now)


def _visible(now):
    return (
        Article.objects.published(now)
        .select_related("provider")
        .only(*_ARTICLE_FIELDS)
        .prefetch_related("topics")
    )


def article(pk: int) -> Article | None:
    """The article `pk` if readers may see it (a held, embargoed or expired one is None)."""
    return _visible(timezone.now()).filter(pk=pk).first()


def _filtered(now, *, topic: str, provider: str, story: str, since: datetime | None):
    """The visible articles the filters leave, or None when a filter names nothing."""
    articles = _visible(now)
    if topic:
        tag = Tag.objects.filter(slug=topic).values_list("pk", flat=True).first()
        if tag is None:
            return None
        on_topic = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag=tag)
        articles = articles.filter(Exists(on_topic))
    if provider:
        found = Provider.objects.filter(domain=provider).values_list("pk", flat=True).first()
        if found is None:
            return None
        articles = articles.filter(provider=found)
    if story:
        articles = articles.filter(story=int(story))
    if since:
        # Changed since: its content, a decision on it, or its embargo passing meanwhile.
        articles = articles.filter(
            Q(updated_at__gte=since)
            | Q(reviewed_at__gte=since)
            | Q(publish_at__gte=since, publish_at__lte=now)
        )
    return articles


def article_page(*, cursor: Position | None, q: str = "", **filters) -> Page:
    """A page of articles, newest first, from `cursor` (its own article excluded)."""
    now = timezone.now()
    articles = _filtered(now, **filters)
    if articles is None:
        return Page([], None, stored=True)
    if q:
        articles = _searched(articles, q)
    if cursor:
        articles = articles.filter(
            Q(source_published_at__lt=cursor.date)
            | Q(source_published_at=cursor.date, pk__lte=cursor.pk)
        )
    rows = list(articles.order_by(*NEWEST_FIRST)[: PAGE_SIZE + (2 if cursor else 1)])
    stored = cursor is None
    if cursor:
        stored = any(_position(row) == cursor for row in rows)
        rows = [row for row in rows if _position(row) != cursor]
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    return Page(rows, _position(rows[-1]).cursor if more else None, stored)


def _searched(articles, q: str):
    """Those of `articles` the site's search matches (at most RANKED_AT_MOST, the most recent:
    what the readers' search ranks); listed newest first like every list."""
    parsed = parse_query(q)
    if not parsed:
        return articles.none()
    try:
        matches = search_backend().ranked_matches(articles, parsed, RANKED_AT_MOST)
    except SearchTooBroad as too_broad:
        raise TooBroad from too_broad
    return articles.filter(pk__in=[match[0] for match in matches])


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
        .only("id", "title", "quality", "heat", "source_published_at", "story")
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
    """Topics with articles readers may see, by slug, each with `article_count`."""
    topics = Article.objects.published().topic_counts().order_by("slug")
    if cursor:
        topics = topics.filter(slug__gte=cursor)
    return _named_page(topics, cursor, key=lambda topic: topic.slug)


def provider_page(*, cursor: str) -> Page:
    """Providers with articles readers may see, by domain, each with `article_count`."""
    providers = Article.objects.published().provider_counts().order_by("domain")
    if cursor:
        providers = providers.filter(domain__gte=cursor)
    return _named_page(providers, cursor, key=lambda provider: provider.domain)
