"""Watched import sources (settings.IMPORT_SOURCES): each one's health, and the files it has
delivered (by fingerprint), so that each new or changed file is imported once."""

from datetime import timedelta

from django.db import models
from django.utils import timezone


class ImportSource(models.Model):
    """One watched folder or storage prefix, as IMPORT_SOURCES names it."""

    location = models.CharField(max_length=500, unique=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_delivery_at = models.DateTimeField(null=True, blank=True)  # new or changed files seen
    # Seconds between deliveries, smoothed (what "usually" means for the silence warning).
    usual_gap = models.FloatField(null=True, blank=True)
    last_run = models.ForeignKey(
        "articles.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    files_seen = models.PositiveIntegerField(default=0)  # by the last poll that found files
    rejected = models.PositiveIntegerField(default=0)  # by that poll's run
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["location"]

    def __str__(self):
        return self.location

    def delivered(self, at) -> None:
        if self.last_delivery_at is not None:
            gap = (at - self.last_delivery_at).total_seconds()
            self.usual_gap = gap if self.usual_gap is None else 0.7 * self.usual_gap + 0.3 * gap
        self.last_delivery_at = at

    def silent_too_long(self, now=None, poll_seconds: float = 300) -> bool:
        """A source that usually delivers has been silent for longer than usual: three of its
        usual gaps, and at least two polls."""
        if self.usual_gap is None or self.last_delivery_at is None:
            return False
        now = now or timezone.now()
        allowed = timedelta(seconds=max(3 * self.usual_gap, 2 * poll_seconds))
        return now - self.last_delivery_at > allowed


class SourceFile(models.Model):
    """A file a source delivered, as last imported: its fingerprint (size and modification
    time, or the storage's), so that an unchanged file is not read again."""

    key = models.CharField(max_length=1200, unique=True)  # "<source id>:<name>"
    fingerprint = models.CharField(max_length=100)
    imported_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.key
