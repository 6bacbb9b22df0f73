"""Periodic work, without cron: every worker ticks (articles/tasks/scheduler.py) and enqueues
what is due here. Add a line to PERIODIC to add periodic work: how often (seconds, or a function
of the settings giving seconds) and the task's import path (imported when due, so this module
imports nothing of the tasks)."""

from typing import NamedTuple

from django.conf import settings


class Periodic(NamedTuple):
    every: object  # seconds, or a callable returning seconds (read when due: settings may change)
    task: str  # import path of a django-tasks Task taking no arguments

    def seconds(self) -> float:
        return float(self.every() if callable(self.every) else self.every)


PERIODIC: list[Periodic] = [
    # Embargoes and expiries that passed, announced to webhooks (within ~35 s of the moment).
    Periodic(30, "articles.tasks.webhooks.announce_schedule"),
    # Webhook retries that are due, and deliveries whose worker died mid-way.
    Periodic(lambda: settings.WEBHOOK_SWEEP_SECONDS, "articles.tasks.webhooks.deliver_due"),
    # Watched import sources (IMPORT_SOURCES), every IMPORT_EVERY minutes.
    Periodic(lambda: settings.IMPORT_EVERY * 60, "articles.tasks.imports.poll_sources"),
    # Finished task records (database backend) kept a day, then deleted.
    Periodic(3600, "articles.tasks.housekeeping.prune_finished_tasks"),
]
