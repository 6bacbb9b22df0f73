"""Undo: an editor takes back their latest publish-or-keep decision, with every other decision
made in the same stroke. `ReviewDecisionQuerySet` inherits these.

An undo is a decision of its own (`ReviewDecision.Change.UNDO`, pointing at what it undid): the
history is never edited.
"""

from typing import NamedTuple

from django.db import models, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from articles.editorial.records import lock_states, review_decision
from articles.editorial.writes import readers_see_changes
from articles.webhooks.events import visibility_may_change


class Undo(NamedTuple):
    """What `ReviewDecisionQuerySet.undo_last` took back: the articles put back as they were
    before, and the kind of decision that was undone ("published", "kept unpublished", ...)."""

    article_ids: list[int]
    undone: str = ""


class UndoQuerySet(models.QuerySet):
    """`in_force` and `undo_last`, for `ReviewDecisionQuerySet`."""

    def in_force(self, editor):
        """The editor's publish-or-keep decisions that still stand: not undone, and no decision
        by anyone since on the same article (the article still carries this review)."""
        return self.filter(
            editor=editor,
            change__in=self.model.UNDOABLE,
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
                decided_at__in=self.model.objects.filter(pk=decision_id).values("decided_at")
            )
        last = in_force.order_by("-decided_at", "-id").values("decided_at", "via").first()
        if decision_id is None:
            # The last thing the editor did may be a schedule change alone (the article page
            # on a published article, a shell): then that is what is taken back.
            schedule = (
                self.schedules_in_force(editor)
                .order_by("-decided_at", "-id")
                .values("decided_at", "via")
                .first()
            )
            if schedule and (last is None or schedule["decided_at"] > last["decided_at"]):
                return self._undo_schedules(editor, schedule, via=via)
        if last is None:
            return Undo([])
        # Reached through the relation: the models import this module while they load.
        article_model = self.model._meta.get_field("article").related_model
        now = timezone.now()
        with transaction.atomic():
            decisions = {
                d.article_id: d
                for d in in_force.filter(decided_at=last["decided_at"], via=last["via"])
            }
            # Lock, then look again: the decision must still stand.
            before = lock_states(
                article_model.objects.filter(
                    pk__in=list(decisions), reviewed_at=last["decided_at"], reviewed_by=editor
                )
            )
            restored = [decisions[state.pk] for state in before]
            by_review = {}
            for decision in restored:
                review = (decision.was_published, decision.was_reviewed_at)
                by_review.setdefault(review + (decision.was_reviewed_by_id,), []).append(
                    decision.article_id
                )
            for (published, reviewed_at, reviewed_by_id), pks in by_review.items():
                article_model.objects.filter(pk__in=pks).update(
                    published=published, reviewed_at=reviewed_at, reviewed_by_id=reviewed_by_id
                )
            # A decision that also set the schedule (the article page's buttons) gives it back.
            schedules = {d.article_id: d.schedule_before for d in restored if d.changed_schedule}
            for pk, (embargo, expiry) in schedules.items():
                article_model.objects.filter(pk=pk).update(publish_at=embargo, unpublish_at=expiry)
            self.model.objects.bulk_create(
                review_decision(
                    self.model,
                    state,
                    change=self.model.Change.UNDO,
                    published=decisions[state.pk].was_published,
                    schedule=schedules.get(state.pk, state.schedule),
                    editor=editor,
                    at=now,
                    via=via,
                    undoes=decisions[state.pk],
                )
                for state in before
            )
            if schedules or any(d.was_published != d.published for d in restored):
                readers_see_changes()
                visibility_may_change([d.article_id for d in restored])
        changes = {decision.get_change_display() for decision in restored}
        # A story's stroke mixes kinds (the lead published, the rest kept): "decided on".
        undone = changes.pop() if len(changes) == 1 else ("decided on" if changes else "")
        return Undo([d.article_id for d in restored], undone)

    def schedules_in_force(self, editor):
        """The editor's schedule changes that still stand: nothing recorded on the article
        since (no decision, schedule or undo by anyone)."""
        since = self.model.objects.filter(
            article=OuterRef("article"), decided_at__gt=OuterRef("decided_at")
        )
        return self.filter(editor=editor, change=self.model.Change.SCHEDULE).exclude(Exists(since))

    def _undo_schedules(self, editor, last: dict, *, via: str) -> Undo:
        """Give back the schedules the editor's stroke `last` changed, recorded as an undo."""
        article_model = self.model._meta.get_field("article").related_model
        now = timezone.now()
        with transaction.atomic():
            stroke = self.schedules_in_force(editor).filter(
                decided_at=last["decided_at"], via=last["via"]
            )
            decisions = {d.article_id: d for d in stroke}
            before = lock_states(article_model.objects.filter(pk__in=list(decisions)))
            # Look again under the lock: nothing recorded on these articles meanwhile.
            standing = {d.article_id for d in stroke}
            before = [state for state in before if state.pk in standing]
            for state in before:
                embargo, expiry = decisions[state.pk].schedule_before
                article_model.objects.filter(pk=state.pk).update(
                    publish_at=embargo, unpublish_at=expiry
                )
            self.model.objects.bulk_create(
                review_decision(
                    self.model,
                    state,
                    change=self.model.Change.UNDO,
                    published=state.published,
                    schedule=decisions[state.pk].schedule_before,
                    editor=editor,
                    at=now,
                    via=via,
                    undoes=decisions[state.pk],
                )
                for state in before
            )
            if before:
                readers_see_changes()
        return Undo([state.pk for state in before], "rescheduled")
