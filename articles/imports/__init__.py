"""Importing seed files: `run_import()` (`run`) finds them (`files`), parses each batch in a
worker process while the previous one is written (`pipeline`), upserts them (`writer`, `bulk`),
one import at a time (`locks`), and says what came of each file (`report`)."""

from .files import SEED_SUFFIXES, SeedFileError
from .locks import ImportAlreadyRunning
from .pipeline import DEFAULT_BATCH_SIZE
from .report import ImportSummary, Rejection
from .run import run_import

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "SEED_SUFFIXES",
    "ImportAlreadyRunning",
    "ImportSummary",
    "Rejection",
    "SeedFileError",
    "run_import",
]
