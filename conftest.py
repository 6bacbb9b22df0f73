"""What every test gets, and what a test needs from outside Python.

(Here, at the project root, this file also puts the root on sys.path, so tests can use bench.)

- `suite_settings` (session, autouse): what the suite needs from Django's settings, set here
  rather than guessed by newsroom/settings.py: a private in-memory cache for the run (never the
  shared file cache, nor a CACHE_URL from the environment: fresh_cache empties it) and plain
  static-file storage, so pages render without `collectstatic`. Child processes a test starts
  build their settings from the environment alone, as production does.
- `fresh_cache` (autouse): the cache is emptied before and after every test.
- Lanes and requirements: the markers in pyproject.toml sort out the tests that need a browser,
  PostgreSQL, Redis, or slow child processes and servers (`make test-fast` leaves those out).
  A test says what it needs from outside Python with those markers and `requires(...)`;
  `pytest_runtest_setup` below checks before it runs. When something is missing the test is
  skipped with the reason; under CI=true it fails instead, so a green CI run has used the real
  thing. One exception: a test that needs the suite's own database to be PostgreSQL skips on
  SQLite, in CI too (CI runs the suite on SQLite, then again on PostgreSQL).
"""

import importlib.util
import os
import shutil
import sys
from functools import cache as remember
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from articles.tests.helpers import AXE, CHROMIUM, VNU_JAR
from newsroom.tests.services import REDIS_URL, reachable

MOTO_SERVER = Path(sys.executable).parent / "moto_server"


@pytest.fixture(scope="session", autouse=True)
def suite_settings():
    in_memory = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
    }
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        CACHES={"default": in_memory}, STORAGES={**settings.STORAGES, "staticfiles": plain_static}
    ):
        yield


@pytest.fixture(autouse=True)
def fresh_cache():
    """Reader pages and admin filter choices are cached: no test sees what another stored."""
    cache.clear()
    yield
    cache.clear()


# --- What tests need from outside Python ----------------------------------------------------


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
def _missing(name: str) -> str | None:
    check, _ = REQUIREMENTS[name]
    return check()


def needs(item: pytest.Item) -> list[str]:
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
    return sorted(dict.fromkeys(names), key=lambda name: REQUIREMENTS[name][1])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        needs(item)  # an unknown requirement stops the run before any test starts


def pytest_runtest_setup(item: pytest.Item) -> None:
    for name in needs(item):
        reason = _missing(name)
        if reason is None:
            continue
        if REQUIREMENTS[name][1] and running_in_ci():
            pytest.fail(f"{reason} (CI=true: this test must run, not skip)", pytrace=False)
        # Reported at the test's own location (as pytest's skip markers are), not this line's.
        raise pytest.skip.Exception(reason, _use_item_location=True)
