"""What reading the reader-pages version from the database costs a cached page (issue 27).

    .venv/bin/python bench/reader_pages_version.py      # SQLite; PostgreSQL with DATABASE_URL

In-process (Django's test client), DEBUG off, an in-memory cache, a scratch test database:
the median time of `ReaderPagesVersion.current()` alone, and of a cached home page with and
without the version read (docs/PERFORMANCE.md).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench.in_process import scratch_test_database  # noqa: E402

PLAIN_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEMORY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def median_us(operation, times: int) -> float:
    took = []
    for _ in range(times):
        started = time.perf_counter()
        operation()
        took.append(time.perf_counter() - started)
    return statistics.median(took) * 1e6


def main():
    with scratch_test_database():
        from articles import database_version_of_pages
        from articles.models import ReaderPagesVersion
        from tests.support.factories import make_article

        for number in range(20):
            make_article(f"Story {number}")
        settings = {"CACHES": MEMORY_CACHE, "ALLOWED_HOSTS": ["*"], "STORAGES": PLAIN_STORAGES}
        with override_settings(**settings):
            client = Client()
            home = lambda: client.get("/")  # noqa: E731
            home()
            print(f"engine: {connection.vendor}; load average {os.getloadavg()[0]:.1f}")
            print(f"the version alone: {median_us(ReaderPagesVersion.current, 3000):.0f} µs")
            print(f"cached home page: {median_us(home, 2000):.0f} µs")
            database_version_of_pages.look_up_with(lambda: None)
            home()
            print(f"cached home page, no version read: {median_us(home, 2000):.0f} µs")


if __name__ == "__main__":
    main()
