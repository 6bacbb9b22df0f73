"""Readers' and editors' full-text search: the query language (`query`, pure: no database),
highlighting what matched (`highlight`, pure), one backend per database engine (`backends/`, the
only place the engine is asked), which articles match in what order (`ranking`), and the readers'
results page (`results_page`: filters checked, results paged).

May import: `articles.models`, `articles.page_cache`. Nothing of the reader or the admin."""
