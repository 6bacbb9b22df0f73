"""Articles: what providers publish, with their topics and related coverage.

Ownership (docs/SEED_FORMAT.md): the seed file owns everything it says; editors own `published`,
the schedule (`publish_at`, `unpublish_at`), the review record and their headline and excerpt
(`editor_title`, `editor_excerpt`: readers see `headline` and `standfirst`). Imports write only the
source-owned columns listed in `Article.SOURCE_FIELDS`. Reads live here, on the queryset and the
model; an editor's writes (`set_published`, `set_schedule`, `correct`, ...) are inherited from
`articles.editorial`.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from articles.editorial.corrections import ArticleCorrections
from articles.editorial.publishing import ArticlePublishing, PublishingQuerySet
from articles.editorial.schedule import SchedulingQuerySet, check_schedule_order
from articles.editorial.writes import readers_see_changes
from articles.models.imports import ImportRun
from articles.models.providers import Provider
from articles.models.visibility import _holds, visible_to_readers


class TaggedArticle(TaggedItemBase):
    """Topic links with a real foreign key, so topic queries join rather than match generically."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_topic"),
        ]


class ArticleQuerySet(PublishingQuerySet, SchedulingQuerySet):
    """Reads about many articles; the editor's writes come from the two mixins."""

    def published(self, now=None):
        """What readers may see (`visible_to_readers`). Every reader surface uses this, or
        `Article.is_visible` on a row in hand."""
        return self.filter(visible_to_readers(now or timezone.now()))

    def topic_counts(self):
        """The topics of these articles, each with `article_count`: how many of these it has.
        Topics whose names make no slug (no page to link to) are left out. Unordered."""
        return (
            Tag.objects.filter(articles_taggedarticle_items__content_object__in=self.values("pk"))
            .exclude(slug="")
            .annotate(article_count=models.Count("articles_taggedarticle_items"))
        )

    def provider_counts(self):
        """The providers of these articles, each with `article_count`: how many of these it has.
        Unordered."""
        return Provider.objects.filter(articles__in=self.values("pk")).annotate(
            article_count=models.Count("articles")
        )

    def waiting_for_review(self):
        """The review queue: articles no editor has decided on yet (live or not)."""
        return self.filter(reviewed_at__isnull=True)

    def one_per_story(self):
        """One article per story, for listings: of the story's articles in this queryset, its
        lead if it is one of them, else the newest; articles without a story stay.

        Call it on what the listing shows (`published()`, filtered by topic or provider): a
        story is listed when any of its articles is. `count_per_story()` counts the entries;
        `with_other_sources()` says, for the few shown, how many more sources each story has."""
        # Written so that a row's test reads only its story's newer articles and its lead (a
        # seek on the (story, date) index), not the whole story nor the whole listing.
        is_lead = Q(pk=models.F("story__lead"))
        newer = Q(source_published_at__gt=models.OuterRef("source_published_at")) | Q(
            pk__gt=models.OuterRef("pk"), source_published_at=models.OuterRef("source_published_at")
        )
        preferred = self.filter(story=models.OuterRef("story")).filter(
            Q(pk=models.OuterRef("story__lead")) | newer
        )
        return self.filter(Q(story__isnull=True) | is_lead | ~models.Exists(preferred))

    def with_other_sources(self, now=None):
        """Each article with `other_sources`: how many more of its story's articles readers may
        see. A subquery per row: ask it of a page's entries, not of a whole listing."""
        visible_siblings = (
            Article.objects.filter(visible_to_readers(now or timezone.now()))
            .filter(story=models.OuterRef("story"))
            .exclude(pk=models.OuterRef("pk"))
        )
        return self.annotate(
            other_sources=models.Subquery(
                visible_siblings.order_by()
                .values("story")
                .annotate(n=models.Count("pk"))
                .values("n")[:1]
            )
        )

    def count_per_story(self) -> int:
        """How many entries `one_per_story()` lists, in one aggregate (a listing's paginator
        counts with this: counting the filtered rows would ask the subquery of every row)."""
        return self.entry_count_per_story().get()

    def entry_count_per_story(self):
        """`count_per_story()` as a one-row queryset, to compile without running it
        (`articles.reader.listings`): grouped by a constant, so one group, and no GROUP BY."""
        return (
            self.order_by()
            .annotate(whole_listing=models.Value(1))
            .values("whole_listing")
            .annotate(
                entries=models.Count("story", distinct=True)
                + models.Count("pk", filter=Q(story__isnull=True))
            )
            .values_list("entries", flat=True)
        )

    def live_not_reviewed(self):
        """Live because the seed said `published: true`, and no editor has decided yet."""
        return self.filter(published=True, reviewed_at__isnull=True)

    def next_schedule_change(self, now=None):
        """The next moment an embargo ends or an expiry comes, or None: the latest a cached
        reader page may be kept without showing readers the wrong set."""
        now = now or timezone.now()
        # Two index seeks (the schedule indexes below): a MIN over every published article
        # read them all, tens of milliseconds at 100,000 on every decision.
        moments = [
            self.filter(published=True, **{f"{field}__gt": now})
            .order_by(field)
            .values_list(field, flat=True)
            .first()
            for field in ("publish_at", "unpublish_at")
        ]
        return min((m for m in moments if m), default=None)


class Article(ArticleCorrections, ArticlePublishing, models.Model):
    """One article as its provider published it, and what the newsroom decided about it."""

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
    # BCP 47: the seed's `language`, else detected at import (articles/languages); "" unknown.
    language = models.CharField(max_length=35, blank=True, db_default="")
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

    # Reader search on PostgreSQL: title, excerpt and body as a weighted text vector, kept up to
    # date by a database trigger on every write path (migration 0007). Unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    # Set once, at creation: the URL stays put when the source edits its title.
    slug = models.SlugField(max_length=100, allow_unicode=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by the clusterer (articles/clustering/stories.py), or by an editor's correction: then
    # `story_pinned`, and no clustering moves the article again.
    story = models.ForeignKey(
        "Story", on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    # A database default: the importer's bulk inserts name only the columns they write.
    story_pinned = models.BooleanField(
        db_default=False,
        help_text="An editor placed this article in its story; clustering keeps it.",
    )
    # Why the clusterer put it there, as it saw it then (`clustering.index.evidence`): a
    # shared link, or the similarity and shared words; "near", a story it nearly joined.
    story_evidence = models.JSONField(null=True, blank=True, editable=False)

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
    publish_at = models.DateTimeField(
        "go live at",
        null=True,
        blank=True,
        help_text="Embargo: a published article stays hidden from readers until then.",
    )
    unpublish_at = models.DateTimeField(
        "come down at",
        null=True,
        blank=True,
        help_text="Expiry: a published article is hidden from readers from then on.",
    )
    # Readers see these instead of the source's title and excerpt when set (`Article.correct`).
    editor_title = models.CharField(
        "editor's headline", max_length=500, blank=True, default="", db_default=""
    )
    editor_excerpt = models.TextField("editor's excerpt", blank=True, default="", db_default="")
    # When the last public correction note came: the article page reads its notes only then.
    corrected_at = models.DateTimeField(null=True, blank=True)

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
        "language",
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
            models.CheckConstraint(
                condition=Q(publish_at__isnull=True)
                | Q(unpublish_at__isnull=True)
                | Q(unpublish_at__gt=models.F("publish_at")),
                name="article_schedule_in_order",
            ),
        ]
        indexes = [
            models.Index(
                fields=["published", "-source_published_at"], name="article_published_date"
            ),
            # What listings count and group (`count_per_story`, the topic and provider
            # indexes): the visibility columns with the story and provider, read from the index
            # alone instead of from every published row.
            models.Index(
                fields=["published", "publish_at", "unpublish_at", "story", "provider", "id"],
                name="article_visible_listing",
            ),
            # For `one_per_story` (is the lead or a newer article of this story listed?) and
            # `with_other_sources`: a story's articles newest first, with what the visibility
            # rule and a provider's listing ask of them, read from the index alone.
            models.Index(
                fields=[
                    "story",
                    "-source_published_at",
                    "-id",
                    "published",
                    "publish_at",
                    "unpublish_at",
                    "provider",
                ],
                name="article_story_date",
            ),
            # A provider's listing walks its articles newest first and stops after the page
            # (at 100,000 articles, 45 ms to 0.5 ms on SQLite for the biggest provider).
            models.Index(
                fields=["provider", "-source_published_at", "-id"], name="article_provider_date"
            ),
            models.Index(fields=["-quality", "-heat"], name="article_quality_heat"),
            models.Index(fields=["-heat"], name="article_heat"),
            # "Most discussed": the hottest, ties newest first, read in order and stopped after
            # five (by heat alone, every article of the top heat was sorted: 3 ms at 100,000).
            models.Index(fields=["-heat", "-source_published_at", "-id"], name="article_heat_date"),
            models.Index(fields=["-source_published_at"], name="article_source_date"),
            # The flow dashboard (articles/flow.py): arrivals, reviews with their arrival (the
            # waits), and per provider what became of its articles, each from an index alone.
            models.Index(fields=["created_at"], name="article_arrived"),
            models.Index(
                fields=["reviewed_at", "created_at"],
                name="article_reviewed",
                condition=Q(reviewed_at__isnull=False),
            ),
            models.Index(
                fields=["provider", "reviewed_at", "published"], name="article_provider_review"
            ),
            # For `next_schedule_change`: few articles have a schedule, so these stay small.
            models.Index(
                fields=["publish_at"],
                name="article_embargo",
                condition=Q(publish_at__isnull=False),
            ),
            models.Index(
                fields=["unpublish_at"],
                name="article_expiry",
                condition=Q(unpublish_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"pk": self.pk, "slug": self.slug})

    def clean(self):
        check_schedule_order(self.publish_at, self.unpublish_at, field="unpublish_at")

    @staticmethod
    def published_at_creation(source_published: bool) -> bool:
        """The `published` flag a new article starts with: the seed's own suggestion, unless
        the newsroom holds every new article for an editor (settings.HOLD_NEW_ARTICLES); the
        suggestion is kept in `source_published` either way and shown to editors."""
        return bool(source_published) and not settings.HOLD_NEW_ARTICLES

    @property
    def is_live_not_reviewed(self) -> bool:
        """The row-in-hand twin of `ArticleQuerySet.live_not_reviewed`."""
        return self.published and self.reviewed_at is None

    def is_visible(self, now=None) -> bool:
        """Whether readers may see this article (`visible_to_readers`), from the row in hand."""
        return _holds(visible_to_readers(now or timezone.now()), self)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            readers_see_changes()  # its page and the listings that show it must go at once
            return super().delete(*args, **kwargs)

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
