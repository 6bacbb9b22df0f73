"""One import from start to finish, as `import_seeds` runs it (and any other caller would)."""

from __future__ import annotations

import getpass
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from pathlib import Path

from django.utils import timezone

from articles.clustering.apart import cluster_new_articles_apart
from articles.db.locks import import_lock
from articles.ingest.files import SeedFiles, read_files
from articles.ingest.pipeline import DEFAULT_BATCH_SIZE, run_pipeline
from articles.ingest.report import ImportSummary, Rejection, Report
from articles.ingest.rules import RuleSet
from articles.ingest.writer import BatchWriter
from articles.models import ImportRun


def run_import(
    paths: Iterable[str | Path],
    *,
    max_bytes: int,
    dry_run: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    parallel: bool = True,
    cluster: bool = True,
    started_by: str | None = None,
    run: ImportRun | None = None,
    on_files_found: Callable[[int], None] | None = None,
    on_files_done: Callable[[int], None] | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import the seed files under `paths` (files or folders, walked recursively).

    Raises SeedFileError for a path that is not there, before anything is locked or written, and
    ImportAlreadyRunning when another import holds the import lock. A writing import holds that
    lock throughout; under it, it closes the records that killed imports left running, then keeps
    a record of its own (`ImportRun`), closed as finished or failed whatever happens. A dry run
    writes nothing, so it takes no lock and keeps no record.

    Once the files are in, the articles without a story are clustered into stories (unless
    `cluster` is false; `manage.py cluster_stories` does it later).

    `on_files_found(count)` is called once the files are counted, `on_files_done(count)` after
    each batch (for a progress bar); `on_rejection` and `on_warning` with each as it happens.

    `run`: a record made beforehand (queued, for an import from the admin) to keep instead.
    """
    paths = list(paths)
    files = SeedFiles(paths)
    if on_files_found is not None:
        on_files_found(len(files))
    # One writing import at a time; a dry run writes nothing and needs no lock.
    with nullcontext() if dry_run else import_lock():
        record = None if dry_run else _open_record(paths, started_by, run, len(files))
        return _import(
            files,
            record,
            Report(on_rejection, on_warning),
            max_bytes=max_bytes,
            batch_size=batch_size,
            parallel=parallel,
            cluster=cluster,
            on_files_done=on_files_done or (lambda count: None),
        )


def _open_record(
    paths: list[str | Path], started_by: str | None, run: ImportRun | None, total: int
) -> ImportRun:
    # Under the import lock no other import is running: a run still marked running was killed.
    ImportRun.objects.close_interrupted()
    if run is not None:
        run.status, run.started_at, run.files_total = (
            ImportRun.Status.RUNNING,
            timezone.now(),
            total,
        )
        run.save(update_fields=["status", "started_at", "files_total"])
        return run
    return ImportRun.objects.create(
        started_by=started_by if started_by is not None else _current_user(),
        paths="\n".join(str(path) for path in paths),
        files_total=total,
    )


def _import(
    files: SeedFiles,
    record: ImportRun | None,
    report: Report,
    *,
    max_bytes: int,
    batch_size: int,
    parallel: bool,
    cluster: bool,
    on_files_done: Callable[[int], None],
) -> ImportSummary:
    """Import `files`, then close `record` (None in a dry run) as finished or failed."""
    rules = RuleSet.load()
    writer = BatchWriter(
        report, run_id=record.id if record else None, dry_run=record is None, rules=rules
    )
    started = time.monotonic()
    status = ImportRun.Status.FAILED
    try:
        for rejection in files.refused:
            report.summary.seen += 1
            report.reject(rejection)
        run_pipeline(
            files,
            batch_size=batch_size,
            # A single batch has nothing to overlap with: no worker for it.
            parallel=parallel and len(files) > batch_size,
            read=lambda batch: writer.keep_changed(read_files(batch, max_bytes, report)),
            write=writer.write,
            on_files_done=_with_progress(record, report.summary, on_files_done),
        )
        # Once per run, not per batch: files come in any date order, and one sweep in date
        # order keeps only the window in memory. A run that changed nothing costs one query;
        # the rest runs in a child process, so this one never holds the embedding model.
        if cluster and record is not None:
            clustering_started = time.monotonic()
            clustered = cluster_new_articles_apart()
            report.summary.placed_in_stories = clustered.placed
            report.summary.cluster_seconds = time.monotonic() - clustering_started
            report.summary.cluster_peak_mb = clustered.peak_mb
        report.summary.rules_seconds = rules.seconds
        for warning in rules.timeouts():
            report.warn(warning)
        status = ImportRun.Status.FINISHED
    finally:
        report.summary.seconds = time.monotonic() - started
        if record is not None:
            _close_record(record, status, report.summary)
    return report.summary


def _with_progress(record, summary: ImportSummary, on_files_done):
    """`on_files_done`, after the run's record is brought up to date (its page shows it)."""
    if record is None:
        return on_files_done

    def done(count: int) -> None:
        ImportRun.objects.filter(pk=record.pk).update(
            files_seen=summary.seen,
            created=summary.created,
            updated=summary.updated,
            unchanged=summary.unchanged,
            rejected=summary.rejected,
        )
        on_files_done(count)

    return done


def _close_record(record: ImportRun, status: str, summary: ImportSummary) -> None:
    record.status = status
    record.finished_at = timezone.now()
    record.files_seen = summary.seen
    record.created = summary.created
    record.updated = summary.updated
    record.unchanged = summary.unchanged
    record.rejected = summary.rejected
    record.skipped = len(summary.skipped)
    record.skipped_files = [{"file": file, "rule": rule} for file, rule in summary.skipped[:1000]]
    record.warnings = len(summary.warnings)
    record.rejections = [rejection.as_dict() for rejection in summary.rejections]
    # Keep the record readable when a run warns about every file.
    record.warning_messages = summary.warnings[:1000]
    record.save()


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
