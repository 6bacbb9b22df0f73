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

from articles.models import Article
from articles.reader import views
from tests.support.factories import make_article

# Requests run in threads, each with its own database connection: they must see committed rows
# (and serialized_rollback, as tests/conftest.py explains).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

READERS = 6


@pytest.fixture
def slow_builds():
    """Counts reader pages built (rendered), each made slow enough that the readers arriving
    together all find it still being built."""
    built = []
    real_render = views.render

    def slow_render(request, template, *args, **kwargs):
        built.append(request.path)
        page = real_render(request, template, *args, **kwargs)  # reads the database now
        threading.Event().wait(0.3)
        return page

    with mock.patch.object(views, "render", slow_render):
        yield built


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


def test_readers_arriving_together_after_a_publish_build_the_home_page_once(slow_builds):
    make_article("Already out")
    news = make_article("Fresh news", published=False)
    Client().get("/")  # the page as it was, cached
    slow_builds.clear()

    news.set_published(True, editor())
    responses = together(["/"] * READERS)

    assert [r.status_code for r in responses] == [200] * READERS
    assert all(b"Fresh news" in r.content for r in responses)
    assert slow_builds == ["/"]
    assert sorted(r["X-Cache"] for r in responses) == ["hit"] * (READERS - 1) + ["miss"]


def test_different_pages_are_built_side_by_side_each_once(slow_builds):
    make_article("On a topic", topics=["science"])
    responses = together(["/", "/topics/science/"] * 3)

    assert all(r.status_code == 200 for r in responses)
    assert sorted(slow_builds) == ["/", "/topics/science/"]


def test_an_unpublish_during_a_build_is_never_hidden_by_the_page_being_built(slow_builds):
    retracted = make_article("Retracted story")
    make_article("Other story")
    early = []
    builder = threading.Thread(target=lambda: early.extend(together(["/"])))
    builder.start()  # builds the page with the story in it, slowly
    threading.Event().wait(0.1)
    Article.objects.filter(pk=retracted.pk).set_published(False, editor())

    later = together(["/"] * 3)
    builder.join()

    assert b"Retracted story" in early[0].content  # asked before the unpublish
    for response in [*later, Client().get("/")]:
        assert response.status_code == 200
        assert b"Retracted story" not in response.content
        assert b"Other story" in response.content


def test_a_page_that_is_not_stored_leaves_nobody_waiting_for_it(slow_builds):
    response = Client().get("/topics/no-such-topic/")

    assert response.status_code == 404
    assert not [key for key in cache._cache if ":building" in key]  # noqa: SLF001
