"""Importing seed files: `run_import()` finds them (`files`), parses them in a worker process
while the previous batch is written (`pipeline`), upserts them batch by batch (`writer`, `bulk`),
one import at a time (`locks`), and keeps a record of each run (`run`)."""

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
