"""`manage.py run_worker`, a real worker process, on both task backends (the database, and RQ
over Redis) and on this run's database engine: it runs what is enqueued, SIGTERM stops it after
the task in hand, and the periodic work it ticks is enqueued once however many workers tick."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import PeriodicTaskRun
from articles.tasks import scheduler
from articles.tasks.periodic import Periodic
from tests.support import tasks
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
