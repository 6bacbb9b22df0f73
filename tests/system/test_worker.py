"""`manage.py run_worker`, a real worker process, on both task backends (the database, and RQ
over Redis) and on this run's database engine: it runs what is enqueued, SIGTERM stops it after
the task in hand, and the periodic work it ticks is enqueued once however many workers tick."""

import http.server
import json
import threading
import time
from datetime import timedelta
from unittest.mock import ANY

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from articles.models import PeriodicTaskRun, WebhookDelivery
from articles.tasks import scheduler
from articles.tasks.periodic import PERIODIC, Periodic
from articles.webhooks.endpoints import add_endpoint
from tests.support import tasks
from tests.support.factories import make_article
from tests.support.services import free_port
from tests.support.workers import (
    Worker,
    empty_task_tables,
    shared_database,
    use_backend,
    wait_until,
)

BACKENDS = [
    pytest.param("database", marks=pytest.mark.slow),
    pytest.param("redis", marks=[pytest.mark.slow, pytest.mark.redis]),
]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock(), shared_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture
def database(migrated, django_db_blocker):
    with django_db_blocker.unblock():
        yield migrated
        empty_task_tables()


def lines(path):
    return path.read_text().splitlines() if path.exists() else []


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_worker_runs_tasks_and_sigterm_lets_the_task_in_hand_finish(
    backend, database, tmp_path, monkeypatch
):
    out = tmp_path / "notes.txt"
    with use_backend(backend, monkeypatch), Worker(database, backend, tmp_path / "w.log") as w:
        tasks.note.enqueue(str(out), "one")
        wait_until(lambda: "one" in lines(out), what=w.output)
        tasks.slow_note.enqueue(str(out), "two", 1.5)
        wait_until(lambda: "started two" in lines(out), what="the slow task to start")
        code = w.stop()
        assert lines(out)[-1] == "finished two", w.output()
        assert code == 0, w.output()


@pytest.mark.slow
def test_a_worker_enqueues_due_periodic_work_on_its_own(database, tmp_path, monkeypatch):
    """The housekeeping task is in PERIODIC: a fresh worker's first tick enqueues it."""
    with use_backend("database", monkeypatch), Worker(database, "database", tmp_path / "w.log"):
        run = wait_until(
            lambda: PeriodicTaskRun.objects.filter(
                task="articles.tasks.housekeeping.prune_finished_tasks",
                last_enqueued_at__isnull=False,
            ).first(),
            what="the first tick",
        )
    assert run.due_at > timezone.now() + timedelta(minutes=50)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_workers_log_names_the_work_done_not_every_routine_sweep(
    backend, database, tmp_path, monkeypatch
):
    out = tmp_path / "notes.txt"
    log = tmp_path / "w.log"
    with use_backend(backend, monkeypatch), Worker(database, backend, log) as w:
        # Every periodic task is enqueued by the first ticks; a note enqueued after them runs
        # after them (each backend's queue is first in, first out).
        wait_until(
            lambda: (
                PeriodicTaskRun.objects.filter(last_enqueued_at__isnull=False).count()
                == len(PERIODIC)
            ),
            what=w.output,
        )
        tasks.note.enqueue(str(out), "done")
        wait_until(lambda: "done" in lines(out), what=w.output)
        time.sleep(1)  # more sweeps (every 0.2 s here)
        w.stop()
    logged = log.read_text()
    assert "tests.support.tasks.note state=SUCCESSFUL" in logged, logged
    for periodic in PERIODIC:
        assert periodic.task not in logged, logged


@pytest.mark.django_db
def test_periodic_work_is_enqueued_once_per_interval_however_many_workers_tick(tmp_path):
    out = tmp_path / "ticks.txt"
    every = [Periodic(60, "tests.support.tasks.note")]
    now = timezone.now()
    enqueued = []
    # Two workers ticking at the same moment, then again a little later, then after the interval.
    enqueued += scheduler.tick(now, every)
    enqueued += scheduler.tick(now, every)
    enqueued += scheduler.tick(now + timedelta(seconds=30), every)
    assert enqueued == ["tests.support.tasks.note"]
    assert scheduler.tick(now + timedelta(seconds=61), every) == ["tests.support.tasks.note"]
    assert not out.exists()


# --- Webhooks delivered by a real worker to a real receiver -----------------------------------

WEBHOOK_ENV = {"WEBHOOK_TIMEOUT": 1, "WEBHOOK_BACKOFF_SCALE": 0.05, "WEBHOOK_SWEEP_SECONDS": 0.3}


class Receiver:
    """An HTTP server on 127.0.0.1 in a thread; `script` says how to answer each request in
    turn ("ok", "500", or "hang": answer after 3 s), then "ok"."""

    def __init__(self, port=0, script=()):
        self.script = list(script)
        self.received = []  # (headers, body) of every request, answered or not
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"])).decode()
                outer.received.append((dict(self.headers), body))
                how = outer.script.pop(0) if outer.script else "ok"
                if how == "hang":
                    time.sleep(3)  # longer than the worker's timeout: it gives up first
                self.send_response(500 if how == "500" else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def acknowledged(self, secret):
        """The bodies of requests that verify, by webhook-id, in arrival order."""
        seen = {}
        for headers, body in self.received:
            low = {k.lower(): v for k, v in headers.items()}
            Webhook(secret).verify(body, low)
            seen.setdefault(low["webhook-id"], json.loads(body))
        return seen


def publish(count=1):
    editor = User.objects.get_or_create(username="editor-worker", is_staff=True)[0]
    articles = [make_article(published=False) for _ in range(count)]
    for article in articles:
        article.set_published(True, editor, via="desk")
    return articles


def states():
    return sorted(WebhookDelivery.objects.values_list("state", "attempts"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_publish_reaches_the_receiver_after_a_500_and_a_timeout(
    backend, database, tmp_path, monkeypatch, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    receiver = Receiver(script=["500", "hang"])
    endpoint = add_endpoint(f"http://127.0.0.1:{receiver.port}/in")
    try:
        with (
            use_backend(backend, monkeypatch),
            Worker(database, backend, tmp_path / "w.log", **WEBHOOK_ENV) as w,
        ):
            [article] = publish()
            wait_until(
                lambda: states() == [("delivered", 3)], what=lambda: f"{states()} {w.output()}"
            )
    finally:
        receiver.close()
    ids = {h["webhook-id"] for h, _ in receiver.received}
    assert len(receiver.received) == 3 and len(ids) == 1  # one message, its id kept on retries
    [body] = receiver.acknowledged(endpoint.secret).values()
    assert body["type"] == "article.published" and body["data"]["id"] == article.pk
    assert WebhookDelivery.objects.get().response_code == 200


@pytest.mark.slow
def test_the_receiver_down_then_up_and_a_worker_killed_mid_delivery_lose_nothing(
    database, tmp_path, monkeypatch, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    port = free_port()
    endpoint = add_endpoint(f"http://127.0.0.1:{port}/in")
    log = tmp_path / "w.log"
    with use_backend("database", monkeypatch):
        with Worker(database, "database", log, **WEBHOOK_ENV):
            articles = publish(3)
            wait_until(lambda: WebhookDelivery.objects.filter(attempts__gte=2).exists())
        # Up again, but the first request hangs: the worker is killed while it waits.
        receiver = Receiver(port, script=["hang"])
        try:
            w = Worker(database, "database", log, **WEBHOOK_ENV).start()
            wait_until(lambda: receiver.received, what="a request in flight")
            w.kill()
            with Worker(database, "database", log, **WEBHOOK_ENV):
                wait_until(
                    lambda: states() == [("delivered", ANY)] * 3 or None,
                    # Returns as soon as all three are in; 30 s ran out once with a 100,000-file
                    # benchmark sharing the two cores (the killed task's lease, then retries).
                    seconds=60,
                    what=lambda: str(states()),
                )
        finally:
            receiver.close()
    got = receiver.acknowledged(endpoint.secret)
    assert sorted(b["data"]["id"] for b in got.values()) == sorted(a.pk for a in articles)
