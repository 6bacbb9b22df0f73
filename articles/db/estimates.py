"""A count cheaper than COUNT(*) over everything: a table's size as PostgreSQL's planner already
knows it. The admin's list pages need no more, and an exact count of 100,000 articles reads every
one of them. (Counts that stop at a cap, for the desk's badges, are `compiled.capped_counts`:
they put the ORM's compiled SQL side by side.)"""

from django.db import connections


def estimated_count(queryset, exact_below: int) -> int | None:
    """How many rows the unfiltered `queryset` has, from PostgreSQL's statistics (kept fresh by
    autovacuum's ANALYZE), exactly when the table has fewer than `exact_below`; None when no
    estimate applies (another engine, or a filtered queryset), for the caller to count."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or queryset.query.where:
        return None
    table = queryset.model._meta.db_table
    with connection.cursor() as cursor:
        # One query either way: the estimate, or the exact count of a small table.
        cursor.execute(
            "SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint "
            f"ELSE (SELECT COUNT(*) FROM {connection.ops.quote_name(table)}) END "
            "FROM pg_class WHERE oid = %s::regclass",
            [exact_below, table],
        )
        row = cursor.fetchone()
    return row[0] if row else None
