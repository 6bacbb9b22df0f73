"""Seconds between two moments, as SQL each engine computes natively: SQLite's `julianday`
difference, PostgreSQL's `EXTRACT(EPOCH FROM …)`. Django's own datetime subtraction calls a
Python function per row on SQLite (`django_timestamp_diff`), which the flow dashboard's
percentiles (articles/flow.py) cannot afford over thousands of rows."""

from django.db.models import FloatField, Func


class SecondsBetween(Func):
    """`end - start` in seconds (a float); NULL if either is NULL."""

    arity = 2
    output_field = FloatField()
    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )
