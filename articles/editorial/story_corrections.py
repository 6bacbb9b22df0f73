"""Editors' corrections of a story: merge stories, move an article out, choose the lead. `Story`
inherits these.

Each pins the articles it touches (no clustering moves them again) and is recorded as a
`StoryCorrection`. Each locks the stories it touches, in id order (so two corrections never wait
on each other in a circle), and checks them again under the lock: when another editor's
correction changed them meanwhile, it changes nothing and says so (`StoryChanged`), and no
article is ever left without its story.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.editorial.writes import readers_see_changes
from articles.webhooks.events import stories_may_change


class StoryChanged(ValidationError):
    """The stories a correction was asked for were changed by another correction meanwhile."""

    def __init__(self, detail: str):
        super().__init__(
            f"{detail} Another editor changed these stories meanwhile; nothing was changed: "
            "reload the page and try again."
        )


class StoryCorrections:
    """`merge`, `merge_all`, `split_off` and `set_lead`, for `Story`. The article and correction
    models are reached through the story's relations (`articles`, `corrections`): the models
    import this module while they load."""

    def _lock_stories(self, stories) -> None:
        """Lock these stories' rows in id order; `StoryChanged` if one is gone (merged away)."""
        ids = sorted({story.pk for story in stories})
        found = set(
            type(self)
            .objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        gone = [pk for pk in ids if pk not in found]
        if gone:
            names = ", ".join(str(pk) for pk in gone)
            raise StoryChanged(f"Story {names} no longer exists.")

    def _lock_member(self, article) -> None:
        """Lock this story, and check under the lock that `article` is still one of its own."""
        self._lock_stories([self])
        if not self.articles.filter(pk=article.pk).exists():
            raise StoryChanged(f"Article {article.pk} is no longer in story {self.pk}.")

    def merge(self, other, editor) -> None:
        """Bring `other`'s articles into this story; `other` goes."""
        self.merge_all([other], editor)

    def merge_all(self, others, editor) -> None:
        """Bring the articles of each of `others` into this story, in one transaction; they go."""
        others = list(others)
        if any(other.pk == self.pk for other in others):
            raise ValidationError("A story cannot be merged into itself.")
        with transaction.atomic():
            self._lock_stories([self, *others])
            for other in others:
                moving = list(other.articles.values_list("pk", flat=True))
                moved = len(moving)
                stories_may_change(moves=[(pk, other.pk) for pk in moving])
                self.articles.model.objects.filter(story__in=[self.pk, other.pk]).update(
                    story=self, story_pinned=True
                )
                self.corrections.create(
                    editor=editor,
                    change=self.corrections.model.Change.MERGE,
                    merged_story_id=other.pk,
                    note=f"Merged story {other.pk} ({other.title}, {moved} articles) "
                    "into this one.",
                )
                other.corrections.update(story=self)
                other.delete()
            self.refresh()
            readers_see_changes()

    def split_off(self, article, editor):
        """Move `article` out of this story into a story of its own, which is returned."""
        if article.story_id != self.pk:
            raise ValidationError("That article is not in this story.")
        stories = type(self).objects
        with transaction.atomic():
            self._lock_member(article)
            new = stories.create()
            self.articles.update(story_pinned=True)
            self.articles.model.objects.filter(pk=article.pk).update(story=new, story_pinned=True)
            stories_may_change(moves=[(article.pk, self.pk)])
            for story in (self, new):
                story.corrections.create(
                    article=article,
                    editor=editor,
                    change=self.corrections.model.Change.SPLIT,
                    note=f"Moved article {article.pk} from story {self.pk} to story {new.pk}.",
                )
            stories.filter(pk__in=[self.pk, new.pk]).refresh_from_members()
            article.refresh_from_db(fields=["story", "story_pinned"])
            if stories.filter(pk=self.pk).exists():
                self.refresh_from_db()
            new.refresh_from_db()
            readers_see_changes()
        return new

    def set_lead(self, article, editor) -> None:
        """An editor's choice of lead, kept while the article stays in the story."""
        if article.story_id != self.pk:
            raise ValidationError("That article is not in this story.")
        with transaction.atomic():
            self._lock_member(article)
            type(self).objects.filter(pk=self.pk).update(lead=article, lead_chosen_by_editor=True)
            self.articles.update(story_pinned=True)
            self.corrections.create(
                article=article,
                editor=editor,
                change=self.corrections.model.Change.LEAD,
                note=f"Chose article {article.pk} as the lead.",
            )
            stories_may_change(story_ids=[self.pk])
            self.refresh()
            readers_see_changes()
