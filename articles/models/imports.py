"""Import runs: one record per run of `import_seeds`."""

from django.db import models
from django.utils import timezone


class ImportRunQuerySet(models.QuerySet):
    def close_interrupted(self) -> int:
        """Mark runs still "running" as failed: call only while holding the import lock, which
        proves that no other import is running (a killed run never finished its record).

        A killed run never wrote its counts either: they are counted from the articles that
        point to it (created: those made since it started; updated: the others it last wrote)."""
        now = timezone.now()
        interrupted = list(self.filter(status=ImportRun.Status.RUNNING))
        for run in interrupted:
            wrote = run.articles.aggregate(
                created=models.Count("pk", filter=models.Q(created_at__gte=run.started_at)),
                updated=models.Count("pk", filter=models.Q(created_at__lt=run.started_at)),
            )
            run.status, run.finished_at = ImportRun.Status.FAILED, now
            run.created = max(run.created, wrote["created"])
            run.updated = max(run.updated, wrote["updated"])
            run.save(update_fields=["status", "finished_at", "created", "updated"])
        return len(interrupted)


class ImportRun(models.Model):
    """One run of `import_seeds`: what it saw, what it changed, what it refused and why."""

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        FINISHED = "finished", "finished"
        FAILED = "failed", "failed"

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.CharField(max_length=150, blank=True)
    paths = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.RUNNING)
    files_total = models.PositiveIntegerField(default=0)  # counted as it starts (progress)
    files_seen = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # Not imported because an import rule said skip (not rejections): [{"file": ..., "rule": ...}].
    skipped = models.PositiveIntegerField(default=0)
    skipped_files = models.JSONField(default=list, blank=True)
    warnings = models.PositiveIntegerField(default=0)
    # [{"file": ..., "line": ..., "reason": ...}], for editors to see what did not come in.
    rejections = models.JSONField(default=list, blank=True)
    warning_messages = models.JSONField(default=list, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        permissions = [("import_seeds", "Can import seed files from the admin")]

    def __str__(self):
        return f"Import {self.started_at:%Y-%m-%d %H:%M} ({self.state})"

    @property
    def state(self) -> str:
        """How the run went, in words: a run that refused files says so ("finished, 3
        rejected"), not "finished" like a clean one."""
        label = self.get_status_display()
        if self.status != self.Status.RUNNING and self.rejected:
            return f"{label}, {self.rejected:,} rejected"
        return label

    @property
    def went_cleanly(self) -> bool:
        return self.status == self.Status.FINISHED and not self.rejected

    @property
    def progress_text(self) -> str:
        if self.status == self.Status.QUEUED:
            return "waiting for the worker"
        if self.status == self.Status.RUNNING and self.files_total:
            share = min(100, 100 * self.files_seen // self.files_total)
            return f"{self.files_seen:,} of {self.files_total:,} files ({share}%)"
        return ""
