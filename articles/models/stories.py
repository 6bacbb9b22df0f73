"""Stories: one event as many providers covered it, and editors' corrections of them.

Reads and the lead rule live here; editors' corrections (`merge`, `split_off`, `set_lead`) and
the desk's story decisions (`publish_lead`, `publish_all`, `keep_all`) are inherited from
`articles.editorial`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from articles.editorial.corrections import shown
from articles.editorial.story_corrections import StoryCorrections
from articles.editorial.story_decisions import StoryDecisions
from articles.editorial.writes import BATCH_SIZE, in_batches
from articles.models.articles import Article


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
        for chunk in in_batches(ids):
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
        for chunk in in_batches(ids):
            for story_id, pk, title, editor_title in (
                Article.objects.filter(story__in=chunk)
                .order_by("story", *Story.LEAD_ORDER)
                .values_list("story", "id", "title", "editor_title")
            ):
                leads.setdefault(story_id, pk)
                members.setdefault(story_id, set()).add(pk)
                titles[pk] = shown(title, editor_title)
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
            batch_size=BATCH_SIZE,
        )
        for chunk in in_batches(empty):
            Story.objects.filter(pk__in=chunk).delete()


class Story(StoryCorrections, StoryDecisions, models.Model):
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
        title of an article readers may not see. `visible`: articles (load `editor_title`) or
        cards, anything with a `headline` and the lead rule's values."""
        return self.lead_for_readers(visible).headline

    def lead_for_readers(self, visible: list):
        """Of the story's articles readers may see (`visible`), the one leading it for them:
        the lead, if it is one of them, else the first of them by `LEAD_ORDER`."""
        return next((a for a in visible if a.pk == self.lead_id), None) or min(
            visible, key=lambda a: Story.lead_key(a.quality, a.heat, a.source_published_at, a.pk)
        )

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

    @classmethod
    def merged_into(cls, pk: int) -> int | None:
        """The story that story `pk` was merged into, as it is now (a merged story may have
        been merged again), or None if no merge took it away."""
        found = None
        for _ in range(10):  # merges chain rarely; a loop cannot come from merges
            pk = (
                StoryCorrection.objects.filter(change=StoryCorrection.Change.MERGE)
                .filter(merged_story_id=pk, story__isnull=False)
                .values_list("story", flat=True)
                .first()
            )
            if pk is None:
                break
            found = pk
        return found

    def refresh(self) -> None:
        Story.objects.filter(pk=self.pk).refresh_from_members()
        if Story.objects.filter(pk=self.pk).exists():
            self.refresh_from_db()


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
    # A merge's story that went: its address leads readers here (`Story.merged_into`).
    merged_story_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.get_change_display()} by {self.editor or 'unknown'}"
