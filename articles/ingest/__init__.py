"""Importing seed files: `run_import()` (`run`) finds them (`files`), parses each batch in a
worker process while the previous one is written (`pipeline`), upserts them (`writer`, `bulk`),
one import at a time (`locks`), and says what came of each file (`report`)."""

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
