"""Periodic work, without cron: every worker ticks (articles/tasks/scheduler.py) and enqueues
what is due here. Add a line to PERIODIC to add periodic work: how often (seconds, or a function
of the settings giving seconds) and the task's import path (imported when due, so this module
imports nothing of the tasks)."""

from typing import NamedTuple


class Periodic(NamedTuple):
    every: object  # seconds, or a callable returning seconds (read when due: settings may change)
    task: str  # import path of a django-tasks Task taking no arguments

    def seconds(self) -> float:
        return float(self.every() if callable(self.every) else self.every)


PERIODIC: list[Periodic] = [
    # Finished task records (database backend) kept a day, then deleted.
    Periodic(3600, "articles.tasks.housekeeping.prune_finished_tasks"),
]
