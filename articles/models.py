"""Curated news: providers, articles, their related coverage and the import runs that bring them.

Ownership (see SEED_FORMAT.md): the seed file owns everything it says; editors own `published`
and the review record. Imports write only the source-owned columns listed in
`Article.SOURCE_FIELDS`.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from .cache import reader_pages_changed


class Provider(models.Model):
    """A publisher, identified by its lower-case domain."""

    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, unique=True)
    logo = models.ImageField(upload_to="providers/", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")), name="provider_domain_lower_case"
            ),
        ]

    def __str__(self):
        return self.name


class ImportRun(models.Model):
    """One run of `import_seeds`: what it saw, what it changed, what it refused and why."""

    class Status(models.TextChoices):
        RUNNING = "running", "running"
        FINISHED = "finished", "finished"
        FAILED = "failed", "failed"

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.CharField(max_length=150, blank=True)
    paths = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.RUNNING)
    files_seen = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    # [{"file": ..., "line": ..., "reason": ...}], for editors to see what did not come in.
    rejections = models.JSONField(default=list, blank=True)
    warning_messages = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Import {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class TaggedArticle(TaggedItemBase):
    """Topic links with a real foreign key, so topic queries join rather than match generically."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_topic"),
        ]


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see. Every reader surface uses this and nothing else."""
        return self.filter(published=True)

    def set_published(self, published: bool, editor) -> int:
        """An editor's decision on these articles; returns how many changed state."""
        changed = self.exclude(published=published).update(
            published=published, reviewed_by=editor, reviewed_at=timezone.now()
        )
        if changed:
            transaction.on_commit(reader_pages_changed)
        return changed


class Article(models.Model):
    # Source-owned: refreshed from the seed file on every import that changes it.
    title = models.CharField(max_length=500)
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Markdown from the seed file.")
    category = models.CharField(max_length=100, blank=True)
    type = models.CharField(max_length=100, blank=True)
    source_published_at = models.DateTimeField("source date")
    original_url = models.URLField(max_length=2000, blank=True)
    web_url = models.URLField(max_length=2000, blank=True)
    canonical_url = models.URLField(max_length=2000, unique=True)
    quality = models.PositiveIntegerField(null=True, blank=True)
    heat = models.PositiveIntegerField(null=True, blank=True)
    source_published = models.BooleanField(
        "source suggests publishing",
        default=False,
        help_text="The seed file's own `published` value: applied at creation, then only shown.",
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="articles")
    topics = TaggableManager(through=TaggedArticle, blank=True)
    secured = models.TextField(blank=True, help_text="Opaque upstream payload, stored verbatim.")
    extra = models.JSONField(
        default=dict, blank=True, help_text="Keys from the seed file that have no field here."
    )
    source_file = models.CharField(max_length=255, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    import_run = models.ForeignKey(
        ImportRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        help_text="The import run that last created or changed this article.",
    )

    # Set once, at creation: the URL stays put when the source edits its title.
    slug = models.SlugField(max_length=100, allow_unicode=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Editor-owned: no import writes these after the article is created.
    published = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_articles",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    # The columns an import may write on an existing article.
    SOURCE_FIELDS = (
        "title",
        "excerpt",
        "body",
        "category",
        "type",
        "source_published_at",
        "original_url",
        "web_url",
        "quality",
        "heat",
        "source_published",
        "provider",
        "secured",
        "extra",
        "source_file",
        "content_hash",
        "import_run",
        "updated_at",
    )

    class Meta:
        ordering = ["-source_published_at", "-id"]
        permissions = [("publish_article", "Can publish and unpublish articles")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quality__gte=0) | models.Q(quality__isnull=True),
                name="article_quality_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(heat__gte=0) | models.Q(heat__isnull=True),
                name="article_heat_not_negative",
            ),
        ]
        indexes = [
            models.Index(
                fields=["published", "-source_published_at"], name="article_published_date"
            ),
            models.Index(fields=["-quality", "-heat"], name="article_quality_heat"),
            models.Index(fields=["-heat"], name="article_heat"),
            models.Index(fields=["-source_published_at"], name="article_source_date"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"pk": self.pk, "slug": self.slug})

    @staticmethod
    def slug_for(title: str) -> str:
        return slugify(title, allow_unicode=True)[:80].strip("-") or "article"


class RelatedLink(models.Model):
    """Other coverage of the same story, in the order the seed file lists it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=500)
    excerpt = models.TextField(blank=True)
    url = models.URLField(max_length=2000)
    source_published_at = models.DateTimeField("source date", null=True, blank=True)
    type = models.CharField(max_length=100, blank=True)
    quality = models.PositiveIntegerField(null=True, blank=True)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="related_links"
    )
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="unique_related_link_position"
            ),
        ]

    def __str__(self):
        return self.title
