"""Counts cheaper than COUNT(*) over everything: a table's size as PostgreSQL's planner already
knows it, and counts that stop at a cap. The admin's list pages and the desk's badges need no
more than these, and an exact count of 100,000 articles reads every one of them."""

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


def capped_counts(querysets, cap: int) -> list[int]:
    """How many rows each queryset has, counting no further than `cap`, in one query.

    An exact count of a view's waiting items reads every one of them (a scan of 100,000
    articles for a broad view); a count that stops at `cap` reads at most that many, and a
    header badge needs no more ("999+"). The ORM writes each count's SQL; they are only put
    side by side here, as scalar subqueries of one SELECT."""
    if not querysets:
        return []
    parts, params = [], []
    for queryset in querysets:
        sql, part_params = queryset.order_by().values("pk")[:cap].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) capped)")
        params.extend(part_params)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())
