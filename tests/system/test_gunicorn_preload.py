"""gunicorn loads Django once in its master and forks the workers from it (`preload_app` in
gunicorn.conf.py): a worker replaced after `max_requests` starts at once instead of booting
Django while requests queue. That is safe only while loading the app opens no database
connection and starts no thread, since every fork would share them."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.services import free_port, gunicorn_settings, manage, wait_for_port

SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "preload-test-" + "k" * 50,
    "ALLOWED_HOSTS": "127.0.0.1",
    "CACHE_URL": "dummycache://",
    "LOG_LEVEL": "WARNING",
}


def test_loading_the_app_as_the_master_does_opens_no_connection_and_starts_no_thread():
    code = (
        "import threading, newsroom.wsgi; from django.db import connections;"
        " print([c.connection is None for c in connections.all()], threading.active_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **SERVER_ENV},  # DATABASE_URL as the suite runs: PostgreSQL too
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("] ") == ["[True", "1\n"], result.stdout


def test_a_worker_forked_from_the_loaded_master_finds_every_reader_template_compiled():
    """Its first pages do not wait for Jinja2 to compile templates (~100 ms of a worker's
    first requests, measured at 100,000 articles)."""
    code = (
        "import newsroom.wsgi; from django.template import engines;"
        " env = engines['jinja2'].env; names = env.list_templates();"
        " cached = {key[1] for key in env.cache.keys()};"
        " print(len(names), sum(name in cached for name in names))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **SERVER_ENV},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    listed, compiled = map(int, result.stdout.split())
    assert listed > 10 and compiled == listed, result.stdout


def test_preloading_is_on_by_default_and_can_be_turned_off():
    assert gunicorn_settings({}, "preload_app") == [True]
    assert gunicorn_settings({"GUNICORN_PRELOAD": "false"}, "preload_app") == [False]


@pytest.mark.slow
def test_workers_forked_from_the_loaded_master_serve_pages_after_being_replaced(tmp_path):
    """One worker replaced every third request: each replacement is a fork of the master,
    and each answers from the database (`/healthz` queries it; a connection shared by forks
    would break them)."""
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": database}
    assert manage("migrate", "-v0", env=env).returncode == 0
    port = free_port()
    log = tmp_path / "server.log"
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_MAX_REQUESTS": "3",  # no jitter under 10
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "info",  # the replacements are logged at info
        "HOME": str(tmp_path),
    }
    with log.open("w") as out:
        server = subprocess.Popen(
            [Path(sys.executable).parent / "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=settings.BASE_DIR,
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, server)
        statuses = []
        for _ in range(12):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=20) as answer:
                statuses.append(answer.status)
        deadline = time.monotonic() + 10
        while log.read_text().count("Booting worker") < 4:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)  # polling the log until the deadline
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert statuses == [200] * 12
    assert text.count("Autorestarting worker") >= 3, text
    assert "Traceback" not in text, text
