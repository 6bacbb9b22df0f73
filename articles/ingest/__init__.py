"""Importing seed files: `run_import()` (`run`) finds them (`files`), parses each batch in a
worker process while the previous one is written (`pipeline`), upserts them (`writer`, `bulk`),
one import at a time (`locks`), and says what came of each file (`report`). What a seed file may
say, and how it is checked, is the `seeds` package (no database). `export` writes articles back
out as seed files; `corpus` generates seed files and `demo` imports them as the demo newsroom.

May import: `articles.models`, `articles.db`, `articles.clustering` (an import ends by placing
its articles in stories)."""

from articles.db.locks import ImportAlreadyRunning
from articles.ingest.files import SEED_SUFFIXES, SeedFileError
from articles.ingest.pipeline import DEFAULT_BATCH_SIZE
from articles.ingest.report import ImportSummary, Rejection
from articles.ingest.run import run_import

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "SEED_SUFFIXES",
    "ImportAlreadyRunning",
    "ImportSummary",
    "Rejection",
    "SeedFileError",
    "run_import",
]
