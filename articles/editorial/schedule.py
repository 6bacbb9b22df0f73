"""An article's schedule, which an editor sets: an embargo (`publish_at`: hidden from readers
until then) and an expiry (`unpublish_at`: hidden from then on).

The order rule is written here once: the time to come down must be after the time to go live.
The database holds it too (`article_schedule_in_order`); what an editor sees when they break it
is `SCHEDULE_OUT_OF_ORDER`, from `set_schedule`, `set_published(..., schedule=...)` and the
article page's form (`Article.clean`) alike.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from articles.editorial.records import lock_states, review_decision, review_decisions
from articles.editorial.writes import BATCH_SIZE, in_batches, readers_see_changes
from articles.webhooks.events import visibility_may_change

SCHEDULE_OUT_OF_ORDER = "The time to come down must be after the time to go live."


def check_schedule_order(publish_at, unpublish_at, *, field: str | None = None) -> None:
    """Refuse a schedule that comes down before it goes live (None: no embargo, no expiry),
    with the message on `field` when a form asks."""
    if publish_at and unpublish_at and unpublish_at <= publish_at:
        raise ValidationError({field: SCHEDULE_OUT_OF_ORDER} if field else SCHEDULE_OUT_OF_ORDER)


def schedule_is(publish_at, unpublish_at) -> Q:
    """Rows whose embargo and expiry are these (None: none)."""
    return (Q(publish_at=publish_at) if publish_at else Q(publish_at__isnull=True)) & (
        Q(unpublish_at=unpublish_at) if unpublish_at else Q(unpublish_at__isnull=True)
    )


class SchedulingQuerySet(models.QuerySet):
    """`set_schedule`, for `ArticleQuerySet`."""

    def set_schedule(self, publish_at, unpublish_at, editor, *, via: str = "shell") -> int:
        """Give these articles an embargo and/or expiry (None clears one); returns how many
        changed. Recorded like a publish decision, with the flag unchanged."""
        check_schedule_order(publish_at, unpublish_at)
        schedule = (publish_at, unpublish_at)
        decision_model = review_decisions(self.model)
        now = timezone.now()
        with transaction.atomic():
            before = lock_states(self.exclude(schedule_is(*schedule)))
            decisions = [
                review_decision(
                    decision_model,
                    state,
                    change=decision_model.Change.SCHEDULE,
                    published=state.published,
                    schedule=schedule,
                    editor=editor,
                    at=now,
                    via=via,
                )
                for state in before
            ]
            for batch in in_batches(state.pk for state in before):
                self.model.objects.filter(pk__in=batch).update(
                    publish_at=publish_at, unpublish_at=unpublish_at
                )
            decision_model.objects.bulk_create(decisions, batch_size=BATCH_SIZE)
            if decisions:
                readers_see_changes()
                visibility_may_change([state.pk for state in before])
        return len(decisions)
