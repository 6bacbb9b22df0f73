"""Two imports at once: the second is refused, on SQLite (a lock file) and PostgreSQL (an
advisory lock). CI runs this file on both."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from articles.db.locks import ImportAlreadyRunning, import_lock
from articles.ingest import run as imports
from articles.models import Article, ImportRun
from tests.support.seeds import SAMPLE_SEED, run_import
from tests.support.services import manage

pytestmark = pytest.mark.django_db


def test_an_import_is_refused_while_another_holds_the_lock():
    with import_lock():
        result = run_import(SAMPLE_SEED)

    assert result.code == 3
    assert "another import is running since " in result.err
    assert Article.objects.count() == 0
    assert ImportRun.objects.count() == 0  # a refused run leaves no record behind


def test_run_import_is_refused_while_another_import_holds_the_lock():
    with import_lock():
        with pytest.raises(ImportAlreadyRunning):
            imports.run_import([SAMPLE_SEED], max_bytes=settings.SEED_MAX_BYTES)
    assert ImportRun.objects.count() == 0


def test_the_refusal_says_since_when():
    with import_lock():
        with pytest.raises(ImportAlreadyRunning) as refused:
            with import_lock():
                pass
    # Within the last minute, named to the second.
    assert refused.value.since is not None
    assert abs(time.time() - refused.value.since.timestamp()) < 60
    assert refused.value.since.strftime("%Y-%m-%d %H:%M") in str(refused.value)


def test_the_lock_is_released_after_an_import_and_after_a_failed_one():
    assert run_import(SAMPLE_SEED).code == 0
    with pytest.raises(RuntimeError):
        with import_lock():
            raise RuntimeError("an import that crashed")
    # Neither run left the lock taken.
    assert run_import(SAMPLE_SEED).code == 0


def test_a_dry_run_is_not_blocked_by_a_running_import():
    with import_lock():
        result = run_import(SAMPLE_SEED, dry_run=True)
    assert result.code == 0, result
    assert "1 would be created" in result.out


def _child_database_url(tmp_path) -> str:
    """A URL another process can use for the same lock as this test run's database."""
    if connection.vendor == "postgresql":
        d = connection.settings_dict
        return f"postgres://{d['USER']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"
    # The lock file sits beside the SQLite file; no table is needed to be refused.
    return f"sqlite:///{tmp_path / 'newsroom.sqlite3'}"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_import_process_is_refused_while_the_first_runs(tmp_path):
    env = {"DATABASE_URL": _child_database_url(tmp_path)}
    holder = subprocess.Popen(
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "shell",
            "--no-imports",
            "-c",
            "import sys\n"
            "from articles.db.locks import import_lock\n"
            "with import_lock():\n"
            "    print('holding', flush=True)\n"
            "    sys.stdin.read()\n",
        ],
        env={**os.environ, **env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=settings.BASE_DIR,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        second = manage("import_seeds", str(SAMPLE_SEED), env=env)
    finally:
        holder.communicate("", timeout=30)  # end of input: the holder lets go and exits

    assert second.returncode == 3
    assert "another import is running since " in second.stderr
    assert holder.returncode == 0
