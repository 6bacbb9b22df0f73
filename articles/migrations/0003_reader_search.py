"""A GIN index for reader search, on PostgreSQL only (SQLite searches without one).

The indexed expression was what reader search compiled to; 0007_search_vector replaces it with
a stored, trigger-maintained column and its own index.
"""

from django.db import migrations

INDEX_NAME = "article_search_vector"

CREATE_INDEX = f"""
CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON articles_article USING gin ((
    (setweight(to_tsvector('english'::regconfig, COALESCE("title", '')), 'A')
     || setweight(to_tsvector('english'::regconfig, COALESCE("excerpt", '')), 'B'))
    || setweight(to_tsvector('english'::regconfig, COALESCE("body", '')), 'C')
))
"""
DROP_INDEX = f"DROP INDEX IF EXISTS {INDEX_NAME}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_editors_group"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
