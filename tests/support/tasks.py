"""Tasks for the worker tests: each leaves a line in a file, so a test sees what ran and when."""

import time
from pathlib import Path

from django_tasks import task


@task()
def note(path: str, text: str) -> None:
    with Path(path).open("a", encoding="utf-8") as out:
        out.write(text + "\n")


@task()
def slow_note(path: str, text: str, seconds: float) -> None:
    note.call(path, f"started {text}")
    time.sleep(seconds)  # a task that takes a while, for SIGTERM to arrive during it
    note.call(path, f"finished {text}")
