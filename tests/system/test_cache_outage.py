"""The cache is an accelerator, never a point of failure: with Redis stopped or hung, imports,
publishes and reader pages go on (one warning per outage); when it answers again, readers get
current pages at once, even from a Redis that kept its old ones. A real Redis server of the
test's own, on a free port, is stopped, paused and brought back."""

import logging
import shutil
import signal
import subprocess
import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from articles import cache_breaker, database_version_of_pages
from articles.models import Article, ImportRun
from tests.support.admin import CHANGELIST, action, log_in
from tests.support.seeds import SAMPLE_SEED, run_import, sample_fields
from tests.support.services import free_port, redis_cache, wait_for_port

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.requires("redis-server")]

REDIS_SERVER = shutil.which("redis-server") or "redis-server"
TITLE = "Lenovo Announces $2B AI Revenue and Unveils $1B Global Expansion Plan"


class RedisServer:
    """A Redis of the test's own, that the test can stop, pause and start again."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)

    def pause(self):  # it still accepts connections, but answers nothing: reads time out
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def redis_server(monkeypatch):
    # The circuit breaker tries the cache again at once unless a test says otherwise.
    monkeypatch.setattr(cache_breaker, "RETRY_AFTER", 0.0)
    server = RedisServer()
    server.start()
    try:
        with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{server.port}/0")):
            yield server
    finally:
        server.resume()
        server.process.kill()
        server.process.wait(10)
        cache_breaker.reset()  # this process's memory of the outage
        cache.clear()


def outage_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "articles.cache_breaker"]


def test_with_redis_stopped_imports_publishes_and_pages_go_on_and_warn_once(
    redis_server, client, write_seed, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.WARNING, logger="articles.cache_breaker")
    assert client.get("/").status_code == 200  # the cache works and holds the home page
    redis_server.stop()

    result = run_import(write_seed("item.txt", sample_fields()))
    assert result.code == 0, result
    assert "1 created" in result.out
    assert ImportRun.objects.get().status == ImportRun.Status.FINISHED
    article = Article.objects.get()

    log_in(client, "editor")
    response = action(client, "publish_selected", article, url=CHANGELIST)
    assert response.status_code == 200
    assert "1 article published." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert Article.objects.all().set_published(False, None) == 1
        assert Article.objects.all().set_published(True, None) == 1

    client.logout()
    for _ in range(3):
        page = client.get("/")
        assert page.status_code == 200 and TITLE in page.content.decode()
    assert client.get("/healthz").json()["cache"] == "degraded"

    warnings = outage_warnings(caplog)
    assert len(warnings) == 1 and warnings[0].startswith("Cache unreachable"), warnings

    # Back, empty (Redis keeps nothing on disk here): pages are cached again, and current.
    redis_server.start()
    assert TITLE in client.get("/").content.decode()
    assert client.get("/healthz").json()["cache"] == "ok"
    assert outage_warnings(caplog)[1:] == ["Cache reachable again; reader pages are rebuilt"]


def test_a_redis_that_comes_back_with_its_old_pages_serves_current_ones_at_once(
    redis_server, client, write_seed, django_capture_on_commit_callbacks
):
    run_import(write_seed("item.txt", sample_fields()))
    assert TITLE not in client.get("/").content.decode()  # cached: nothing published yet

    redis_server.pause()  # hung: every call waits for its timeout, then fails
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.all().set_published(True, None)  # the version bump cannot reach it
    redis_server.resume()  # it answers again, still holding the old home page

    assert TITLE in client.get("/").content.decode()


def test_a_takedown_made_during_an_outage_shows_in_a_process_that_never_noticed_it(
    redis_server, client, django_capture_on_commit_callbacks, monkeypatch
):
    """A shell unpublishes while Redis is stalled; the app server, which served nothing
    meanwhile, never saw the outage. Once Redis answers again (still holding the article's
    page), the article is gone within `database_version_of_pages.FRESH` (the version the
    database keeps is in every key, read that often), and stays gone."""
    monkeypatch.setattr(database_version_of_pages, "FRESH", 1.0)  # as in production
    article = make_published_article(client)
    url = article.get_absolute_url()
    assert client.get(url)["X-Cache"] == "hit"
    database_version_seen = database_version_of_pages.current()  # what the app server knows

    redis_server.pause()
    with django_capture_on_commit_callbacks(execute=True):  # the shell's takedown
        assert Article.objects.filter(pk=article.pk).set_published(False, None) == 1
    redis_server.resume()
    cache_breaker.reset()  # the app server is another process: it knows of no outage
    database_version_of_pages.remember(database_version_seen)  # ...nor of the shell's bump

    deadline = time.monotonic() + database_version_of_pages.FRESH + 5  # generous when loaded
    while client.get(url).status_code != 404:
        assert time.monotonic() < deadline, "the takedown stayed hidden"
    for _ in range(4):
        response = client.get(url)
        assert response.status_code == 404, response.get("X-Cache")


def test_a_stalled_cache_costs_one_timeout_then_pages_come_at_database_speed(
    redis_server, client, monkeypatch
):
    """Redis stalled: the first request waits for its socket timeout (1 s in tests), then this
    process leaves the cache alone and every page answers at once; /healthz says 200 with
    the cache degraded. When Redis answers again, pages are cached again."""
    monkeypatch.setattr(cache_breaker, "RETRY_AFTER", 5.0)
    article = make_published_article(client)
    url = article.get_absolute_url()

    redis_server.pause()
    started = time.monotonic()
    assert client.get(url).status_code == 200
    assert time.monotonic() - started >= 0.9  # one timeout
    for _ in range(5):
        started = time.monotonic()
        assert client.get(url).status_code == 200
        assert time.monotonic() - started < 0.5  # not another timeout
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "degraded"}

    redis_server.resume()  # tried again after RETRY_AFTER: the page is stored, then served
    deadline = time.monotonic() + 20
    while client.get(url).get("X-Cache") != "hit":
        assert time.monotonic() < deadline, "pages are not cached again"
        time.sleep(0.05)  # polling until the deadline, not waiting out a time
    assert client.get("/healthz").json()["cache"] == "ok"


def make_published_article(client):
    result = run_import(SAMPLE_SEED)
    assert result.code == 0, result
    article = Article.objects.get()
    Article.objects.filter(pk=article.pk).set_published(True, None)
    assert client.get(article.get_absolute_url()).status_code == 200  # built and stored
    return article
