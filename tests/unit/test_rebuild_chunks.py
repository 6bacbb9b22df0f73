"""`cluster_stories --rebuild` writes in short transactions, never one for the whole table: on
SQLite a transaction holds the one write lock, and a desk decision waiting behind it would give
up (issue 27, item 9)."""

import pytest
from django.db import connection

from articles.clustering import stories
from articles.models import Article
from tests.support.factories import make_article


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rebuild_lets_go_of_the_write_lock_between_chunks(monkeypatch):
    events = ["Harbour bridge opens", "Tram line approved", "Museum roof leaks", "Orchestra tours"]
    for hub, event in enumerate(events):
        link = ({"title": "x", "url": f"https://hub.example/{hub}"},)
        for telling in ("first", "second", "third"):
            make_article(f"{event}, {telling} telling", related=link)
    stories.cluster_new_articles()
    before = {
        frozenset(Article.objects.filter(story=s).values_list("pk", flat=True))
        for s in Article.objects.values_list("story", flat=True)
    }
    monkeypatch.setattr(stories, "CLEAR_CHUNK", 5, raising=False)
    monkeypatch.setattr(stories, "STREAM_CHUNK", 2)
    in_a_transaction = []

    stories.rebuild(on_progress=lambda read: in_a_transaction.append(connection.in_atomic_block))

    assert in_a_transaction and not any(in_a_transaction)  # the sweep reads outside one
    after = {
        frozenset(Article.objects.filter(story=s).values_list("pk", flat=True))
        for s in Article.objects.values_list("story", flat=True)
    }
    assert after == before and len(after) == 4
    assert not Article.objects.filter(story__isnull=True).exists()
