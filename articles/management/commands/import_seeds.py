"""`manage.py import_seeds [PATH ...]`: import seed files into the database."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
from tqdm import tqdm

from articles.db.locks import ImportAlreadyRunning
from articles.ingest.files import SeedFileError
from articles.ingest.pipeline import DEFAULT_BATCH_SIZE
from articles.ingest.run import run_import


class Command(BaseCommand):
    help = (
        "Import news items from seed files (YAML front matter + Markdown). PATH may be files or "
        "folders (walked recursively); default: seeds/. Exit code 0 when every file imported, "
        "1 when any file was rejected, 2 for bad usage, 3 when another import is running."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="seed files or folders")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="validate and report what would change, writing nothing",
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=settings.SEED_MAX_BYTES,
            help="refuse files larger than this many bytes (default: %(default)s)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help="files per transaction (default: %(default)s)",
        )

    def handle(self, *args, paths, dry_run, max_bytes, batch_size, verbosity, **options):
        if max_bytes < 1 or batch_size < 1:
            raise CommandError("--max-bytes and --batch-size must be positive", returncode=2)
        paths = paths or [settings.BASE_DIR / "seeds"]
        progress = None

        def show_progress(file_count):
            nonlocal progress
            if verbosity >= 1 and sys.stderr.isatty() and file_count > 1:
                progress = tqdm(total=file_count, unit="file", file=sys.stderr, leave=False)

        def advance(file_count):
            if progress is not None:
                progress.update(file_count)

        def say(stream, message):
            # Write above the progress bar rather than through it.
            if progress is not None:
                progress.clear()
            stream.write(message)
            if progress is not None:
                progress.refresh()

        try:
            summary = run_import(
                paths,
                dry_run=dry_run,
                max_bytes=max_bytes,
                batch_size=batch_size,
                on_files_found=show_progress,
                on_files_done=advance,
                on_rejection=lambda r: say(self.stderr, self.style.ERROR(f"rejected {r}")),
                on_warning=(
                    (lambda w: say(self.stdout, self.style.WARNING(f"warning {w}")))
                    if verbosity >= 1
                    else None
                ),
            )
        except SeedFileError as error:
            raise CommandError(str(error), returncode=2) from None
        except ImportAlreadyRunning as error:
            raise CommandError(str(error), returncode=3) from None
        finally:
            if progress is not None:
                progress.close()

        if verbosity >= 1:
            prefix = "Dry run, nothing written: " if dry_run else ""
            verb = "would be " if dry_run else ""
            rate = summary.seen / summary.seconds if summary.seconds else 0
            line = (
                f"{prefix}{summary.seen} file{pluralize(summary.seen)} seen: "
                f"{summary.created} {verb}created, "
                f"{summary.updated} {verb}updated, {summary.unchanged} unchanged, "
                f"{summary.rejected} rejected, {len(summary.warnings)} warning"
                f"{pluralize(len(summary.warnings))} "
                f"in {summary.seconds:.1f}s ({rate:,.0f} files/s)."
            )
            style = self.style.WARNING if summary.rejected else self.style.SUCCESS
            self.stdout.write(style(line))
            self._rules_said(summary, verb)
        if summary.rejected:
            raise CommandError(
                f"{summary.rejected} of {summary.seen} files were rejected (reasons above).",
                returncode=1,
            )

    def _rules_said(self, summary, verb):
        """What the import rules did (in a dry run, would do): firings by rule, the skipped."""
        if not summary.fired:
            return
        skipped = len(summary.skipped)
        self.stdout.write(
            f"Import rules: {skipped} {verb}skipped (not rejected); each rule {verb}fired:"
        )
        for name, count in summary.fired.most_common():
            self.stdout.write(f"  {name}: {count}")
        for file, rule in summary.skipped[:20]:
            self.stdout.write(f"  skipped {file} (rule {rule!r})")
        if skipped > 20:
            self.stdout.write(f"  ... and {skipped - 20} more skipped")
