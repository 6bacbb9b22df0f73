"""Corrections: each change an editor made to an article's headline or excerpt, and the public
note that may go with it. Written by `articles.editorial.corrections` only (`Article.correct`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from articles.models.articles import Article


class CorrectionQuerySet(models.QuerySet):
    def public(self, now=None):
        """Those readers see (on the article and on /corrections/): with a note, of an article
        readers may see."""
        return self.exclude(note="").filter(article__in=Article.objects.published(now))


class Correction(models.Model):
    """One correction: the editor's headline and excerpt before and after ("" is the source's),
    and an optional public note ("Correction, 6 Dec 2026: …")."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_at = models.DateTimeField()
    old_title = models.CharField(max_length=500, blank=True)
    new_title = models.CharField(max_length=500, blank=True)
    old_excerpt = models.TextField(blank=True)
    new_excerpt = models.TextField(blank=True)
    note = models.TextField(blank=True, help_text="Shown to readers; none for a silent fix.")

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at", "-id"]
        indexes = [
            # /corrections/ walks the public ones newest first; silent fixes are not in it.
            models.Index(
                fields=["-made_at", "-id"], name="correction_public", condition=~Q(note="")
            ),
        ]

    def __str__(self):
        return f"Correction of article {self.article_id}, {self.made_at:%Y-%m-%d %H:%M}"
