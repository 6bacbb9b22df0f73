"""What is engine-specific and not search: the import lock (a PostgreSQL advisory lock, or a
file lock on SQLite) and the bulk upserts the importer and the clusterer write with. Modules here
may ask the database vendor; nothing else outside `articles.search.backends` does.

May import: Django. Nothing of `articles` but `articles.models` (never the other way round)."""
