"""Full-text search on both engines, accents folded (articles/search.py asks it).

SQLite: an FTS5 table over title, excerpt and body with the article table as its external
content (the text is stored once), kept right by triggers, so every write path (the ORM, the
importer's bulk INSERT ... ON CONFLICT DO UPDATE, a flush) keeps it current. The Porter stemmer
over unicode61 with diacritics removed: "societe" matches "Société", "bridge" "bridges".

PostgreSQL: a text search configuration `newsroom`, English with `unaccent` before the stemmer,
used by the 0007 trigger (re-created here) and by queries; existing vectors are refreshed. It
needs the unaccent extension (docs/DEPLOYMENT.md says what a managed database must allow).
"""

from django.db import migrations

# --- SQLite

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE article_fts USING fts5(
        title, excerpt, body,
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER article_fts_after_insert AFTER INSERT ON articles_article BEGIN
      INSERT INTO article_fts (rowid, title, excerpt, body)
      VALUES (new.id, new.title, new.excerpt, new.body);
    END
    """,
    """
    CREATE TRIGGER article_fts_after_delete AFTER DELETE ON articles_article BEGIN
      INSERT INTO article_fts (article_fts, rowid, title, excerpt, body)
      VALUES ('delete', old.id, old.title, old.excerpt, old.body);
    END
    """,
    # Only a change of the indexed text re-indexes: publishing is not a re-index.
    """
    CREATE TRIGGER article_fts_after_update AFTER UPDATE OF title, excerpt, body
    ON articles_article BEGIN
      INSERT INTO article_fts (article_fts, rowid, title, excerpt, body)
      VALUES ('delete', old.id, old.title, old.excerpt, old.body);
      INSERT INTO article_fts (rowid, title, excerpt, body)
      VALUES (new.id, new.title, new.excerpt, new.body);
    END
    """,
    # The articles already there.
    "INSERT INTO article_fts (article_fts) VALUES ('rebuild')",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS article_fts_after_insert",
    "DROP TRIGGER IF EXISTS article_fts_after_delete",
    "DROP TRIGGER IF EXISTS article_fts_after_update",
    "DROP TABLE IF EXISTS article_fts",
]

# --- PostgreSQL


def vector(config: str, row: str = "") -> str:
    # `||` numbers the excerpt's words on from the title's last one, so a phrase could match
    # across the two ("harvest report" + "grain prices" matching "report grain"). A leading
    # stop word leaves a gap of one position: phrases match within one field, as in FTS5.
    return f"""
    setweight(to_tsvector('{config}'::regconfig, COALESCE({row}title, '')), 'A')
    || setweight(to_tsvector('{config}'::regconfig, 'the ' || COALESCE({row}excerpt, '')), 'B')
    || setweight(to_tsvector('{config}'::regconfig, 'the ' || COALESCE({row}body, '')), 'C')
    """


def trigger_function(config: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector := {vector(config, "NEW.")};
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """


POSTGRES_FORWARD = [
    # A trusted extension since PostgreSQL 13: a database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'newsroom') THEN
        CREATE TEXT SEARCH CONFIGURATION newsroom (COPY = english);
      END IF;
    END $$
    """,
    # Words with non-ASCII letters lose their accents before stemming ("Société" -> societ);
    # ASCII words need no unaccenting.
    "ALTER TEXT SEARCH CONFIGURATION newsroom "
    "ALTER MAPPING FOR word, hword, hword_part WITH unaccent, english_stem",
    trigger_function("newsroom"),
    f"UPDATE articles_article SET search_vector = {vector('newsroom')}",
]

ENGLISH_0007 = """
    setweight(to_tsvector('english'::regconfig, COALESCE({row}title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE({row}excerpt, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE({row}body, '')), 'C')
"""

POSTGRES_BACKWARD = [
    # 0007's trigger function and vectors, as they were.
    f"""
    CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector := {ENGLISH_0007.format(row="NEW.")};
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    f"UPDATE articles_article SET search_vector = {ENGLISH_0007.format(row='')}",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom",
    # The unaccent extension stays: something else in the database may use it.
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_stories"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
