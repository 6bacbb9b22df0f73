"""What the in-process benchmarks share (bench/admin.py, desk.py, search.py): a scratch test
database, made and dropped around the run, beside the one DATABASE_URL names."""

from contextlib import contextmanager


@contextmanager
def scratch_test_database():
    """Django's test database for the configured engine (SQLite, or PostgreSQL when
    DATABASE_URL points there), dropped afterwards; call after django.setup()."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
