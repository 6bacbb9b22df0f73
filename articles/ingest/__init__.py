"""Importing seed files: `run_import()` (`run`) finds them (`files`), parses each batch in a
worker process while the previous one is written (`pipeline`), upserts them (`writer`, through
`articles.db.bulk`), one import at a time (`articles.db.locks`), and says what came of each file
(`report`). What a seed file may say, and how it is checked, is the `seeds` package (no
database). `export` writes articles back out as seed files; `corpus` generates seed files and
`demo` imports them as the demo newsroom.

Import each name from the module that defines it (`from articles.ingest.run import run_import`):
this file re-exports nothing, so that the parts that need no database (`seeds`, `corpus`) import
without loading the importer, the clusterer and the models.

May import: `articles.models`, `articles.db`, `articles.clustering` (an import ends by placing
its articles in stories), and `articles.page_cache.forget` (a rule's first flag: the desk looks
for flags again)."""
