"""Stories: articles about one event, from many providers, grouped as they are imported.

`cluster_new_articles()` places every article that has no story yet, sweeping all articles in
source-date order with a sliding window (`WINDOW` either side), so memory is bounded by the
window, not the table. Evidence, in order:

1. explicit links: an article whose related links list another article's canonical URL, or
   whose canonical URL another article's related links list, joins that article's story;
   sharing a related URL with a story's articles is weaker evidence of the same kind; a URL
   that many of the window's articles list (a provider's home page) is none, and a link joins
   only a story that opened within its span, as text does;
2. text: TF-IDF of title and excerpt, and their static word embedding (`embedding`), each
   compared by cosine with the story's centroid (the sum of its members' vectors) and mixed
   (`index.similarity`), never with single members: an article joins a story it resembles as a
   whole, so a chain of pairwise near-misses cannot weld two events together.

An article placed by an editor (`Article.story_pinned`) is never moved; an article already in a
story stays there (clustering is incremental); `rebuild()` clears the stories of the unpinned
articles and clusters everything again; `run_clustering()` runs either on its own, under the
import lock. Thresholds: bench/stories.py, docs/PERFORMANCE.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Min, Q

from articles.clustering.index import (
    LEXICAL_THRESHOLD,
    TEXT_THRESHOLD,
    WINDOW,
    Item,
    StoryIndex,
)
from articles.clustering.reading import STREAM_CHUNK, items_in_date_order
from articles.clustering.words import terms
from articles.clustering.writing import FinishedStory, StoryWriter
from articles.db.locks import import_lock
from articles.models import Article, Story, readers_see_changes
from articles.webhooks.events import stories_may_change

__all__ = [
    "LEXICAL_THRESHOLD",
    "TEXT_THRESHOLD",
    "WINDOW",
    "ClusterSummary",
    "Item",
    "StoryIndex",
    "cluster_new_articles",
    "rebuild",
    "run_clustering",
    "terms",
]


@dataclass
class ClusterSummary:
    placed: int = 0
    by_link: int = 0
    by_text: int = 0
    new_stories: int = 0
    read: int = 0  # articles the sweep read, placed or not
    peak_mb: float = 0.0  # the clustering process's own peak RSS, when it ran apart (`apart`)

    def __str__(self):
        return (
            f"{self.placed} articles placed ({self.by_link} by links, {self.by_text} by text, "
            f"{self.new_stories} new stories); {self.read} articles read"
        )


def cluster_new_articles(
    *,
    dry_run: bool = False,
    on_progress: Callable[[int], None] | None = None,
    write: Callable[[list[FinishedStory]], None] | None = None,
    batch: int | None = None,
    read: Callable[[Q], Iterable[Item]] = items_in_date_order,
) -> ClusterSummary:
    """Give every article without a story one, by links, then text, else a new story.

    Reads only the source dates where such articles are, widened by the window; an import that
    changed nothing costs one query. Stories are written as they leave the window, a few hundred
    at a time, so memory holds the window and one batch.

    `write`: where each batch of finished stories goes instead of `writing.write_stories` here
    (`apart` hands them to the importing process); whoever writes them then tells readers
    (`readers_see_changes`), once the last is in. `batch`: stories per batch
    (`StoryWriter.BATCH` unless told otherwise). `read`: what reads the articles in date order
    (`reading.items_in_date_order`, or `apart` reading them in a process of their own)."""
    summary = ClusterSummary()
    span = Article.objects.filter(story__isnull=True).aggregate(
        first=Min("source_published_at"), last=Max("source_published_at")
    )
    if span["first"] is None:
        return summary
    writer = StoryWriter(dry_run=dry_run, write=write, batch=batch)
    index = StoryIndex(on_done=writer.add)
    for item in read(
        Q(source_published_at__gte=span["first"] - WINDOW)
        & Q(source_published_at__lte=span["last"] + WINDOW)
    ):
        summary.read += 1
        _, how = index.add(item)
        if how != "kept":
            summary.placed += 1
            summary.by_link += how == "link"
            summary.by_text += how == "text"
            summary.new_stories += how == "new"
        if on_progress is not None and summary.read % STREAM_CHUNK == 0:
            on_progress(summary.read)
    index.finish()
    writer.flush()
    if writer.wrote and write is None:
        readers_see_changes()
    return summary


CLEAR_CHUNK = 500  # articles a rebuild clears per transaction (ids per `pk__in`, too)


def rebuild(
    *, dry_run: bool = False, on_progress: Callable[[int], None] | None = None
) -> ClusterSummary:
    """Cluster everything again, keeping what editors decided (pinned articles and their
    stories). In a dry run nothing is cleared or written (the figures are those of clustering
    the articles that have no story yet).

    It writes in chunks, each its own short transaction (clearing `CLEAR_CHUNK` articles at a
    time, then the clusterer's batches), never one transaction for the whole table: on SQLite a
    transaction holds the one write lock, and a desk decision waiting behind it gives up after
    `SQLITE_TIMEOUT`. Meanwhile readers may see an unpinned article without its story until
    its chunk is clustered again; a rebuild cut short leaves such articles to the next
    clustering (every import runs one)."""
    if dry_run:
        return cluster_new_articles(dry_run=True, on_progress=on_progress)
    unpinned = Article.objects.filter(story__isnull=False, story_pinned=False).order_by("pk")
    after = 0
    while chunk := list(unpinned.filter(pk__gt=after).values_list("pk", "story_id")[:CLEAR_CHUNK]):
        after = chunk[-1][0]
        with transaction.atomic():
            Article.objects.filter(pk__in=[pk for pk, _ in chunk], story_pinned=False).update(
                story=None
            )
            Story.objects.filter(pk__in={story for _, story in chunk}).refresh_from_members()
            stories_may_change(moves=chunk)
    return cluster_new_articles(on_progress=on_progress)


def run_clustering(
    *,
    rebuild_all: bool = False,
    dry_run: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> ClusterSummary:
    """Clustering on its own, as `manage.py cluster_stories` runs it: `rebuild()` if
    `rebuild_all`, else `cluster_new_articles()`. It holds the import lock, so it never runs
    while an import writes articles (an import clusters under that lock itself) and raises
    ImportAlreadyRunning when one does; a dry run writes nothing and takes no lock."""
    run = rebuild if rebuild_all else cluster_new_articles
    with nullcontext() if dry_run else import_lock():
        return run(dry_run=dry_run, on_progress=on_progress)
