"""One build per page after a change: while editors publish every few seconds, the readers who
arrive together after a publish wait for one build of the page instead of each building it, and
none of them is served a page from before an unpublish."""

import threading
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client

from articles import page_cache
from articles.models import Article
from articles.reader import listing_views, views
from tests.support.factories import make_article

# Requests run in threads, each with its own database connection: they must see committed rows
# (and serialized_rollback, as tests/conftest.py explains).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

READERS = 6


class Builds:
    """What the readers' requests did: the `paths` of the pages built (rendered), and how many
    requests found their page missing, so asked the page cache whether another request is
    building it (`asked`). A build that has read the database is held until the readers the
    test expects have asked (`hold_for`): readers arriving together all find it still being
    built, however fast it is. The hold has a deadline, so a cache that never asks fails the
    test's assertions instead of hanging it."""

    def __init__(self):
        self.paths = []
        self.asked = 0
        self._hold_until = 0
        self.changed = threading.Condition()

    def hold_for(self, readers: int) -> None:
        """Hold builds from now on until `readers` more requests have asked."""
        with self.changed:
            self._hold_until = self.asked + readers

    def wait_for(self, condition, seconds: float = 10) -> bool:
        with self.changed:
            return self.changed.wait_for(condition, timeout=seconds)

    def note(self, change) -> None:
        with self.changed:
            change()
            self.changed.notify_all()

    def held(self) -> None:
        self.wait_for(lambda: self.asked >= self._hold_until)


@pytest.fixture
def held_builds():
    builds = Builds()
    real_render = views.render
    real_built_by_another = page_cache._built_by_another

    def held_render(request, template, *args, **kwargs):
        page = real_render(request, template, *args, **kwargs)  # reads the database now
        builds.note(lambda: builds.paths.append(request.path))
        builds.held()
        return page

    def counted_built_by_another(key):
        builds.note(lambda: setattr(builds, "asked", builds.asked + 1))
        return real_built_by_another(key)

    with (
        mock.patch.object(views, "render", held_render),
        mock.patch.object(listing_views, "render", held_render),  # the listings' pages
        mock.patch.object(page_cache, "_built_by_another", counted_built_by_another),
    ):
        yield builds


def together(paths: list[str]) -> list:
    """GET each path from its own thread, all released at once; the responses in that order."""
    start = threading.Barrier(len(paths))
    responses = [None] * len(paths)

    def read(index, path):
        try:
            start.wait()
            responses[index] = Client().get(path)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(i, path)) for i, path in enumerate(paths)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def editor() -> User:
    return User.objects.create_user("editor", is_staff=True)


def test_readers_arriving_together_after_a_publish_build_the_home_page_once(held_builds):
    make_article("Already out")
    news = make_article("Fresh news", published=False)
    Client().get("/")  # the page as it was, cached
    held_builds.paths.clear()

    news.set_published(True, editor())
    held_builds.hold_for(READERS)
    responses = together(["/"] * READERS)

    assert [r.status_code for r in responses] == [200] * READERS
    assert all(b"Fresh news" in r.content for r in responses)
    assert held_builds.paths == ["/"]
    assert sorted(r["X-Cache"] for r in responses) == ["hit"] * (READERS - 1) + ["miss"]


def test_different_pages_are_built_side_by_side_each_once(held_builds):
    make_article("On a topic", topics=["science"])
    held_builds.hold_for(6)
    responses = together(["/", "/topics/science/"] * 3)

    assert all(r.status_code == 200 for r in responses)
    assert sorted(held_builds.paths) == ["/", "/topics/science/"]


def test_an_unpublish_during_a_build_is_never_hidden_by_the_page_being_built(held_builds):
    retracted = make_article("Retracted story")
    make_article("Other story")
    early = []
    held_builds.hold_for(1 + 3)  # the early reader's build waits for the three later ones
    builder = threading.Thread(target=lambda: early.extend(together(["/"])))
    builder.start()  # builds the page with the story in it
    assert held_builds.wait_for(lambda: held_builds.paths == ["/"])  # it has read the database
    Article.objects.filter(pk=retracted.pk).set_published(False, editor())

    later = together(["/"] * 3)
    builder.join()

    assert b"Retracted story" in early[0].content  # asked before the unpublish
    for response in [*later, Client().get("/")]:
        assert response.status_code == 200
        assert b"Retracted story" not in response.content
        assert b"Other story" in response.content


def test_a_page_that_is_not_stored_leaves_nobody_waiting_for_it(held_builds):
    response = Client().get("/topics/no-such-topic/")

    assert response.status_code == 404
    assert not [key for key in cache._cache if ":building" in key]  # noqa: SLF001
