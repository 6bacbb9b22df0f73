"""Saved desk views: an editor's named sets of review-desk filters."""

from django.conf import settings
from django.db import models


class SavedDeskView(models.Model):
    """An editor's named set of review-desk filters (the desk URL's query string)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_desk_views"
    )
    name = models.CharField(max_length=60)
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="unique_saved_desk_view_name"),
        ]

    def __str__(self):
        return self.name
