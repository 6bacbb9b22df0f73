"""What `manage.py run_worker` runs: the backend's own worker in the foreground, and beside it
a scheduler thread that ticks every TASKS_TICK_SECONDS (articles/tasks/scheduler.py).

SIGTERM (or Ctrl-C) stops the worker after the task in hand: django-tasks-db's worker and RQ's
both shut down that way. RQ runs here as `SimpleWorker` (tasks in this process, no fork per
job): a killed worker leaves no orphan behind, and the task runs again from the database's
state (articles/tasks/__init__.py).
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string

from articles.tasks import scheduler

logger = logging.getLogger(__name__)


def run(*, queue: str = "default", burst: bool = False) -> None:
    """Run a worker until SIGTERM (or, with `burst`, until the queue is empty)."""
    if not burst:
        threading.Thread(target=_tick_forever, name="scheduler", daemon=True).start()
    if settings.TASKS_BACKEND == "redis":
        _run_rq(queue, burst)
    else:
        _run_database(queue, burst)


def _tick_forever(stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            close_old_connections()
            for path in scheduler.tick():
                logger.info("enqueued periodic task %s", path)
        except Exception:  # a database hiccup must not end the ticks: log, tick again
            logger.exception("scheduler tick failed")
        finally:
            connection.close()  # this thread's own connection, not kept between ticks
        stop.wait(settings.TASKS_TICK_SECONDS)


def _run_database(queue: str, burst: bool) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=[queue],
        interval=settings.TASKS_POLL_SECONDS,
        batch=burst,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()


def _run_rq(queue: str, burst: bool) -> None:
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    worker = django_rq.get_worker(queue, job_class=Job, worker_class=SimpleWorker)
    worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
