"""What a test needs from outside Python, and whether this machine has it.

The lane markers in pyproject.toml (`browser`, `postgres`, `redis`) each need something, and a
test asks for more with `@pytest.mark.requires(name, ...)`, a name of REQUIREMENTS below.
tests/conftest.py checks before each test runs: when something is missing the test is skipped
with the reason; under CI=true it fails instead, so a green CI run has used the real thing. One
exception: a test that needs the suite's own database to be PostgreSQL skips on SQLite, in CI
too (CI runs the suite on SQLite, then again on PostgreSQL).
"""

import importlib.util
import os
import shutil
import sys
from functools import cache as remember
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.support.browser import CHROMIUM
from tests.support.checkers import AXE, VNU_JAR
from tests.support.services import REDIS_URL, reachable

MOTO_SERVER = Path(sys.executable).parent / "moto_server"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _chromium() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (CI installs Debian's chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed: pip install -r requirements-dev.txt"
    return None


def _redis() -> str | None:
    address = urlsplit(REDIS_URL)
    host, port = address.hostname or "127.0.0.1", address.port or 6379
    return None if reachable(host, port) else f"Redis is not reachable at {host}:{port}"


def _postgresql() -> str | None:
    if reachable("127.0.0.1", 5432):
        return None
    return "PostgreSQL is not reachable at 127.0.0.1:5432"


def _postgresql_database() -> str | None:
    if connection.vendor == "postgresql":
        return None
    return f"runs when the suite's database is PostgreSQL (DATABASE_URL), not {connection.vendor}"


def _axe_core() -> str | None:
    return None if AXE.exists() else f"axe-core is missing at {AXE}: run `npm ci`"


def _vnu() -> str | None:
    if not VNU_JAR.exists():
        return f"the Nu HTML checker is missing at {VNU_JAR}: run `npm ci`"
    if shutil.which("java") is None:
        return "java is not installed: the Nu HTML checker needs it"
    return None


def _redis_server() -> str | None:
    # Outage tests start, stop and pause a Redis server of their own.
    return None if shutil.which("redis-server") else "redis-server is not installed"


def _moto_server() -> str | None:
    return None if MOTO_SERVER.exists() else f"{MOTO_SERVER} is missing: pip install moto[server]"


# name: (check, returning None or why it is missing; whether CI=true fails the test without it)
REQUIREMENTS = {
    "chromium": (_chromium, True),
    "redis": (_redis, True),
    "postgresql": (_postgresql, True),
    "axe-core": (_axe_core, True),
    "vnu": (_vnu, True),
    "moto_server": (_moto_server, True),
    "redis-server": (_redis_server, True),
    # Not a missing service but which run this is: CI runs the suite on SQLite, then again on
    # PostgreSQL, where these tests run. They skip on the SQLite run, in CI too.
    "postgresql database": (_postgresql_database, False),
}
# What each lane marker needs; more with @pytest.mark.requires("name", ...).
MARKER_NEEDS = {"browser": ("chromium",), "redis": ("redis",), "postgres": ("postgresql",)}


@remember
def missing(name: str) -> str | None:
    """Why `name` is missing here, or None when it is there (asked once per run)."""
    check, _ = REQUIREMENTS[name]
    return check()


def fails_in_ci(name: str) -> bool:
    return REQUIREMENTS[name][1]


def needs(item: pytest.Item) -> list[str]:
    """What `item` needs, from its markers; raises UsageError for an unknown name."""
    names = [
        need
        for marker, wanted in MARKER_NEEDS.items()
        if item.get_closest_marker(marker)
        for need in wanted
    ]
    for marker in item.iter_markers("requires"):
        unknown = set(marker.args) - REQUIREMENTS.keys()
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: unknown requirement {sorted(unknown)}")
        names.extend(marker.args)
    # What always skips first: on SQLite, a PostgreSQL-only test is skipped, not failed.
    return sorted(dict.fromkeys(names), key=fails_in_ci)
