"""Curated news: providers, articles, their related coverage and the import runs that bring them.

Ownership (docs/SEED_FORMAT.md): the seed file owns everything it says; editors own `published`,
the schedule (`publish_at`, `unpublish_at`) and the review record. Imports write only the
source-owned columns listed in `Article.SOURCE_FIELDS`.

What readers may see is `visible_to_readers(now)`, written once below: `published()` filters by
it in the database, `Article.is_visible(now)` evaluates it on a row in hand.
"""

import operator
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from articles import page_cache
from articles.editorial import logos


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


LARGEST_ID = 2**63 - 1  # ids are signed 64-bit integers in the database


def database_id(value) -> int | None:
    """`value` as an id the database can hold, or None: ASCII digits only ("²" and "٣" are digits
    to str.isdigit), no sign or spaces, and no more than LARGEST_ID."""
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()):
        return None
    if len(value) > len(str(LARGEST_ID)):  # before int(): it refuses 4,300 digits and more
        return None
    number = int(value)
    return number if number <= LARGEST_ID else None


def visible_to_readers(now) -> Q:
    """What readers may see: an editor's `published` flag, within its schedule: not before
    `publish_at` (an embargo) and not from `unpublish_at` on (an expiry). Applied when a page is
    built, so no job has to flip flags at those times."""
    return (
        Q(published=True)
        & (Q(publish_at__isnull=True) | Q(publish_at__lte=now))
        & (Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now))
    )


# The lookups `visible_to_readers` uses, as SQL answers them: a comparison with NULL is false.
_LOOKUPS = {
    "exact": operator.eq,
    "isnull": lambda value, wanted: (value is None) == wanted,
    "lte": lambda value, bound: value is not None and value <= bound,
    "gt": lambda value, bound: value is not None and value > bound,
}


def _holds(condition: Q, instance) -> bool:
    """Whether `instance` satisfies `condition`, in Python: the same Q the database is asked,
    so one written rule serves rows in hand (for the article page's fast path) and querysets."""

    def child_holds(child) -> bool:
        if isinstance(child, Q):
            return _holds(child, instance)
        lookup, wanted = child
        field, _, kind = lookup.partition("__")
        return _LOOKUPS[kind or "exact"](getattr(instance, field), wanted)

    results = (child_holds(child) for child in condition.children)
    holds = all(results) if condition.connector == Q.AND else any(results)
    return not holds if condition.negated else holds


def readers_see_changes() -> None:
    """Call inside the transaction of any write readers could see (a decision, a schedule, an
    import, a deletion, a logo): once it commits, cached reader pages are rebuilt, and they live
    no longer than until the next embargo or expiry."""
    transaction.on_commit(
        lambda: page_cache.reader_pages_changed(Article.objects.next_schedule_change())
    )


class Provider(models.Model):
    """A publisher, identified by its lower-case domain."""

    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, unique=True)
    logo = models.ImageField(
        upload_to="providers/",
        blank=True,
        help_text="PNG, JPEG, WebP or GIF; checked and re-encoded as PNG on upload.",
    )
    # Made from `logo` on upload (see articles/logos.py), for lists and reader pages.
    logo_thumbnail = models.ImageField(upload_to="providers/", blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")), name="provider_domain_lower_case"
            ),
        ]

    def __str__(self):
        return self.name

    def set_logo(self, images: "logos.LogoImages | None") -> None:
        """The newsroom's logo for this provider, from images `articles.logos` has checked, or
        None to remove it. Reader pages show it, so they are rebuilt."""
        with transaction.atomic():
            if images:
                logos.store_logo(self, images)
            else:
                self.logo = self.logo_thumbnail = ""
            self.save(update_fields=["logo", "logo_thumbnail"])
            readers_see_changes()


class ImportRunQuerySet(models.QuerySet):
    def close_interrupted(self) -> int:
        """Mark runs still "running" as failed: call only while holding the import lock, which
        proves that no other import is running (a killed run never finished its record)."""
        return self.filter(status=ImportRun.Status.RUNNING).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now()
        )


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

    objects = ImportRunQuerySet.as_manager()

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


def _schedule_is(publish_at, unpublish_at) -> Q:
    """Rows whose embargo and expiry are these (None: none)."""
    return (Q(publish_at=publish_at) if publish_at else Q(publish_at__isnull=True)) & (
        Q(unpublish_at=unpublish_at) if unpublish_at else Q(unpublish_at__isnull=True)
    )


class ArticleQuerySet(models.QuerySet):
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
        (`articles.listings`): grouped by a constant, so one group, and no GROUP BY."""
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

    def set_published(
        self, published: bool, editor, *, via: str = "shell", schedule: tuple | None = None
    ) -> int:
        """An editor's decision on these articles; returns how many changed state.

        Each change is recorded as a `ReviewDecision`, whichever path it came by (`via`).
        Articles already in that state but never reviewed (the source's own suggestion, applied
        at import) are marked reviewed, recorded as confirmed, and not counted as changed.

        `schedule`, a (publish_at, unpublish_at) pair, is set in the same decision: one record
        for one decision, rather than a schedule change and a publish one.
        """
        decisions = self._decide(published, editor, via=via, waiting_only=False, schedule=schedule)
        return sum(1 for d in decisions if d.was_published != d.published)

    def decide_waiting(
        self, published: bool, editor, *, via: str, at=None
    ) -> list["ReviewDecision"]:
        """`set_published` on those of these articles no editor has decided yet, and only
        those: an article another editor decided meanwhile is left as they left it (no second,
        silent decision). Returns the decisions recorded. `at`: the moment of the decision, for
        decisions taken in one stroke (one moment: one undo takes them all back)."""
        return self._decide(published, editor, via=via, waiting_only=True, at=at)

    def _decide(
        self, published, editor, *, via, waiting_only, schedule=None, at=None
    ) -> list["ReviewDecision"]:
        published = bool(published)
        now = at or timezone.now()
        undecided = Q(reviewed_at__isnull=True)
        # What this decision would change: another state, or a first review (or a schedule).
        todo = undecided if waiting_only else ~Q(published=published) | undecided
        if schedule is not None:
            publish_at, unpublish_at = schedule
            if publish_at and unpublish_at and unpublish_at <= publish_at:
                raise ValidationError("The time to come down must be after the time to go live.")
            todo |= ~_schedule_is(publish_at, unpublish_at)
        with transaction.atomic():
            if waiting_only:
                # The desk decides one article at a time: one locking read, no candidate list.
                chunks = [self.order_by().values("pk")]
            else:
                candidates = self.filter(todo).order_by().values_list("pk", flat=True)
                chunks = _chunks(candidates.distinct())
            decisions = []
            for chunk in chunks:
                # Lock, then look again: another editor may have decided meanwhile.
                rows = list(
                    Article.objects.select_for_update()
                    .filter(todo, pk__in=chunk)
                    .order_by()
                    .values_list(
                        "pk",
                        "published",
                        "publish_at",
                        "unpublish_at",
                        "reviewed_at",
                        "reviewed_by_id",
                    )
                )
                fields = {"published": published, "reviewed_by": editor, "reviewed_at": now}
                if schedule is not None:
                    fields.update(publish_at=publish_at, unpublish_at=unpublish_at)
                Article.objects.filter(pk__in=[row[0] for row in rows]).update(**fields)
                decisions += [
                    ReviewDecision(
                        article_id=pk,
                        editor=editor,
                        decided_at=now,
                        change=ReviewDecision.change_for(was, published),
                        was_published=was,
                        published=published,
                        publish_at=fields.get("publish_at", was_embargo),
                        unpublish_at=fields.get("unpublish_at", was_expiry),
                        was_reviewed_at=reviewed_at,
                        was_reviewed_by_id=reviewed_by_id,
                        changed_schedule=schedule is not None
                        and (was_embargo, was_expiry) != (publish_at, unpublish_at),
                        was_publish_at=was_embargo,
                        was_unpublish_at=was_expiry,
                        via=via,
                    )
                    for pk, was, was_embargo, was_expiry, reviewed_at, reviewed_by_id in rows
                ]
            ReviewDecision.objects.bulk_create(decisions, batch_size=500)
            if any(d.was_published != published for d in decisions) or (
                decisions and schedule is not None
            ):
                readers_see_changes()
        return decisions

    def set_schedule(self, publish_at, unpublish_at, editor, *, via: str = "shell") -> int:
        """Give these articles an embargo and/or expiry (None clears one); returns how many
        changed. Recorded like a publish decision, with the flag unchanged."""
        if publish_at and unpublish_at and unpublish_at <= publish_at:
            raise ValidationError("The time to come down must be after the time to go live.")
        now = timezone.now()
        with transaction.atomic():
            rows = list(
                self.select_for_update()
                .exclude(_schedule_is(publish_at, unpublish_at))
                .order_by()
                .values_list("pk", "published")
            )
            decisions = [
                ReviewDecision(
                    article_id=pk,
                    editor=editor,
                    decided_at=now,
                    change=ReviewDecision.Change.SCHEDULE,
                    was_published=flag,
                    published=flag,
                    publish_at=publish_at,
                    unpublish_at=unpublish_at,
                    via=via,
                )
                for pk, flag in rows
            ]
            for chunk in _chunks(pk for pk, _ in rows):
                Article.objects.filter(pk__in=chunk).update(
                    publish_at=publish_at, unpublish_at=unpublish_at
                )
            ReviewDecision.objects.bulk_create(decisions, batch_size=500)
            if decisions:
                readers_see_changes()
        return len(decisions)


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

    # Reader search on PostgreSQL: title, excerpt and body as a weighted text vector, kept up to
    # date by a database trigger on every write path (migration 0007). Unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    # Set once, at creation: the URL stays put when the source edits its title.
    slug = models.SlugField(max_length=100, allow_unicode=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by the clusterer (articles/stories.py), or by an editor's correction: then
    # `story_pinned`, and no clustering moves the article again.
    story = models.ForeignKey(
        "Story", on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    # A database default: the importer's bulk inserts name only the columns they write.
    story_pinned = models.BooleanField(
        db_default=False,
        help_text="An editor placed this article in its story; clustering keeps it.",
    )

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
            models.Index(fields=["-source_published_at"], name="article_source_date"),
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
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError(
                {"unpublish_at": "The time to come down must be after the time to go live."}
            )

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

    def set_published(
        self, published: bool, editor, *, via: str = "shell", schedule: tuple | None = None
    ) -> bool:
        """One article's decision (see `ArticleQuerySet.set_published`); True if it changed."""
        changed = Article.objects.filter(pk=self.pk).set_published(
            published, editor, via=via, schedule=schedule
        )
        self.refresh_from_db(
            fields=["published", "reviewed_by", "reviewed_at", "publish_at", "unpublish_at"]
        )
        return bool(changed)

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


class Undo(NamedTuple):
    """What `ReviewDecisionQuerySet.undo_last` took back: the articles put back as they were
    before, and the kind of decision that was undone ("published", "kept unpublished", ...)."""

    article_ids: list[int]
    undone: str = ""


class ReviewDecisionQuerySet(models.QuerySet):
    def in_force(self, editor):
        """The editor's publish-or-keep decisions that still stand: not undone, and no decision
        by anyone since on the same article (the article still carries this review)."""
        return self.filter(
            editor=editor,
            change__in=ReviewDecision.UNDOABLE,
            article__reviewed_at=F("decided_at"),
            article__reviewed_by=F("editor"),
        )

    def undo_last(self, editor, *, via: str, decision_id: int | None = None) -> Undo:
        """Take back the editor's latest decision still in force (or the one `decision_id`
        names, if it is the editor's and still in force), with every other decision made in
        the same stroke (a bulk action): each article gets back exactly the state it had
        before, published flag and reviewed-or-not, and the undo is recorded in its history.
        Only the editor's own decisions; an article someone has decided on since is left
        alone."""
        in_force = self.in_force(editor)
        if decision_id is not None:
            in_force = in_force.filter(
                decided_at__in=ReviewDecision.objects.filter(pk=decision_id).values("decided_at")
            )
        last = in_force.order_by("-decided_at", "-id").values("decided_at", "via").first()
        if last is None:
            return Undo([])
        now = timezone.now()
        with transaction.atomic():
            decisions = {
                d.article_id: d
                for d in in_force.filter(decided_at=last["decided_at"], via=last["via"])
            }
            # Lock, then look again: the decision must still stand.
            rows = list(
                Article.objects.select_for_update()
                .filter(pk__in=list(decisions), reviewed_at=last["decided_at"], reviewed_by=editor)
                .order_by()
                .values_list("pk", "published", "publish_at", "unpublish_at")
            )
            restored = [decisions[pk] for pk, *_ in rows]
            before = {}
            for decision in restored:
                state = (decision.was_published, decision.was_reviewed_at)
                before.setdefault(state + (decision.was_reviewed_by_id,), []).append(
                    decision.article_id
                )
            for (published, reviewed_at, reviewed_by_id), pks in before.items():
                Article.objects.filter(pk__in=pks).update(
                    published=published, reviewed_at=reviewed_at, reviewed_by_id=reviewed_by_id
                )
            # A decision that also set the schedule (the article page's buttons) gives it back.
            schedules = {d.article_id: d.schedule_before for d in restored if d.changed_schedule}
            for pk, (embargo, expiry) in schedules.items():
                Article.objects.filter(pk=pk).update(publish_at=embargo, unpublish_at=expiry)
            ReviewDecision.objects.bulk_create(
                ReviewDecision(
                    article_id=pk,
                    editor=editor,
                    decided_at=now,
                    change=ReviewDecision.Change.UNDO,
                    was_published=was,
                    published=decisions[pk].was_published,
                    publish_at=schedules.get(pk, (publish_at, unpublish_at))[0],
                    unpublish_at=schedules.get(pk, (publish_at, unpublish_at))[1],
                    changed_schedule=pk in schedules,
                    was_publish_at=publish_at,
                    was_unpublish_at=unpublish_at,
                    undoes=decisions[pk],
                    via=via,
                )
                for pk, was, publish_at, unpublish_at in rows
            )
            if schedules or any(d.was_published != d.published for d in restored):
                readers_see_changes()
        changes = {decision.get_change_display() for decision in restored}
        # A story's stroke mixes kinds (the lead published, the rest kept): "decided on".
        undone = changes.pop() if len(changes) == 1 else ("decided on" if changes else "")
        return Undo([d.article_id for d in restored], undone)


class ReviewDecision(models.Model):
    """One editor decision on one article. Written by `ArticleQuerySet` and `undo_last` only;
    never edited (an undo is a decision of its own)."""

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
    # The review the article carried before, so that an undo can put it back exactly.
    was_reviewed_at = models.DateTimeField("reviewed before at", null=True, blank=True)
    was_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="reviewed before by",
    )
    # The schedule before, for a decision that also set one, so that an undo gives it back.
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


class StoryQuerySet(models.QuerySet):
    def with_readers(self, now=None):
        """Stories with at least one article readers may see."""
        return self.filter(
            pk__in=Article.objects.published(now).filter(story__isnull=False).values("story_id")
        )

    def refresh_from_members(self) -> None:
        """Size, first and last seen, lead and title of these stories, from their articles, in
        three queries whatever their number. A lead an editor chose stays while it is a member."""
        stories = {story.pk: story for story in self.select_related(None)}
        if not stories:
            return
        ids = list(stories)
        facts = {}
        for chunk in _chunks(ids):
            facts.update(
                (row["story"], row)
                for row in Article.objects.filter(story__in=chunk)
                .order_by()
                .values("story")
                .annotate(
                    size=models.Count("id"),
                    first=models.Min("source_published_at"),
                    last=models.Max("source_published_at"),
                )
            )
        leads: dict[int, int] = {}  # by the rule: the first in LEAD_ORDER
        members: dict[int, set[int]] = {}
        titles: dict[int, str] = {}
        for chunk in _chunks(ids):
            for story_id, pk, title in (
                Article.objects.filter(story__in=chunk)
                .order_by("story", *Story.LEAD_ORDER)
                .values_list("story", "id", "title")
            ):
                leads.setdefault(story_id, pk)
                members.setdefault(story_id, set()).add(pk)
                titles[pk] = title
        empty, changed = [], []
        for pk, story in stories.items():
            if pk not in facts:
                empty.append(pk)
                continue
            story.size = facts[pk]["size"]
            story.first_seen_at = facts[pk]["first"]
            story.last_seen_at = facts[pk]["last"]
            if not (story.lead_chosen_by_editor and story.lead_id in members[pk]):
                story.lead_chosen_by_editor = False
                story.lead_id = leads[pk]
            story.title = titles[story.lead_id]
            changed.append(story)
        Story.objects.bulk_update(
            changed,
            ["size", "first_seen_at", "last_seen_at", "lead", "lead_chosen_by_editor", "title"],
            batch_size=500,
        )
        for chunk in _chunks(empty):
            Story.objects.filter(pk__in=chunk).delete()


class Story(models.Model):
    """One event as many providers covered it: its articles (`Article.story`) and a lead.

    The lead is, by rule (`LEAD_ORDER`): the highest quality, then the hottest, then the earliest
    article; an editor may choose another (`set_lead`). The title is the lead's.
    """

    # The lead rule, as an ORDER BY over a story's articles: written once, used by
    # `refresh_from_members`.
    LEAD_ORDER = (
        models.F("quality").desc(nulls_last=True),
        models.F("heat").desc(nulls_last=True),
        "source_published_at",
        "id",
    )

    title = models.CharField(max_length=500, blank=True)
    lead = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lead_chosen_by_editor = models.BooleanField(default=False)
    first_seen_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["-last_seen_at"], name="story_last_seen")]

    def __str__(self):
        return self.title or f"Story {self.pk}"

    def get_absolute_url(self):
        return reverse("articles:story", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def slug(self) -> str:
        return Article.slug_for(self.title)

    def title_for_readers(self, visible: list) -> str:
        """The title readers see, from the story's articles they may see (`visible`): the
        lead's, if it is one of them, else that of the first of them by `LEAD_ORDER`. Never the
        title of an article readers may not see."""
        lead = next((a for a in visible if a.pk == self.lead_id), None) or min(
            visible, key=lambda a: Story.lead_key(a.quality, a.heat, a.source_published_at, a.pk)
        )
        return lead.title

    @staticmethod
    def lead_key(quality, heat, source_published_at, pk):
        """`LEAD_ORDER` for an article in hand (the clusterer's new stories): the least is the
        lead. A test holds the two to the same answers."""
        return (
            quality is None,
            -(quality or 0),
            heat is None,
            -(heat or 0),
            source_published_at,
            pk,
        )

    def refresh(self) -> None:
        Story.objects.filter(pk=self.pk).refresh_from_members()
        if Story.objects.filter(pk=self.pk).exists():
            self.refresh_from_db()

    # Editors' corrections. Each pins the articles it touches (no clustering moves them again)
    # and is recorded as a StoryCorrection.

    def merge(self, other: "Story", editor) -> None:
        """Bring `other`'s articles into this story; `other` goes."""
        if other.pk == self.pk:
            raise ValidationError("A story cannot be merged into itself.")
        with transaction.atomic():
            moved = other.articles.count()
            Article.objects.filter(story__in=[self.pk, other.pk]).update(
                story=self, story_pinned=True
            )
            StoryCorrection.objects.create(
                story=self,
                editor=editor,
                change=StoryCorrection.Change.MERGE,
                note=f"Merged story {other.pk} ({other.title}, {moved} articles) into this one.",
            )
            StoryCorrection.objects.filter(story=other).update(story=self)
            other.delete()
            self.refresh()
            readers_see_changes()

    def split_off(self, article: Article, editor) -> "Story":
        """Move `article` out of this story into a story of its own, which is returned."""
        if article.story_id != self.pk:
            raise ValidationError("That article is not in this story.")
        with transaction.atomic():
            new = Story.objects.create()
            Article.objects.filter(story=self).update(story_pinned=True)
            Article.objects.filter(pk=article.pk).update(story=new, story_pinned=True)
            for story in (self, new):
                StoryCorrection.objects.create(
                    story=story,
                    article=article,
                    editor=editor,
                    change=StoryCorrection.Change.SPLIT,
                    note=f"Moved article {article.pk} from story {self.pk} to story {new.pk}.",
                )
            Story.objects.filter(pk__in=[self.pk, new.pk]).refresh_from_members()
            article.refresh_from_db(fields=["story", "story_pinned"])
            if Story.objects.filter(pk=self.pk).exists():
                self.refresh_from_db()
            new.refresh_from_db()
            readers_see_changes()
        return new

    def set_lead(self, article: Article, editor) -> None:
        """An editor's choice of lead, kept while the article stays in the story."""
        if article.story_id != self.pk:
            raise ValidationError("That article is not in this story.")
        with transaction.atomic():
            Story.objects.filter(pk=self.pk).update(lead=article, lead_chosen_by_editor=True)
            Article.objects.filter(story=self).update(story_pinned=True)
            StoryCorrection.objects.create(
                story=self,
                article=article,
                editor=editor,
                change=StoryCorrection.Change.LEAD,
                note=f"Chose article {article.pk} as the lead.",
            )
            self.refresh()
            readers_see_changes()

    # For the review desk. Each article's decision goes through `decide_waiting`, recorded as
    # usual; a story's decisions share one moment, so one undo takes the whole stroke back.

    def desk_lead(self, waiting: list[Article]) -> Article | None:
        """Of the story's `waiting` articles (in `LEAD_ORDER`), the one the desk publishes as the
        lead: the story's lead if it waits, else the first of them by the lead rule."""
        return next((a for a in waiting if a.pk == self.lead_id), waiting[0] if waiting else None)

    def publish_lead(self, editor, *, via: str = "desk", seen=None) -> "StoryDecision":
        """Publish the lead and keep the other waiting articles unpublished: they stay as its
        coverage (reachable from the lead's Full coverage once published)."""
        return self._decide_waiting(editor, via=via, seen=seen, lead=True, others=False)

    def publish_all(self, editor, *, via: str = "desk", seen=None) -> "StoryDecision":
        return self._decide_waiting(editor, via=via, seen=seen, lead=True, others=True)

    def keep_all(self, editor, *, via: str = "desk", seen=None) -> "StoryDecision":
        return self._decide_waiting(editor, via=via, seen=seen, lead=False, others=False)

    def _decide_waiting(self, editor, *, via, seen, lead: bool, others: bool) -> "StoryDecision":
        """Decide the story's waiting articles in one stroke; `seen`, the article ids the
        editor saw, limits the decision to those. If another editor decided one of them
        meanwhile, nothing is recorded: the editor's choice was made on what has changed."""
        members = Article.objects.filter(story=self)
        if seen is not None:
            members = members.filter(pk__in=seen)
        with transaction.atomic():
            rows = list(
                members.select_for_update()
                .order_by(*Story.LEAD_ORDER)
                .select_related(None)
                .only("pk", "title", "published", "reviewed_at", "reviewed_by")
            )
            elsewhere = [a for a in rows if a.reviewed_at is not None]
            waiting = [a for a in rows if a.reviewed_at is None]
            if elsewhere and seen is not None:
                return StoryDecision([], elsewhere)
            chosen = self.desk_lead(waiting)
            if chosen is None:
                return StoryDecision([], elsewhere)
            at = timezone.now()
            rest = [a.pk for a in waiting if a.pk != chosen.pk]
            decisions = Article.objects.filter(pk=chosen.pk).decide_waiting(
                lead, editor, via=via, at=at
            )
            if rest:
                decisions += Article.objects.filter(pk__in=rest).decide_waiting(
                    others, editor, via=via, at=at
                )
        return StoryDecision(decisions, elsewhere)


class StoryDecision(NamedTuple):
    """What a story decision recorded (one `ReviewDecision` per article decided), and the
    articles found decided by someone else (then, if the editor had seen them, nothing is
    recorded)."""

    decisions: list["ReviewDecision"]
    decided_elsewhere: list[Article]


class StoryCorrection(models.Model):
    """An editor's correction of a story, for the history. Clustering never undoes one: the
    articles it touched are pinned (`Article.story_pinned`)."""

    class Change(models.TextChoices):
        MERGE = "merge", "merged stories"
        SPLIT = "split", "moved an article out"
        LEAD = "lead", "chose the lead"

    story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="corrections"
    )
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    change = models.CharField(max_length=10, choices=Change)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.get_change_display()} by {self.editor or 'unknown'}"

    @property
    def schedule_before(self) -> tuple:
        return (self.was_publish_at, self.was_unpublish_at)
