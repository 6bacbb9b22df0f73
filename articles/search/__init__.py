"""Readers' and editors' full-text search: the query language (`query`, pure), one backend per
database engine (`backends/`), highlighting, and the readers' results page (`results_page`).

May import: `articles.models`, `articles.page_cache`. Nothing of the reader or the admin."""
