"""A worker's tick: enqueue each periodic task (articles/tasks/periodic.py) that is due.

Every worker ticks; the database decides which one enqueues a run: the run is claimed by moving
`PeriodicTaskRun.due_at` on with an UPDATE that names the `due_at` it read, which only one
worker's UPDATE matches. A tick reads first and writes only when something is due, so idle
ticks take no write lock (SQLite)."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from articles.models import PeriodicTaskRun
from articles.tasks.periodic import PERIODIC

logger = logging.getLogger(__name__)


def tick(now=None, periodic=None) -> list[str]:
    """Enqueue what is due at `now`; returns the import paths enqueued."""
    now = now or timezone.now()
    periodic = PERIODIC if periodic is None else periodic
    due_at = dict(
        PeriodicTaskRun.objects.filter(task__in=[p.task for p in periodic]).values_list(
            "task", "due_at"
        )
    )
    enqueued = []
    for entry in periodic:
        if entry.task not in due_at:
            try:
                with transaction.atomic():
                    PeriodicTaskRun.objects.create(task=entry.task, due_at=now)
            except IntegrityError:  # another worker made it first: its tick runs it
                continue
            due_at[entry.task] = now
        if due_at[entry.task] > now:
            continue
        claimed = PeriodicTaskRun.objects.filter(task=entry.task, due_at=due_at[entry.task]).update(
            due_at=now + timedelta(seconds=entry.seconds()), last_enqueued_at=now
        )
        if claimed:
            import_string(entry.task).enqueue()
            enqueued.append(entry.task)
    return enqueued
