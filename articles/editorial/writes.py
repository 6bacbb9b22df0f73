"""What every write readers could see shares, whoever makes it (an editor, an import, the
clusterer): rows a batch at a time, and readers' pages rebuilt once it commits.

It sits here, below the models, because the models inherit this package's mixins: what both need
cannot live in `articles.models` (importing any of its modules runs the package, which imports
this one). `articles.models` re-exports `readers_see_changes` for the rest of the app.
"""

from django.apps import apps
from django.db import transaction

from articles import page_cache

BATCH_SIZE = 500  # ids per `pk__in`: well inside SQLite's limit on a query's parameters


def in_batches(items, size=BATCH_SIZE):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def readers_see_changes() -> None:
    """Call inside the transaction of any write readers could see (a decision, a schedule, an
    import, a deletion, a logo): once it commits, cached reader pages are rebuilt, and they live
    no longer than until the next embargo or expiry."""
    # The model is looked up when the transaction commits: this module is imported while the
    # models load.
    transaction.on_commit(_readers_see_changes_now)


def _readers_see_changes_now() -> None:
    # The database's version first: it reaches readers even when the cache bump cannot. The
    # next scheduled change is looked up after it, so it holds for that version.
    version = apps.get_model("articles", "ReaderPagesVersion").bump()
    page_cache.reader_pages_changed(
        apps.get_model("articles", "Article").objects.next_schedule_change(), version
    )
