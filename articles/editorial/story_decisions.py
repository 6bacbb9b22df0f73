"""The review desk's decisions on a whole story: publish its lead (keeping the rest as its
coverage), publish all, or keep all. `Story` inherits these.

Each article's decision goes through `decide_waiting`, recorded as usual; a story's decisions
share one moment, so one undo takes the whole stroke back.
"""

from typing import NamedTuple

from django.db import transaction
from django.utils import timezone


class StoryDecision(NamedTuple):
    """What a story decision recorded (one `ReviewDecision` per article decided), the
    articles found decided by someone else (then, if the editor had seen them, nothing is
    recorded), and the ids of articles the editor saw that are no longer in the story (moved
    out, merged elsewhere, deleted: then nothing is recorded either)."""

    decisions: list
    decided_elsewhere: list
    gone: tuple = ()


class StoryDecisions:
    """`desk_lead`, `publish_lead`, `publish_all` and `keep_all`, for `Story`."""

    def desk_lead(self, waiting: list):
        """Of the story's `waiting` articles (in `LEAD_ORDER`), the one the desk publishes as the
        lead: the story's lead if it waits, else the first of them by the lead rule."""
        return next((a for a in waiting if a.pk == self.lead_id), waiting[0] if waiting else None)

    def publish_lead(self, editor, *, via: str = "desk", seen=None) -> StoryDecision:
        """Publish the lead and keep the other waiting articles unpublished: they stay as its
        coverage (reachable from the lead's Full coverage once published)."""
        return self._decide_waiting(editor, via=via, seen=seen, lead=True, others=False)

    def publish_all(self, editor, *, via: str = "desk", seen=None) -> StoryDecision:
        return self._decide_waiting(editor, via=via, seen=seen, lead=True, others=True)

    def keep_all(self, editor, *, via: str = "desk", seen=None) -> StoryDecision:
        return self._decide_waiting(editor, via=via, seen=seen, lead=False, others=False)

    def _decide_waiting(self, editor, *, via, seen, lead: bool, others: bool) -> StoryDecision:
        """Decide the story's waiting articles in one stroke; `seen`, the article ids the
        editor saw, limits the decision to those. If another editor decided one of them
        meanwhile, or one is no longer in the story, nothing is recorded: the editor's choice
        was made on what has changed."""
        # The article model through the story's relation: the models import this module while
        # they load.
        articles = self.articles.model.objects
        members = articles.filter(story=self)
        if seen is not None:
            members = members.filter(pk__in=seen)
        with transaction.atomic():
            rows = list(
                members.select_for_update()
                .order_by(*self.LEAD_ORDER)
                .select_related(None)
                .only("pk", "title", "published", "reviewed_at", "reviewed_by")
            )
            elsewhere = [a for a in rows if a.reviewed_at is not None]
            waiting = [a for a in rows if a.reviewed_at is None]
            gone = tuple(sorted(set(seen or ()) - {a.pk for a in rows}))
            if gone:
                return StoryDecision([], elsewhere, gone)
            if elsewhere and seen is not None:
                return StoryDecision([], elsewhere)
            chosen = self.desk_lead(waiting)
            if chosen is None:
                return StoryDecision([], elsewhere)
            at = timezone.now()
            rest = [a.pk for a in waiting if a.pk != chosen.pk]
            decisions = articles.filter(pk=chosen.pk).decide_waiting(lead, editor, via=via, at=at)
            if rest:
                decisions += articles.filter(pk__in=rest).decide_waiting(
                    others, editor, via=via, at=at
                )
        return StoryDecision(decisions, elsewhere)
