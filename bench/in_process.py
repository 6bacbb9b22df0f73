"""What the in-process benchmarks share (bench/admin.py, desk.py, search.py): a scratch test
database, made and dropped around the run, beside the one DATABASE_URL names, and the
newsroom they fill it with."""

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


def providers_topics_and_editor(username: str, password: str | None = None):
    """2,000 providers, 300 topics and an editor (staff, in the Editors group) in the scratch
    database; returns (providers, topics, editor)."""
    from django.contrib.auth.models import Group, User
    from taggit.models import Tag

    from articles.models import Provider

    providers = Provider.objects.bulk_create(
        [Provider(name=f"Provider {i}", domain=f"provider{i}.example") for i in range(2000)]
    )
    tags = Tag.objects.bulk_create([Tag(name=f"Topic {i}", slug=f"topic-{i}") for i in range(300)])
    editor = User.objects.create_user(username, password=password, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    return providers, tags, editor
