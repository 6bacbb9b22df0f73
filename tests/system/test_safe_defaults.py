"""Safe by default: a server started without DEBUG set runs with DEBUG off; the public
development key never signs anything with DEBUG off; debug pages never show credentials."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.views.debug import technical_500_response

pytestmark = pytest.mark.slow

REAL_KEY = "a-real-secret-key-for-this-test-" + "x" * 40
DEVELOPMENT_KEY = "django-insecure-development-only-never-use-in-production"
REDIS_PASSWORD = "hunter2-redis"
DATABASE_PASSWORD = "hunter2-database"
S3_SECRET = "hunter2-s3"


def check_without(*unset: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py shell` printing DEBUG, in an environment without `unset` variables."""
    environment = {k: v for k, v in os.environ.items() if k not in unset} | env
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", _PRINT_DEBUG],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


_PRINT_DEBUG = "from django.conf import settings; print(settings.DEBUG)"


def test_without_debug_set_a_server_runs_with_debug_off():
    result = check_without("DEBUG", SECRET_KEY=REAL_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_without_debug_or_a_secret_key_it_refuses_to_start_and_says_how_to_develop():
    result = check_without("DEBUG", "SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "DEBUG=true" in result.stderr  # what a developer on their own machine sets
    assert "Traceback" not in result.stderr  # the message alone, not buried


@pytest.mark.parametrize("debug", [None, "false"])
def test_the_development_key_is_never_used_with_debug_off(debug):
    env = {"SECRET_KEY": DEVELOPMENT_KEY} | ({"DEBUG": debug} if debug else {})
    result = check_without("DEBUG", **env)
    assert result.returncode != 0
    assert "development" in result.stderr


@override_settings(
    DEBUG=True,
    CACHE_URL=f"redis://:{REDIS_PASSWORD}@cache.internal:6379/0",
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"redis://:{REDIS_PASSWORD}@cache.internal:6379/0",
        }
    },
)
def test_debug_pages_never_show_credentials():
    request = RequestFactory().get(
        "/",
        DATABASE_URL=f"postgres://newsroom:{DATABASE_PASSWORD}@db.internal/newsroom",
        CACHE_URL=f"rediss://default:{REDIS_PASSWORD}@cache.internal:6380/0",
        AWS_SECRET_ACCESS_KEY=S3_SECRET,
    )  # runserver puts the process environment in every request's META
    try:
        connect_to_a_database_that_is_down()
    except RuntimeError:
        page = technical_500_response(request, *sys.exc_info()).content.decode()
    assert "something broke" in page  # it is the debug page
    for secret in (REDIS_PASSWORD, DATABASE_PASSWORD, S3_SECRET, settings.SECRET_KEY):
        assert secret not in page, secret
    assert "connect_to_a_database_that_is_down" in page  # the frame, with its variables hidden


def connect_to_a_database_that_is_down():
    # What a driver's frames hold when the database cannot be reached (psycopg, Django).
    url = f"postgres://newsroom:{DATABASE_PASSWORD}@db.internal/newsroom"  # noqa: F841
    conninfo = f"host=db.internal user=newsroom password={DATABASE_PASSWORD}"  # noqa: F841
    settings_dict = {"NAME": "newsroom", "PASSWORD": DATABASE_PASSWORD}  # noqa: F841
    raise RuntimeError("something broke")
