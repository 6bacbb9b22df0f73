"""Editors' corrections of what readers read: the headline and excerpt an editor gives an
article over the source's (`editor_title`, `editor_excerpt`), and a public note saying what was
corrected. `Article` inherits these.

The source's title and excerpt stay as imported (an import refreshes them; it never writes the
editor's); readers see `headline` and `standfirst`, the editor's text where there is one. Each
correction is recorded as a `Correction` (who, when, old and new), whose note, if any, readers
see on the article and on /corrections/.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.editorial.writes import readers_see_changes

MAX_NOTE = 1000  # characters of a public note: a sentence or two, shown on the article


def shown(source: str, editor: str) -> str:
    """The text readers see: the editor's where there is one, else the source's. Every reader
    path goes through this (or `headline`/`standfirst` on a row in hand)."""
    return editor or source


class ArticleCorrections:
    """`headline`, `standfirst` and `correct`, for `Article`. The correction model is reached
    through the article's relation (`corrections`): the models import this module while they
    load."""

    @property
    def headline(self) -> str:
        """The title readers see."""
        return shown(self.title, self.editor_title)

    @property
    def standfirst(self) -> str:
        """The excerpt readers see."""
        return shown(self.excerpt, self.editor_excerpt)

    def correct(self, editor, *, title: str, excerpt: str, note: str = ""):
        """Set the editor's headline and excerpt ("" gives readers the source's again), with an
        optional public note; the `Correction` it records, or None when nothing changed. The
        row is locked, so two editors' corrections follow one another, each recorded against
        what the other left."""
        title, excerpt, note = title.strip(), excerpt.strip(), note.strip()
        if len(title) > self._meta.get_field("editor_title").max_length:
            raise ValidationError("The headline is longer than 500 characters.")
        if len(note) > MAX_NOTE:
            raise ValidationError(f"The correction note is longer than {MAX_NOTE} characters.")
        # The source's text again is no override: readers would see the same either way.
        title = "" if title == self.title else title
        excerpt = "" if excerpt == self.excerpt else excerpt
        articles = type(self).objects
        with transaction.atomic():
            old_title, old_excerpt = (
                articles.select_for_update()
                .filter(pk=self.pk)
                .values_list("editor_title", "editor_excerpt")
                .get()
            )
            if (old_title, old_excerpt) == (title, excerpt) and not note:
                return None
            # To the second: a note's date is shown as a <time>, whose datetime allows no more.
            now = timezone.now().replace(microsecond=0)
            changes = {"editor_title": title, "editor_excerpt": excerpt, "updated_at": now}
            if note:
                changes["corrected_at"] = now
            articles.filter(pk=self.pk).update(**changes)
            for name, value in changes.items():
                setattr(self, name, value)
            correction = self.corrections.create(
                editor=editor,
                made_at=now,
                old_title=old_title,
                new_title=title,
                old_excerpt=old_excerpt,
                new_excerpt=excerpt,
                note=note,
            )
            if self.story_id:  # its story's title may be this article's headline
                story_model = self._meta.get_field("story").related_model
                story_model.objects.filter(pk=self.story_id).refresh_from_members()
            readers_see_changes()
        return correction
