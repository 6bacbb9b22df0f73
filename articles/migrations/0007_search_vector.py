"""Reader search on PostgreSQL from a stored, indexed text vector.

0003 indexed an expression; ranking still had to rebuild each matching row's vector from its
text, which made a search for a common word slow. Here the vector is stored in
`search_vector`, kept up to date by a trigger (so every write path, ORM or the importer's bulk
SQL, keeps it right), and GIN-indexed under the same index name. SQLite gets the column only.
"""

import django.contrib.postgres.search
from django.db import migrations

VECTOR = """
    setweight(to_tsvector('english'::regconfig, COALESCE({row}title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE({row}excerpt, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE({row}body, '')), 'C')
"""

FORWARD = [
    "DROP INDEX IF EXISTS article_search_vector",
    f"""
    CREATE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector := {VECTOR.format(row="NEW.")};
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF title, excerpt, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()
    """,
    f"UPDATE articles_article SET search_vector = {VECTOR.format(row='')}",
    "CREATE INDEX article_search_vector ON articles_article USING gin (search_vector)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS article_search_vector",
    "DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_vector()",
    f"CREATE INDEX article_search_vector ON articles_article USING gin (({VECTOR.format(row='')}))",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_editorial_review_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
