"""What every test gets.

- `suite_settings` (session, autouse): what the suite needs from Django's settings, set here
  rather than guessed by newsroom/settings.py: a private in-memory cache for the run (never the
  shared file cache, nor a CACHE_URL from the environment: fresh_cache empties it) and plain
  static-file storage, so pages render without `collectstatic`. Child processes a test starts
  build their settings from the environment alone, as production does.
- `fresh_cache` (autouse): the cache is emptied before and after every test.
- `seed_dir` and `write_seed`: a folder of seed files for a test to import.
- Lanes and requirements: the markers in pyproject.toml sort out the tests that need a browser,
  PostgreSQL, Redis, or slow child processes and servers (`make test-fast` leaves those out).
  A test says what it needs from outside Python with those markers and `requires(...)`;
  `pytest_runtest_setup` below checks before it runs (tests/support/requirements.py says how).

Tests that need real transactions (transaction=True) also use serialized_rollback=True: the
flush after them would otherwise delete what migrations created (the Editors and Staff
groups), and a flush followed by a restore in the wrong order fails on content types.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from articles import cache_breaker, database_version_of_pages
from tests.support import requirements
from tests.support.seeds import seed_text


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
def fresh_cache(monkeypatch):
    """Reader pages and admin filter choices are cached: no test sees what another stored,
    nor an outage another test's cache had (the circuit breaker's memory), nor the database's
    reader-pages version another test's process read. Each page reads that version afresh
    (no freshness window): query counts do not depend on timing; tests that are about the
    window set it themselves."""
    monkeypatch.setattr(database_version_of_pages, "FRESH", 0.0)
    cache_breaker.reset()
    database_version_of_pages.forget()
    cache.clear()
    yield
    cache.clear()
    cache_breaker.reset()
    database_version_of_pages.forget()


@pytest.fixture
def seed_dir(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    return folder


@pytest.fixture
def write_seed(seed_dir):
    """write_seed(name, fields_or_text, body="") -> Path of a seed file in seed_dir."""

    def write(name, content, body=""):
        path = seed_dir / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(
                content if isinstance(content, str) else seed_text(content, body),
                encoding="utf-8",
            )
        return path

    return write


# --- What tests need from outside Python ----------------------------------------------------


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        requirements.needs(item)  # an unknown requirement stops the run before any test starts


def pytest_runtest_setup(item: pytest.Item) -> None:
    for name in requirements.needs(item):
        reason = requirements.missing(name)
        if reason is None:
            continue
        if requirements.fails_in_ci(name) and requirements.running_in_ci():
            pytest.fail(f"{reason} (CI=true: this test must run, not skip)", pytrace=False)
        # Reported at the test's own location (as pytest's skip markers are), not this line's.
        raise pytest.skip.Exception(reason, _use_item_location=True)
