"""The reader-pages version the database keeps (`models.ReaderPagesVersion`), as each process
knows it: every reader page key carries it beside the cache's own version, so a takedown whose
cache bump an outage lost is not hidden once the cache answers again.

Read at most once per `FRESH` seconds in a process: a round trip on every cached page halved
PostgreSQL's cached throughput (bench/pages.py), so such a takedown shows within `FRESH` seconds
of the cache answering, and a process's own changes show in it at once (`remember`). Imports
nothing of the app: the app registers the lookup at start-up (`look_up_with`).
"""

import time
from collections.abc import Callable

from django.db import DatabaseError

FRESH = 1.0  # seconds

_lookup: Callable[[], int | None] = lambda: None  # noqa: E731 (until the app registers one)
_known: int | None = None  # the last version read; kept while the database is away
_read_at = float("-inf")


def look_up_with(lookup: Callable[[], int | None]) -> None:
    """Where the version is read (the app registers it at start-up; the app bumps it when a
    change readers must see commits)."""
    global _lookup
    _lookup = lookup
    forget()


def current() -> int | None:
    """The database's version, read afresh once `FRESH` seconds have passed; while the database
    cannot be read, the last one read (nothing is written meanwhile), or None."""
    global _known, _read_at
    if time.monotonic() - _read_at < FRESH:
        return _known
    try:
        _known, _read_at = _lookup(), time.monotonic()
    except DatabaseError:
        pass
    return _known


def known() -> int | None:
    """The version last read (or remembered), without reading: what a page being built now is
    keyed under."""
    return _known


def remember(version: int) -> None:
    """This process bumped the version: its readers see the change at once."""
    global _known, _read_at
    _known, _read_at = version, time.monotonic()


def forget() -> None:
    """Read afresh on the next page (another process's view; tests start from here)."""
    global _known, _read_at
    _known, _read_at = None, float("-inf")
