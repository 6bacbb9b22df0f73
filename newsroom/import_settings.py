"""Settings of imports without a terminal, from the environment (imported by settings.py).

- Seed uploads in the admin (articles/ingest/upload.py): `IMPORT_UPLOAD_DIR`, where the files
  wait between Preview and Import (shared with the task worker if it runs on another machine);
  a zip's limits, checked before anything is extracted: `IMPORT_UPLOAD_MAX_FILES`,
  `IMPORT_UPLOAD_MAX_BYTES` (uncompressed).
- Watched sources (articles/ingest/sources.py), polled by the task worker: `IMPORT_SOURCES`,
  comma-separated folders or "storage:PREFIX" (a prefix in the default storage;
  "storage:NAME/PREFIX" for another of STORAGES); every `IMPORT_EVERY` minutes (default 5); a
  file changed less than `IMPORT_SETTLE_SECONDS` ago (default 30) waits for the next poll (or
  write "x.txt.part" and rename it when complete).
"""

from pathlib import Path


def import_settings(env, base_dir: Path) -> dict:
    return {
        "IMPORT_UPLOAD_DIR": Path(env.str("IMPORT_UPLOAD_DIR", default=str(base_dir / ".uploads"))),
        "IMPORT_UPLOAD_MAX_FILES": env.int("IMPORT_UPLOAD_MAX_FILES", default=10_000),
        "IMPORT_UPLOAD_MAX_BYTES": env.int("IMPORT_UPLOAD_MAX_BYTES", default=256 * 1024 * 1024),
        "IMPORT_SOURCES": env.list("IMPORT_SOURCES", default=[]),
        "IMPORT_EVERY": env.float("IMPORT_EVERY", default=5.0),
        "IMPORT_SETTLE_SECONDS": env.float("IMPORT_SETTLE_SECONDS", default=30.0),
    }
