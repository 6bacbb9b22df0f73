"""Editors correct: their headline and excerpt over the source's (`editor_title`,
`editor_excerpt`), each correction recorded (`Correction`), and the search indexes over both.

Search matches an article by the source's words and by the editor's: the indexes gain the two
columns, with the weights of the source's title and excerpt. SQLite: the FTS5 table is made
again with five columns (and its triggers, which SQLite dropped with the old table when the
columns were added: Django rebuilds the article table for them), then rebuilt from the rows.
PostgreSQL: the trigger function reads the two columns too, and the trigger fires on them; no
vector changes now (the new columns are empty), so none is recomputed.

Also: a merge's story that went (`StoryCorrection.merged_story_id`), so its address redirects.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FTS_COLUMNS = "title, excerpt, body, editor_title, editor_excerpt"
FTS_OLD = "old.id, old.title, old.excerpt, old.body, old.editor_title, old.editor_excerpt"
FTS_NEW = "new.id, new.title, new.excerpt, new.body, new.editor_title, new.editor_excerpt"

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS article_fts_after_insert",
    "DROP TRIGGER IF EXISTS article_fts_after_delete",
    "DROP TRIGGER IF EXISTS article_fts_after_update",
    "DROP TABLE IF EXISTS article_fts",
]

SQLITE_FORWARD = [
    *SQLITE_DROP,
    f"""
    CREATE VIRTUAL TABLE article_fts USING fts5(
        {FTS_COLUMNS},
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER article_fts_after_insert AFTER INSERT ON articles_article BEGIN
      INSERT INTO article_fts (rowid, {FTS_COLUMNS}) VALUES ({FTS_NEW});
    END
    """,
    f"""
    CREATE TRIGGER article_fts_after_delete AFTER DELETE ON articles_article BEGIN
      INSERT INTO article_fts (article_fts, rowid, {FTS_COLUMNS}) VALUES ('delete', {FTS_OLD});
    END
    """,
    f"""
    CREATE TRIGGER article_fts_after_update AFTER UPDATE OF {FTS_COLUMNS}
    ON articles_article BEGIN
      INSERT INTO article_fts (article_fts, rowid, {FTS_COLUMNS}) VALUES ('delete', {FTS_OLD});
      INSERT INTO article_fts (rowid, {FTS_COLUMNS}) VALUES ({FTS_NEW});
    END
    """,
    "INSERT INTO article_fts (article_fts) VALUES ('rebuild')",
]


def postgres_vector(row: str) -> str:
    # As 0012's, each field its own vector ("the " keeps a phrase from matching across two).
    parts = [("title", "A"), ("editor_title", "A"), ("excerpt", "B"), ("editor_excerpt", "B")]
    vectors = [
        f"setweight(to_tsvector('newsroom'::regconfig, 'the ' || COALESCE({row}{column}, '')), "
        f"'{weight}')"
        for column, weight in parts
    ]
    vectors[0] = f"setweight(to_tsvector('newsroom'::regconfig, COALESCE({row}title, '')), 'A')"
    body = f"setweight(to_tsvector('newsroom'::regconfig, 'the ' || COALESCE({row}body, '')), 'C')"
    return " || ".join([*vectors, body])


def postgres_statements(vector: str, columns: str) -> list[str]:
    return [
        f"""
        CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
        BEGIN
          NEW.search_vector := {vector};
          RETURN NEW;
        END
        $$ LANGUAGE plpgsql
        """,
        "DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article",
        f"""
        CREATE TRIGGER articles_article_search_vector
        BEFORE INSERT OR UPDATE OF {columns} ON articles_article
        FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()
        """,
    ]


def _search_0012():
    return importlib.import_module("articles.migrations.0012_search_index")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = SQLITE_FORWARD
    elif vendor == "postgresql":
        statements = postgres_statements(postgres_vector("NEW."), FTS_COLUMNS)
    else:
        statements = []
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [*SQLITE_DROP, *_search_0012().SQLITE_FORWARD]
    elif vendor == "postgresql":
        old = _search_0012().vector("newsroom", "NEW.")
        statements = postgres_statements(old, "title, excerpt, body")
    else:
        statements = []
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_keyset_listing_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="corrected_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="article",
            name="editor_excerpt",
            field=models.TextField(blank=True, db_default="", default="", verbose_name="editor's excerpt"),
        ),
        migrations.AddField(
            model_name="article",
            name="editor_title",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=500, verbose_name="editor's headline"
            ),
        ),
        migrations.AddField(
            model_name="storycorrection",
            name="merged_story_id",
            field=models.PositiveIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.CreateModel(
            name="Correction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("made_at", models.DateTimeField()),
                ("old_title", models.CharField(blank=True, max_length=500)),
                ("new_title", models.CharField(blank=True, max_length=500)),
                ("old_excerpt", models.TextField(blank=True)),
                ("new_excerpt", models.TextField(blank=True)),
                (
                    "note",
                    models.TextField(
                        blank=True, help_text="Shown to readers; none for a silent fix."
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="corrections",
                        to="articles.article",
                    ),
                ),
                (
                    "editor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-made_at", "-id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("note", ""), _negated=True),
                        fields=["-made_at", "-id"],
                        name="correction_public",
                    )
                ],
            },
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
