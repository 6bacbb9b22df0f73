"""Two editors correcting overlapping stories at the same moment, on a real PostgreSQL: each
correction locks the stories it touches and checks them again under the lock, so the second
is refused with a clear message and no article is ever left without its story."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from articles.editorial import story_corrections
from articles.models import Article, Story
from tests.support.factories import make_article, user_in_role

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.requires("postgresql database"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEADLINE = 15  # seconds


def _story_of(count: int) -> Story:
    story = Story.objects.create()
    for _ in range(count):
        make_article(story=story)
    Story.objects.filter(pk=story.pk).refresh_from_members()
    return Story.objects.get(pk=story.pk)


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def test_two_editors_merging_overlapping_stories_at_once(monkeypatch):
    editor, other_editor = user_in_role("editor"), user_in_role("superuser")
    first, middle, last = _story_of(3), _story_of(2), _story_of(1)
    articles = Article.objects.count()
    # Each editor's admin page was built before either merged: the instances are as they read.
    seen_by_second = Story.objects.get(pk=middle.pk), Story.objects.get(pk=last.pk)

    inside, release = threading.Event(), threading.Event()
    original = story_corrections.readers_see_changes

    def first_waits_inside():
        if threading.current_thread().name == "first":
            inside.set()
            assert release.wait(DEADLINE)
        original()

    monkeypatch.setattr(story_corrections, "readers_see_changes", first_waits_inside)
    outcome = {}

    def correct(name, merge):
        try:
            merge()
            outcome[name] = "merged"
        except ValidationError as error:
            outcome[name] = " ".join(error.messages)
        except Exception as error:  # what an admin 500 would be
            outcome[name] = repr(error)
        finally:
            connections.close_all()

    # Editor one merges {first, middle} into first; editor two {middle, last} into middle.
    one = threading.Thread(
        name="first", target=correct, args=("first", lambda: first.merge(middle, editor))
    )
    two = threading.Thread(
        name="second",
        target=correct,
        args=("second", lambda: seen_by_second[0].merge(seen_by_second[1], other_editor)),
    )
    one.start()
    assert inside.wait(DEADLINE)
    two.start()
    _wait_for(lambda: _waiting_on_a_lock() or not two.is_alive(), "the second merge to wait")
    release.set()
    one.join(DEADLINE)
    two.join(DEADLINE)

    assert outcome["first"] == "merged"
    assert "Another editor changed these stories meanwhile" in outcome["second"]
    assert Article.objects.filter(story__isnull=True).count() == 0
    assert Article.objects.count() == articles
    assert set(Article.objects.values_list("story", flat=True)) == {first.pk, last.pk}
    assert Story.objects.get(pk=first.pk).size == 5
