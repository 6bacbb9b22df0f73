"""Reading articles for a sweep: in (date, id) order, a chunk at a time, each as an `Item` with
its terms and the canonical URLs its related links list (the evidence of explicit links)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q

from articles.clustering.embedding import embed, headline_text
from articles.clustering.index import Item
from articles.clustering.words import names, terms
from articles.ingest.seeds import canonical_url
from articles.models import Article, RelatedLink, shown

STREAM_CHUNK = 2000


def canonical_related_url(url: str) -> str:
    """`seeds.canonical_url`, without parsing the URLs that are canonical already (most are):
    a lower-case scheme and host, no fragment, nothing `urlunsplit` would tidy away."""
    host_end = url.find("/", url.find("//") + 2)
    head = url if host_end < 0 else url[:host_end]
    if host_end > 0 and head.islower() and "#" not in url and not url.endswith("?"):
        return url
    return canonical_url(url)


def items_in_date_order(query: Q) -> Iterator[Item]:
    """Articles matching `query` in (date, id) order, read a chunk at a time with their related
    links' canonical URLs."""
    base = Article.objects.filter(query).order_by("source_published_at", "id")
    after = None
    while True:
        page = base
        if after is not None:
            date, pk = after
            # The plain bound lets the database seek in its date index; the OR alone would
            # make it read every earlier row again for every chunk.
            page = page.filter(
                Q(source_published_at__gte=date),
                Q(source_published_at__gt=date) | Q(source_published_at=date, id__gt=pk),
            )
        rows = list(
            page.values_list(
                "id",
                "source_published_at",
                "canonical_url",
                "title",
                "editor_title",
                "excerpt",
                "story_id",
                "story_pinned",
                "quality",
                "heat",
                "language",
            )[:STREAM_CHUNK]
        )
        if not rows:
            return
        related = defaultdict(set)
        for article_id, url in RelatedLink.objects.filter(
            article_id__in=[row[0] for row in rows]
        ).values_list("article_id", "url"):
            related[article_id].add(canonical_related_url(url))
        vectors = embed([headline_text(row[3], row[5]) for row in rows])
        for number, row in enumerate(rows):
            pk, date, url, title, editor_title, excerpt, story_id, pinned, quality, heat = row[:10]
            language = row[10]
            yield Item(
                pk,
                date,
                url,
                terms(title, excerpt, language),
                frozenset(related[pk]),
                story_id,
                pinned,
                shown(title, editor_title)[:500],  # a new story's title: its lead's headline
                quality,
                heat,
                vectors[number].copy(),
                names(title, excerpt, language),
            )
        after = (rows[-1][1], rows[-1][0])
