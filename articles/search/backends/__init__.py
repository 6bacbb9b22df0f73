"""One full-text backend per database engine (`sqlite`: FTS5; `postgres`: tsvector), each
answering the calls of `base.SearchBackend`; `search_backend()` below is the one place that picks
the backend for the database in use. Only here is the database vendor asked.

May import: Django, `articles.models`, `articles.search.query`."""

from django.db import connection

from articles.search.backends.base import SearchBackend
from articles.search.backends.postgres import TsvectorBackend
from articles.search.backends.sqlite import Fts5Backend

_BY_VENDOR = {"sqlite": Fts5Backend(), "postgresql": TsvectorBackend()}


def search_backend() -> SearchBackend:
    """The backend of the default database's engine."""
    try:
        return _BY_VENDOR[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"No full-text search on {connection.vendor}") from None
