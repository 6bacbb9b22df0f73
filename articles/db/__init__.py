"""What is engine-specific and not search: the import lock (a PostgreSQL advisory lock, or a
file lock on SQLite, `locks`), the bulk upserts the importer and the clusterer write with
(`bulk`), PostgreSQL's estimated row count for the admin's paging (`estimates`), seconds
between two moments (`durations`, the flow dashboard's waits), the heap's free pages handed
back to the system after each batch of a long import (`memory`, glibc), and the reads
compiled once per engine (`compiled`: the listings, the article page's rows, the desk's capped
counts; the one module that reads Django's SQL compiler), and PostgreSQL's timestamps read by
psycopg's compiled loader (`timestamps`). Modules here may ask the database
vendor; nothing else outside `articles.search.backends` does.

May import: Django. Nothing of `articles` but `articles.models` (never the other way round)."""
