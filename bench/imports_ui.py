"""Imports without a terminal (issue 25): a 2,000-file zip's upload preview, and a watched
folder of 10,000 files picked up by one poll.

    python bench/imports_ui.py [--zip-files 2000] [--folder-files 10000] [--rules 50]

Runs on a fresh SQLite database in a temporary folder (DATABASE_URL is ignored). The preview is
timed from the uploaded zip to the finished preview (staging: checks, extraction; parsing; the
comparison with stored articles; the rules), against a database that already holds the zip's
first half, changed in one file in ten.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip-files", type=int, default=2000)
    parser.add_argument("--folder-files", type=int, default=10_000)
    parser.add_argument("--rules", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-ui-") as tmp:
        work = Path(tmp)
        os.environ.update(
            DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
            DEBUG="false",
            SECRET_KEY="bench",
            DJANGO_SETTINGS_MODULE="newsroom.settings",
        )
        import django

        django.setup()
        from django.conf import settings
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command

        from articles.ingest.corpus import Corpus
        from articles.ingest.preview import preview_folder
        from articles.ingest.run import run_import
        from articles.ingest.sources import poll
        from articles.ingest.upload import discard, stage
        from bench.import_rules import make_rules

        call_command("migrate", verbosity=0)
        make_rules(args.rules)
        settings.IMPORT_UPLOAD_DIR = work / "uploads"
        corpus = Corpus(1)
        half = work / "half"
        corpus.write(half, args.zip_files // 2)
        run_import([half], max_bytes=1 << 20, started_by="bench")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for number in range(args.zip_files):
                variant = 1 if number % 10 == 0 else 0
                archive.writestr(f"seeds/{number:06d}.txt", corpus.item(number, variant=variant))
        data = buffer.getvalue()
        print(f"nproc={os.cpu_count()} python={sys.version.split()[0]} rules={args.rules}")
        started = time.perf_counter()
        staged = stage([SimpleUploadedFile("seeds.zip", data)])
        staged_at = time.perf_counter()
        preview = preview_folder(staged.folder, max_bytes=settings.SEED_MAX_BYTES)
        done = time.perf_counter()
        discard(staged.folder)
        print(
            f"upload preview, {args.zip_files} files ({len(data) / 1e6:.1f} MB zip): "
            f"{done - started:.2f} s (staging {staged_at - started:.2f} s, preview "
            f"{done - staged_at:.2f} s); {preview.counts}"
        )

        folder = work / "watched"
        corpus.write(folder, args.folder_files)
        old = time.time() - 3600
        for entry in os.scandir(folder):
            os.utime(entry.path, (old, old))
        settings.IMPORT_SOURCES = [str(folder)]
        started = time.perf_counter()
        result = poll()
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = poll()
        second = time.perf_counter() - started
        print(
            f"watched folder, {args.folder_files} files: first poll imported {result.files} in "
            f"{first:.1f} s ({result.files / first:,.0f} files/s, one run); the next poll "
            f"found {again.files} new in {second:.2f} s"
        )


if __name__ == "__main__":
    main()
