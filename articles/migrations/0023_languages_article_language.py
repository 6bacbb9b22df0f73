"""Each article's language (`Article.language`, articles/languages), and PostgreSQL's search in
it: a text search configuration per language PostgreSQL stems (`newsroom_french`, ...: that
language's Snowball stemmer after `unaccent`, as `newsroom` is English's), chosen per row by the
search-vector trigger from the article's language; an unknown or other language keeps
`newsroom`. The articles already there get their language detected here.

SQLite's FTS5 has one tokenizer per table (Porter, English) and nothing to change.
"""

import importlib

from django.db import migrations, models

# language -> (PostgreSQL's Snowball dictionary, a stop word of it): the word opens the
# excerpt and the body, so that a phrase cannot match across two fields (as 0012's "the ").
# Kept equal to articles/search/backends/postgres.py: LANGUAGE_CONFIGS (a test holds them so).
STEMMED = {
    "fr": ("french", "le"),
    "de": ("german", "der"),
    "es": ("spanish", "el"),
    "it": ("italian", "il"),
    "pt": ("portuguese", "o"),
    "nl": ("dutch", "de"),
}


def _vector(row: str) -> str:
    # 0018's fields (the editor's headline and excerpt beside the source's), each in the
    # article's language's configuration.
    return f"""
      setweight(to_tsvector(config, COALESCE({row}title, '')), 'A')
      || setweight(to_tsvector(config, gap || COALESCE({row}editor_title, '')), 'A')
      || setweight(to_tsvector(config, gap || COALESCE({row}excerpt, '')), 'B')
      || setweight(to_tsvector(config, gap || COALESCE({row}editor_excerpt, '')), 'B')
      || setweight(to_tsvector(config, gap || COALESCE({row}body, '')), 'C')"""


def _choose(row: str) -> str:
    whens = "\n".join(
        f"        WHEN '{code}' THEN config := 'newsroom_{name}'; gap := '{word} ';"
        for code, (name, word) in STEMMED.items()
    )
    return f"""
      CASE split_part(lower(COALESCE({row}language, '')), '-', 1)
{whens}
        ELSE config := 'newsroom'; gap := 'the ';
      END CASE;"""


POSTGRES_FORWARD = [
    *(
        f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'newsroom_{name}') THEN
            CREATE TEXT SEARCH CONFIGURATION newsroom_{name} (COPY = {name});
          END IF;
        END $$
        """
        for name, _ in STEMMED.values()
    ),
    *(
        f"ALTER TEXT SEARCH CONFIGURATION newsroom_{name} "
        f"ALTER MAPPING FOR word, hword, hword_part WITH unaccent, {name}_stem"
        for name, _ in STEMMED.values()
    ),
    f"""
    CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
    DECLARE
      config regconfig;
      gap text;
    BEGIN
      {_choose("NEW.")}
      NEW.search_vector := {_vector("NEW.")};
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article",
    """
    CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF title, editor_title, excerpt, editor_excerpt, body, language
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()
    """,
]

def _postgres_backward() -> list[str]:
    # 0018's function and trigger, English for every article, and the articles in other
    # languages indexed by it again.
    corrections = importlib.import_module("articles.migrations.0018_corrections_editor_text")
    return [
        *corrections.postgres_statements(
            corrections.postgres_vector("NEW."), corrections.FTS_COLUMNS
        ),
        "UPDATE articles_article SET title = title WHERE language <> ''",
        *(
            f"DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_{name}"
            for name, _ in STEMMED.values()
        ),
    ]


def search_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def search_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in _postgres_backward():
            schema_editor.execute(statement)


def detect_existing(apps, schema_editor):
    """The language of every article already imported, as the importer now detects it (a seed's
    stated `language` was kept in `extra` until now: it wins, as it does at import)."""
    from articles.languages import detect_language, language_tag

    Article = apps.get_model("articles", "Article")
    after = 0
    while True:
        rows = list(
            Article.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "title", "excerpt", "body", "extra")[:2000]
        )
        if not rows:
            return
        changed = []
        for pk, title, excerpt, body, extra in rows:
            stated = extra.get("language") if isinstance(extra, dict) else None
            language = (language_tag(stated) if isinstance(stated, str) else None) or (
                detect_language(title, excerpt, body)
            )
            if language:
                changed.append(Article(pk=pk, language=language))
        Article.objects.bulk_update(changed, ["language"], batch_size=500)
        after = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0022_stories_quality_evidence"),
    ]

    operations = [
        # The column added in place: Django's AddField rebuilds SQLite's table for a column
        # with a default, and the rebuild would drop 0012's FTS triggers with the old table.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="article",
                    name="language",
                    field=models.CharField(blank=True, db_default="", max_length=35),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE articles_article "
                    "ADD COLUMN language varchar(35) DEFAULT '' NOT NULL",
                    "ALTER TABLE articles_article DROP COLUMN language",
                ),
            ],
        ),
        migrations.RunPython(search_forward, search_backward, elidable=False),
        migrations.RunPython(detect_existing, migrations.RunPython.noop, elidable=False),
    ]
