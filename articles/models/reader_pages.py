"""The reader-pages version kept in the database: a change readers must see survives a cache
outage.

Every write readers could see bumps it once it commits (`readers_see_changes`), and every cached
reader page's key carries it (`page_cache.reader_pages_version`). A bump that cannot reach the
cache (Redis stalled while a shell or cron unpublished) still reaches this row, so when the cache
answers again no process serves a page from before the change, even one that never noticed the
outage. One row, read by primary key on every reader page: about a tenth of what serving a
cached page costs (docs/PERFORMANCE.md).
"""

from django.db import connection, models
from django.db.models import F

ROW = 1


class ReaderPagesVersion(models.Model):
    """One row (`ROW`): the number every change readers could see increments."""

    version = models.BigIntegerField(default=1)

    def __str__(self):
        return f"reader pages, version {self.version}"

    @classmethod
    def bump(cls) -> int | None:
        """Increment the version and return it (at least that: another bump may follow at
        once). Called once the change committed, so the row is locked only for this statement,
        never for a whole import or decision."""
        if not cls.objects.filter(pk=ROW).update(version=F("version") + 1):
            # The migration creates the row; a database flushed since (tests) lacks it.
            cls.objects.get_or_create(pk=ROW, defaults={"version": 2})
        return cls.current()

    @classmethod
    def current(cls) -> int | None:
        """The version, in one SELECT by primary key (no ORM: this runs on every reader page)."""
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version FROM {table} WHERE id = %s", [ROW])
            row = cursor.fetchone()
        return row[0] if row else None
