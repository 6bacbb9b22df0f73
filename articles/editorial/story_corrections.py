"""Editors' corrections of a story: merge two, move an article out, choose the lead. `Story`
inherits these.

Each pins the articles it touches (no clustering moves them again) and is recorded as a
`StoryCorrection`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.editorial.writes import readers_see_changes


class StoryCorrections:
    """`merge`, `split_off` and `set_lead`, for `Story`. The article and correction models are
    reached through the story's relations (`articles`, `corrections`): the models import this
    module while they load."""

    def merge(self, other, editor) -> None:
        """Bring `other`'s articles into this story; `other` goes."""
        if other.pk == self.pk:
            raise ValidationError("A story cannot be merged into itself.")
        with transaction.atomic():
            moved = other.articles.count()
            self.articles.model.objects.filter(story__in=[self.pk, other.pk]).update(
                story=self, story_pinned=True
            )
            self.corrections.create(
                editor=editor,
                change=self.corrections.model.Change.MERGE,
                note=f"Merged story {other.pk} ({other.title}, {moved} articles) into this one.",
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
            new = stories.create()
            self.articles.update(story_pinned=True)
            self.articles.model.objects.filter(pk=article.pk).update(story=new, story_pinned=True)
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
            type(self).objects.filter(pk=self.pk).update(lead=article, lead_chosen_by_editor=True)
            self.articles.update(story_pinned=True)
            self.corrections.create(
                article=article,
                editor=editor,
                change=self.corrections.model.Change.LEAD,
                note=f"Chose article {article.pk} as the lead.",
            )
            self.refresh()
            readers_see_changes()
