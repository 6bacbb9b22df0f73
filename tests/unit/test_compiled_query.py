"""`articles.db.compiled` reads Django's SQL compiler, whose internals may change between minor
versions: this fails on a new one, as a reminder to check them before trusting the reader pages."""

import django

from articles.db.compiled import CHECKED_WITH_DJANGO


def test_the_compiled_reads_were_checked_against_this_django_version():
    assert django.VERSION[:2] == CHECKED_WITH_DJANGO, (
        f"Django {django.get_version()}: re-check articles/db/compiled.py against it, then set "
        "CHECKED_WITH_DJANGO. CompiledQuery uses Query.get_compiler(), SQLCompiler.as_sql() (its "
        "params in SQL order), SQLCompiler.select[:col_count] and get_converters() (a dict of "
        "column index to (functions, expression)); instance_from_row uses Field.get_col(), "
        "connection.ops.get_db_converters(), Field.get_db_converters() (each called as "
        "convert(value, expression, connection)) and Model.from_db(). test_listing_seam.py and "
        "test_reader_seam.py hold both to the ORM's answers."
    )
