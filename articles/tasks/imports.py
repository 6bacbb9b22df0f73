"""Import tasks: an upload from the admin, imported by the worker (`import_upload`), and the
watched sources' poll (`poll_sources`, every IMPORT_EVERY minutes: articles/tasks/periodic.py)."""

import logging
from pathlib import Path

from django.db import transaction
from django_tasks import task

from articles.ingest import sources
from articles.ingest.upload import import_staged
from articles.models import ImportRun

logger = logging.getLogger(__name__)


def queue_import(folder: Path, started_by: str) -> ImportRun:
    """Record a queued run for the staged `folder` and enqueue its import; the run's page shows
    its progress."""
    run = ImportRun.objects.create(
        status=ImportRun.Status.QUEUED, started_by=started_by, paths=f"upload {folder.name}"
    )
    # Once the run's row is committed, so that the worker finds it.
    transaction.on_commit(lambda: import_upload.enqueue(run.pk, str(folder)))
    return run


@task()
def import_upload(run_id: int, folder: str) -> None:
    # A run no longer queued was taken by another worker (a task run twice): nothing to do.
    if ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).exists():
        import_staged(run_id, folder)


@task()
def poll_sources() -> int:
    """Import what the watched sources (IMPORT_SOURCES) delivered; the files imported."""
    # The worker keeps routine sweeps out of its log (articles/tasks/worker.py): a poll that
    # imported files, or had to leave them, says so.
    result = sources.poll()
    if result.files:
        logger.info(
            "watched sources: %d files imported, import run %s", result.files, result.run_id
        )
    elif result.refused:
        logger.info("watched sources: files left for the next poll (%s)", result.refused)
    return result.files
