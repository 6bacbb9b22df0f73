"""Indexes for the review queue's order: quality, then heat (missing ones last), then newest.

Written per database because the spelling differs: PostgreSQL puts NULLs first in a descending
index unless told NULLS LAST; SQLite puts them last already and refuses NULLS LAST in an index.
Not in the model state, as Django's Index cannot say both.
"""

from django.db import migrations

COLUMNS = {
    "postgresql": "quality DESC NULLS LAST, heat DESC NULLS LAST, source_published_at DESC, id DESC",
    "sqlite": "quality DESC, heat DESC, source_published_at DESC, id DESC",
}


def create(apps, schema_editor):
    columns = COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(f"CREATE INDEX article_review_order ON articles_article ({columns})")
        # The queue (never reviewed): its page and its count read only this small index.
        schema_editor.execute(
            f"CREATE INDEX article_review_queue ON articles_article ({columns}) "
            "WHERE reviewed_at IS NULL"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in COLUMNS:
        schema_editor.execute("DROP INDEX IF EXISTS article_review_queue")
        schema_editor.execute("DROP INDEX IF EXISTS article_review_order")


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_editorial_staff_group")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
