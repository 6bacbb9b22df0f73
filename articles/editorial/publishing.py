"""An editor's decision on articles: publish, or keep unpublished (and, in the same stroke, a
schedule). `ArticleQuerySet` and `Article` inherit these.

A decision locks its rows, looks again (another editor may have decided meanwhile), records who
and when as a `ReviewDecision` per article, and refreshes readers' pages once it commits.
"""

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from articles.editorial.records import lock_states, review_decision, review_decisions
from articles.editorial.schedule import check_schedule_order, schedule_is
from articles.editorial.writes import BATCH_SIZE, in_batches, readers_see_changes
from articles.webhooks.events import visibility_may_change


class PublishingQuerySet(models.QuerySet):
    """`set_published` and `decide_waiting`, for `ArticleQuerySet`."""

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
        self, published: bool, editor, *, via: str, at=None, schedule: tuple | None = None
    ) -> list:
        """`set_published` on those of these articles no editor has decided yet, and only
        those: an article another editor decided meanwhile is left as they left it (no second,
        silent decision). Returns the decisions recorded. `at`: the moment of the decision, for
        decisions taken in one stroke (one moment: one undo takes them all back). `schedule`:
        as for `set_published` (the desk's `s`: publish, to go live at a time)."""
        return self._decide(published, editor, via=via, waiting_only=True, at=at, schedule=schedule)

    def _decide(self, published, editor, *, via, waiting_only, schedule=None, at=None) -> list:
        published = bool(published)
        now = at or timezone.now()
        undecided = Q(reviewed_at__isnull=True)
        # What this decision would change: another state, or a first review (or a schedule).
        todo = undecided if waiting_only else ~Q(published=published) | undecided
        fields = {"published": published, "reviewed_by": editor, "reviewed_at": now}
        if schedule is not None:
            check_schedule_order(*schedule)
            if not waiting_only:  # waiting only: still only the undecided ones
                todo |= ~schedule_is(*schedule)
            fields.update(publish_at=schedule[0], unpublish_at=schedule[1])
        decision_model = review_decisions(self.model)
        with transaction.atomic():
            if waiting_only:
                # The desk decides one article at a time: one locking read, no candidate list.
                batches = [self.order_by().values("pk")]
            else:
                candidates = self.filter(todo).order_by().values_list("pk", flat=True)
                batches = in_batches(candidates.distinct())
            decisions = []
            for batch in batches:
                # Lock, then look again: another editor may have decided meanwhile.
                before = lock_states(self.model.objects.filter(todo, pk__in=batch))
                self.model.objects.filter(pk__in=[state.pk for state in before]).update(**fields)
                decisions += [
                    review_decision(
                        decision_model,
                        state,
                        change=decision_model.change_for(state.published, published),
                        published=published,
                        schedule=state.schedule if schedule is None else schedule,
                        editor=editor,
                        at=now,
                        via=via,
                    )
                    for state in before
                ]
            decision_model.objects.bulk_create(decisions, batch_size=BATCH_SIZE)
            if any(d.was_published != published for d in decisions) or (
                decisions and schedule is not None
            ):
                readers_see_changes()
                visibility_may_change([d.article_id for d in decisions])
        return decisions


class ArticlePublishing:
    """`set_published` on one article, for `Article`."""

    def set_published(
        self, published: bool, editor, *, via: str = "shell", schedule: tuple | None = None
    ) -> bool:
        """One article's decision (see `ArticleQuerySet.set_published`); True if it changed."""
        changed = (
            type(self)
            .objects.filter(pk=self.pk)
            .set_published(published, editor, via=via, schedule=schedule)
        )
        self.refresh_from_db(
            fields=["published", "reviewed_by", "reviewed_at", "publish_at", "unpublish_at"]
        )
        return bool(changed)
