"""Storing the stories a sweep has finished with."""

from __future__ import annotations

import json

from django.db import connection, transaction
from django.utils import timezone

from articles.clustering.index import Cluster, Item
from articles.db.bulk import insert_rows
from articles.models import Article, Story
from articles.webhooks.events import stories_may_change


class StoryWriter:
    """Stores the stories a sweep has finished: new ones made with their facts (lead by
    `Story.lead_key`, title, first and last seen, size), articles pointed at their stories with
    one executemany, stories that existed refreshed from their members."""

    BATCH = 500
    # A new story's lead is one of its own new articles, so the lead names the story: articles
    # find their new story by it, and the stories need no ids back from their INSERT.
    _ASSIGN_TO_NEW_SQL = (
        "UPDATE {article} SET {story} = (SELECT MAX(s.{story_pk}) FROM {story_table} s "
        "WHERE s.{lead} = %s), {evidence} = %s WHERE {pk} = %s AND {story} IS NULL".format(
            evidence=Article._meta.get_field("story_evidence").column,
            article=Article._meta.db_table,
            story=Article._meta.get_field("story").column,
            pk=Article._meta.pk.column,
            story_table=Story._meta.db_table,
            story_pk=Story._meta.pk.column,
            lead=Story._meta.get_field("lead").column,
        )
    )
    _ASSIGN_SQL = (
        "UPDATE {article} SET {story} = %s, {evidence} = %s WHERE {pk} = %s AND {story} IS NULL"
    ).format(
        evidence=Article._meta.get_field("story_evidence").column,
        article=Article._meta.db_table,
        story=Article._meta.get_field("story").column,
        pk=Article._meta.pk.column,
    )

    def __init__(self, *, dry_run: bool):
        self.dry_run = dry_run
        self.pending: list[Cluster] = []
        self.wrote = False

    def add(self, cluster: Cluster) -> None:
        if cluster.placed and not self.dry_run:
            self.pending.append(cluster)
            if len(self.pending) >= self.BATCH:
                self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        made, grown = [], []
        for cluster in self.pending:
            (made if cluster.key < 0 else grown).append(cluster)
        now = timezone.now()
        with transaction.atomic():
            new_stories = [self._new_story(cluster.placed, now) for cluster in made]
            insert_rows(Story, new_stories)
            with connection.cursor() as cursor:
                cursor.executemany(
                    self._ASSIGN_TO_NEW_SQL,
                    [
                        (story["lead"], _json(item.evidence), item.id)
                        for story, cluster in zip(new_stories, made, strict=True)
                        for item in cluster.placed
                    ],
                )
                cursor.executemany(
                    self._ASSIGN_SQL,
                    [
                        (cluster.key, _json(item.evidence), item.id)
                        for cluster in grown
                        for item in cluster.placed
                    ],
                )
            # Existing stories grew; an editor may also have placed one of these articles
            # meanwhile (then it kept its story): their facts come from the database.
            Story.objects.filter(pk__in=[cluster.key for cluster in grown]).refresh_from_members()
            stories_may_change(moves=[(i.id, None) for c in self.pending for i in c.placed])
        self.pending = []
        self.wrote = True

    @staticmethod
    def _new_story(members: list[Item], now) -> dict:
        lead = min(members, key=lambda item: item.lead_key)
        return {
            "title": lead.title,
            "lead": lead.id,
            "lead_chosen_by_editor": False,
            "size": len(members),
            "first_seen_at": min(item.date for item in members),
            "last_seen_at": max(item.date for item in members),
            "created_at": now,
        }


def _json(evidence: dict | None) -> str | None:
    return None if evidence is None else json.dumps(evidence, separators=(",", ":"))
