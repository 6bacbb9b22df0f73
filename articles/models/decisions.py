"""Review decisions: the history of every editor decision on an article, one row each.

Rows are written by `articles.editorial` only, through its one builder (`records`), and never
edited: an undo is a decision of its own.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.editorial.undo import UndoQuerySet
from articles.models.articles import Article


class ReviewDecisionQuerySet(UndoQuerySet):
    """`in_force` and `undo_last` come from `articles.editorial.undo`."""


class ReviewDecision(models.Model):
    """One editor decision on one article. Written by `articles.editorial` only, each row by
    its one builder (`records.review_decision`); never edited (an undo is a decision of its
    own)."""

    class Change(models.TextChoices):
        PUBLISH = "publish", "published"
        UNPUBLISH = "unpublish", "unpublished"
        CONFIRM_PUBLISHED = "keep-on", "kept published"
        CONFIRM_UNPUBLISHED = "keep-off", "kept unpublished"
        SCHEDULE = "schedule", "schedule changed"
        UNDO = "undo", "undone"

    # What undo can take back (a schedule is changed back with another schedule).
    UNDOABLE = (
        Change.PUBLISH,
        Change.UNPUBLISH,
        Change.CONFIRM_PUBLISHED,
        Change.CONFIRM_UNPUBLISHED,
    )

    class Via(models.TextChoices):
        LIST_ACTION = "list", "article list action"
        CHANGE_PAGE = "page", "article page"
        DESK = "desk", "review desk"
        SHELL = "shell", "shell or script"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="decisions")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="review_decisions",
    )
    decided_at = models.DateTimeField(default=timezone.now)
    change = models.CharField(max_length=10, choices=Change)
    was_published = models.BooleanField("published before")
    published = models.BooleanField("published after")
    # The schedule in force after the decision.
    publish_at = models.DateTimeField("go live at", null=True, blank=True)
    unpublish_at = models.DateTimeField("come down at", null=True, blank=True)
    via = models.CharField(max_length=10, choices=Via, default=Via.SHELL)
    # The review the article carried before, so that an undo can put it back exactly (every
    # record says what the article was before, as the write's locked read saw it).
    was_reviewed_at = models.DateTimeField("reviewed before at", null=True, blank=True)
    was_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="reviewed before by",
    )
    # The schedule before, and whether the decision changed it: an undo of a decision that did
    # gives it back.
    changed_schedule = models.BooleanField(default=False)
    was_publish_at = models.DateTimeField("went live at before", null=True, blank=True)
    was_unpublish_at = models.DateTimeField("came down at before", null=True, blank=True)
    undoes = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="undone_by",
        help_text="The decision this undo took back.",
    )

    objects = ReviewDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["-decided_at", "-id"], name="decision_recent"),
        ]

    def __str__(self):
        return f"{self.get_change_display()} by {self.editor or 'unknown'}"

    @property
    def schedule_before(self) -> tuple:
        return (self.was_publish_at, self.was_unpublish_at)

    @classmethod
    def change_for(cls, was_published: bool, published: bool) -> str:
        if was_published == published:
            return cls.Change.CONFIRM_PUBLISHED if published else cls.Change.CONFIRM_UNPUBLISHED
        return cls.Change.PUBLISH if published else cls.Change.UNPUBLISH
