"""One import at a time, across processes and machines.

Two imports of overlapping files would race on the same rows and leave an import run record
that does not describe what happened, so `run_import` holds this lock while it writes. On
PostgreSQL it is an advisory lock, which every app server and cron host sharing the database
sees, and which PostgreSQL releases when the holder's connection ends (a crashed import cannot
leave it behind). SQLite lives on one machine, so an exclusive lock on a file beside the
database does the same job; the operating system releases it when the holder exits.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from hashlib import sha256
from pathlib import Path

from django.db import connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# Advisory lock keys are database-wide integers: a namespace for Newsroom and one for imports.
ADVISORY_NAMESPACE = 0x6E657773  # "news"
IMPORT_LOCK_KEY = 1


class ImportAlreadyRunning(Exception):
    """Another import holds the lock; `since` is when it took it, if known."""

    def __init__(self, since: datetime | None, holder: str = ""):
        self.since, self.holder = since, holder
        when = (
            timezone.localtime(since).strftime("%Y-%m-%d %H:%M:%S %Z") if since else "a moment ago"
        )
        by = f" ({holder})" if holder else ""
        super().__init__(
            f"another import is running since {when}{by}; try again when it has finished"
        )


def _holder() -> str:
    return f"{socket.gethostname()} pid {os.getpid()}"


@contextmanager
def import_lock(using: str = "default") -> Iterator[None]:
    """Hold the import lock for the `with` block; raise ImportAlreadyRunning if it is taken."""
    if connections[using].vendor == "postgresql":
        with _advisory_lock(using):
            yield
    else:
        with _file_lock(using):
            yield


@contextmanager
def _advisory_lock(using: str) -> Iterator[None]:
    # A connection of its own: the lock lives as long as this session, whatever the import
    # does with Django's connection (transactions, closing it), and its start time is when the
    # lock was taken, which tells a refused import since when the other one runs.
    lock_connection = connections.create_connection(using)
    try:
        lock_connection.ensure_connection()
        lock_connection.set_autocommit(True)
        with lock_connection.cursor() as cursor:
            cursor.execute("SELECT set_config('application_name', %s, false)", [_label()])
            cursor.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", [ADVISORY_NAMESPACE, IMPORT_LOCK_KEY]
            )
            (acquired,) = cursor.fetchone()
            if not acquired:
                raise ImportAlreadyRunning(*_advisory_holder(cursor))
        try:
            yield
        finally:
            with lock_connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_NAMESPACE, IMPORT_LOCK_KEY]
                )
                cursor.execute("RESET application_name")  # in case a pool reuses the connection
    finally:
        lock_connection.close()


def _label() -> str:
    return f"newsroom import on {_holder()}"[:63]


def _advisory_holder(cursor) -> tuple[datetime | None, str]:
    cursor.execute(
        """
        SELECT activity.backend_start, activity.application_name
        FROM pg_locks AS lock
        JOIN pg_stat_activity AS activity ON activity.pid = lock.pid
        WHERE lock.locktype = 'advisory' AND lock.granted
          AND lock.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND lock.classid = %s AND lock.objid = %s AND lock.objsubid = 2
        """,
        [ADVISORY_NAMESPACE, IMPORT_LOCK_KEY],
    )
    row = cursor.fetchone()
    if row is None:  # released between our attempt and this look-up
        return None, ""
    since, name = row
    return since, name.removeprefix("newsroom import on ")


def _in_memory(using: str) -> bool:
    connection = connections[using]
    return connection.vendor != "sqlite" or connection.is_in_memory_db()


def lock_file_path(using: str = "default") -> Path:
    """Beside the SQLite file. An in-memory database (tests) belongs to one process, so its
    lock file, in the temporary folder, is that process's own."""
    name = str(connections[using].settings_dict["NAME"])
    if not _in_memory(using):
        return Path(f"{name}.import-lock")
    digest = sha256(name.encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"newsroom-{os.getpid()}-{digest}.import-lock"


@contextmanager
def _file_lock(using: str) -> Iterator[None]:
    path = lock_file_path(using)
    # Opened without truncating: the holder's note must survive a refused attempt.
    with open(path, "a+", encoding="utf-8") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ImportAlreadyRunning(*_file_holder(path)) from None
        try:
            lock_file.seek(0)
            lock_file.truncate()
            json.dump({"since": timezone.now().isoformat(), "holder": _holder()}, lock_file)
            lock_file.flush()
            yield
        finally:
            lock_file.seek(0)
            lock_file.truncate()
            if _in_memory(using):
                path.unlink(missing_ok=True)  # nobody outside this process can be waiting on it
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _file_holder(path: Path) -> tuple[datetime | None, str]:
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
        return parse_datetime(note["since"]), str(note["holder"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, ""  # the holder is between taking the lock and writing its note
