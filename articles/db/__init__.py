"""What is engine-specific and not search: the import lock (a PostgreSQL advisory lock, or a
file lock on SQLite), the bulk upserts the importer and the clusterer write with, and the reader's
reads compiled once per engine (`compiled`: the one module that reads Django's SQL compiler).
Modules here may ask the database vendor; nothing else outside `articles.search.backends` does.

May import: Django. Nothing of `articles` but `articles.models` (never the other way round)."""
