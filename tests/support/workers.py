"""Real workers for tests: `manage.py run_worker` as a child process on a database of its own
that this test process shares (a migrated SQLite file, or a PostgreSQL database made for the
module when the suite runs on PostgreSQL), on either task backend.

`shared_database` (a context manager) points this process's default connection at that
database for the duration; `worker(...)` starts a worker on it; `use_backend(...)` makes this
process enqueue to the same backend.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

from newsroom.background import BACKENDS, QUEUE
from tests.support.services import REDIS_URL

# Redis database 9 unless TEST_TASKS_REDIS_URL says otherwise: flushed by these tests.
TASKS_REDIS_URL = os.environ.get("TEST_TASKS_REDIS_URL", REDIS_URL.rsplit("/", 1)[0] + "/9")


@contextmanager
def shared_database(tmp_path):
    """Yields the DATABASE_URL of a freshly migrated database this process now uses too."""
    conn = connections["default"]
    saved = dict(conn.settings_dict)
    conn.close()
    # An in-memory SQLite test database ignores close() (it would be lost): put it aside.
    kept, conn.connection = conn.connection, None
    if conn.vendor == "postgresql":
        name = f"nr_worker_{uuid.uuid4().hex[:10]}"
        with conn.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        conn.settings_dict["NAME"] = name
        url = (
            f"postgres://{saved['USER']}@{saved['HOST'] or '127.0.0.1'}:"
            f"{saved['PORT'] or 5432}/{name}"
        )
    else:
        path = tmp_path / "worker.sqlite3"
        conn.settings_dict["NAME"] = str(path)
        url = f"sqlite:///{path}"
    try:
        call_command("migrate", verbosity=0)
        yield url
    finally:
        conn.close()
        conn.settings_dict.clear()
        conn.settings_dict.update(saved)
        conn.connection = kept
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_task_tables() -> None:
    """What a worker test leaves behind in the shared database, deleted."""
    from django_tasks_db.models import DBTaskResult

    from articles.models import PeriodicTaskRun

    DBTaskResult.objects.all().delete()
    PeriodicTaskRun.objects.all().delete()


@contextmanager
def use_backend(backend: str, monkeypatch):
    """This process enqueues to `backend` ("database" or "redis") as the worker reads it."""
    tasks = {"default": {"BACKEND": BACKENDS[backend], "QUEUES": [QUEUE]}}
    if backend == "redis":
        import redis

        redis.Redis.from_url(TASKS_REDIS_URL).flushdb()
        queues = {QUEUE: {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 600}}
        with override_settings(TASKS=tasks, RQ_QUEUES=queues, TASKS_BACKEND=backend):
            import django_rq.settings  # reads RQ_QUEUES when first imported

            monkeypatch.setattr(django_rq.settings, "QUEUES", queues)
            yield
        redis.Redis.from_url(TASKS_REDIS_URL).flushdb()
    else:
        with override_settings(TASKS=tasks, TASKS_BACKEND=backend):
            yield


class Worker:
    """`manage.py run_worker` in a child process; `stop()` sends SIGTERM, `kill()` SIGKILL."""

    def __init__(self, database_url: str, backend: str, log_path, **env):
        self.args = [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_worker"]
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "TASKS_BACKEND": backend,
            "TASKS_REDIS_URL": TASKS_REDIS_URL,
            "TASKS_TICK_SECONDS": "0.2",
            "TASKS_POLL_SECONDS": "0.05",
            "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
            **{key: str(value) for key, value in env.items()},
        }
        self.log_path = log_path
        self.process = None

    def start(self) -> "Worker":
        self.log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop/kill)
        self.process = subprocess.Popen(
            self.args, env=self.env, cwd=settings.BASE_DIR, stdout=self.log, stderr=self.log
        )
        return self

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        finally:
            self.log.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)
        self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        if not self.log.closed:
            self.log.close()


def wait_until(condition, seconds: float = 20, what: str = "condition"):
    """Poll `condition()` until it is true (returns it) or `seconds` pass (AssertionError)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)  # polling a real worker's progress, not waiting out a time
    raise AssertionError(f"{what() if callable(what) else what}: not within {seconds}s")
