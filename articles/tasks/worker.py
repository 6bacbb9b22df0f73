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
from articles.tasks.periodic import PERIODIC

logger = logging.getLogger(__name__)


class QuietRoutineWork(logging.Filter):
    """Drops the task library's "started" and "finished" lines of periodic work that went well.
    A worker sweeps every few seconds: three lines a sweep would bury what matters in its log.
    Failures, and every other task (an upload's import, a webhook delivery), are still logged;
    periodic work that did something says so itself (articles/tasks/imports.py)."""

    routine = frozenset(periodic.task for periodic in PERIODIC)

    def filter(self, record: logging.LogRecord) -> bool:
        # django_tasks logs "Task id=%s path=%s state=%s" with the task's import path second.
        args = record.args if isinstance(record.args, tuple) else ()
        return record.levelno > logging.INFO or len(args) < 2 or args[1] not in self.routine


def run(*, queue: str = "default", burst: bool = False) -> None:
    """Run a worker until SIGTERM (or, with `burst`, until the queue is empty)."""
    logging.getLogger("django_tasks").addFilter(QuietRoutineWork())
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
                logger.debug("enqueued periodic task %s", path)
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
    # No RQ scheduler process: nothing here is enqueued for later (retries are due rows the
    # periodic sweep finds), and a killed worker leaves no scheduler child behind.
    # RQ's own lines per job repeat django_tasks' (filtered above): warnings and errors only.
    worker.work(burst=burst, with_scheduler=False, logging_level="WARNING")
