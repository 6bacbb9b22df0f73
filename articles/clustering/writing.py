"""Storing the stories a sweep has finished with: `StoryWriter` gathers them (`FinishedStory`,
what the database needs of each: small and picklable) into batches, and `write_stories` writes a
batch, here or, for an import, in the importing process while the clustering process sweeps on
(`apart`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from articles.clustering.index import Cluster
from articles.db.bulk import insert_rows
from articles.models import Article, Story
from articles.webhooks.events import stories_may_change


class Placement(NamedTuple):
    """An article the sweep placed, as its story's row and its own need it."""

    id: int
    date: object  # datetime
    title: str
    quality: int | None
    heat: int | None
    evidence: dict | None

    @property
    def lead_key(self):
        return Story.lead_key(self.quality, self.heat, self.date, self.id)


class FinishedStory(NamedTuple):
    """A story that left the window: its key (a Story id, or negative for a new one) and the
    articles this sweep placed in it."""

    key: int
    placed: list[Placement]


def finished(cluster: Cluster) -> FinishedStory:
    return FinishedStory(
        cluster.key,
        [
            Placement(item.id, item.date, item.title, item.quality, item.heat, item.evidence)
            for item in cluster.placed
        ],
    )


class StoryWriter:
    """Gathers the stories a sweep has finished into batches of `batch` (`BATCH` unless told
    otherwise) and hands each to `write` (`write_stories` unless told otherwise); a dry run
    keeps nothing."""

    BATCH = 500

    def __init__(
        self,
        *,
        dry_run: bool,
        write: Callable[[list[FinishedStory]], None] | None = None,
        batch: int | None = None,
    ):
        self.dry_run = dry_run
        self.write = write or write_stories
        self.batch = batch or self.BATCH
        self.pending: list[FinishedStory] = []
        self.wrote = False

    def add(self, cluster: Cluster) -> None:
        if cluster.placed and not self.dry_run:
            self.pending.append(finished(cluster))
            if len(self.pending) >= self.batch:
                self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        self.write(self.pending)
        self.pending = []
        self.wrote = True


_EVIDENCE = Article._meta.get_field("story_evidence").column
_ARTICLE = Article._meta.db_table
_STORY = Article._meta.get_field("story").column
_PK = Article._meta.pk.column
# A new story's lead is one of its own new articles, so the lead names the story: articles
# find their new story by it, and the stories need no ids back from their INSERT.
_ASSIGN_TO_NEW_SQL = (
    f"UPDATE {_ARTICLE} SET {_STORY} = (SELECT MAX(s.{Story._meta.pk.column}) "
    f"FROM {Story._meta.db_table} s WHERE s.{Story._meta.get_field('lead').column} = %s), "
    f"{_EVIDENCE} = %s WHERE {_PK} = %s AND {_STORY} IS NULL"
)
_ASSIGN_SQL = (
    f"UPDATE {_ARTICLE} SET {_STORY} = %s, {_EVIDENCE} = %s WHERE {_PK} = %s AND {_STORY} IS NULL"
)


def write_stories(batch: list[FinishedStory]) -> None:
    """Store one batch in one transaction: new stories made with their facts (lead by
    `Story.lead_key`, title, first and last seen, size), articles pointed at their stories with
    one executemany, stories that existed refreshed from their members."""
    made, grown = [], []
    for story in batch:
        (made if story.key < 0 else grown).append(story)
    now = timezone.now()
    with transaction.atomic():
        new_stories = [_new_story(story.placed, now) for story in made]
        insert_rows(Story, new_stories)
        with connection.cursor() as cursor:
            cursor.executemany(
                _ASSIGN_TO_NEW_SQL,
                [
                    (row["lead"], _json(placement.evidence), placement.id)
                    for row, story in zip(new_stories, made, strict=True)
                    for placement in story.placed
                ],
            )
            cursor.executemany(
                _ASSIGN_SQL,
                [
                    (story.key, _json(placement.evidence), placement.id)
                    for story in grown
                    for placement in story.placed
                ],
            )
        # Existing stories grew; an editor may also have placed one of these articles
        # meanwhile (then it kept its story): their facts come from the database.
        Story.objects.filter(pk__in=[story.key for story in grown]).refresh_from_members()
        stories_may_change(moves=[(p.id, None) for story in batch for p in story.placed])


def _new_story(members: list[Placement], now) -> dict:
    lead = min(members, key=lambda placement: placement.lead_key)
    return {
        "title": lead.title,
        "lead": lead.id,
        "lead_chosen_by_editor": False,
        "size": len(members),
        "first_seen_at": min(placement.date for placement in members),
        "last_seen_at": max(placement.date for placement in members),
        "created_at": now,
    }


def _json(evidence: dict | None) -> str | None:
    return None if evidence is None else json.dumps(evidence, separators=(",", ":"))
