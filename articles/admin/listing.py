"""How the article list reads the database: an estimated count instead of a scan, and none of
the long columns it never shows."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

from .strict import StrictChangeList


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, the unfiltered list counts from the planner's statistics, not COUNT(*).

    The exact number of all articles does not help an editor page through them; the estimate
    (kept fresh by autovacuum's ANALYZE) is close enough for "page 3 of 2,000". Filtered lists,
    small tables and other databases count exactly.
    """

    EXACT_BELOW = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            table = queryset.model._meta.db_table
            with connection.cursor() as cursor:
                # One query either way: the estimate, or the exact count of a small table.
                cursor.execute(
                    "SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint "
                    f"ELSE (SELECT COUNT(*) FROM {connection.ops.quote_name(table)}) END "
                    "FROM pg_class WHERE oid = %s::regclass",
                    [self.EXACT_BELOW, table],
                )
                row = cursor.fetchone()
            if row:
                return row[0]
        return super().count


class ArticleChangeList(StrictChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The list never shows the long columns; reading them for 50 rows costs more than the
        # rest of the row.
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer("body", "secured", "extra", "excerpt")
