"""Webhook tasks: `announce` (after a write commits: the deliveries owed), `deliver` (one
delivery, in order per subject), and two periodic ones: `announce_schedule` (embargoes and
expiries that passed) and `deliver_due` (retries, and deliveries whose worker died).

Idempotent by the database's state: a delivery is claimed with a lease before it is sent; a
task for a delivery already sent, or leased by another worker, does nothing. A retry keeps the
delivery's `webhook-id`. Deliveries of one subject (an article, a story) to one endpoint go one
at a time, oldest first.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from articles.models import WebhookDelivery, WebhookEndpoint
from articles.webhooks import announcing, sending

# Seconds to wait after each failed attempt: the first retry within 30 s, the last about a day
# after the first attempt (12 attempts), then the delivery is given up.
BACKOFF = [10, 30, 120, 300, 900, 1800, 3600, 7200, 14400, 28800, 28800]
QUEUED_GRACE = timedelta(seconds=60)  # a queued task not run by then is enqueued again
SEND_AT_ONCE = 4  # deliveries an announce task sends itself rather than enqueues
Pending = WebhookDelivery.State.PENDING


@task()
def announce(article_ids: list[int], changed_ids: list[int], moves=(), story_ids=()) -> int:
    created = announcing.announce(article_ids, changed_ids, moves=moves, story_ids=story_ids)
    if len(created) <= SEND_AT_ONCE:
        # A decision's few deliveries are sent by this task (one task per event, not two);
        # if it dies mid-way, the sweep finds them as it finds any whose worker died.
        for pk in created:
            deliver.call(pk)
    else:
        enqueue_deliveries(created)  # many: spread over the workers
    return len(created)


@task()
def announce_schedule() -> int:
    now = timezone.now()
    ids = announcing.schedule_passed(now - announcing.SCHEDULE_LOOKBACK, now)
    created = announcing.announce(ids, now=now) if ids else []
    enqueue_deliveries(created)
    return len(created)


@task()
def deliver_due() -> int:
    """Enqueue due deliveries that no task holds: retries, and those whose worker died."""
    now = timezone.now()
    due = (
        WebhookDelivery.objects.filter(state=Pending, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .filter(Q(queued_until__isnull=True) | Q(queued_until__lt=now))
        .filter(endpoint__active=True)
        .order_by("id")
        .values_list("pk", flat=True)[:500]
    )
    ids = list(due)
    enqueue_deliveries(ids)
    return len(ids)


def enqueue_deliveries(ids) -> None:
    if not ids:
        return
    WebhookDelivery.objects.filter(pk__in=ids).update(queued_until=timezone.now() + QUEUED_GRACE)
    for pk in ids:
        deliver.enqueue(pk)


def _lease() -> timedelta:
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT + 5)


@task()
def deliver(delivery_id: int) -> str:
    now = timezone.now()
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, state=Pending, endpoint__active=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + _lease(), queued_until=None)
    )
    if not claimed:  # sent, given up, paused, or leased (perhaps by a worker that died)
        WebhookDelivery.objects.filter(pk=delivery_id, state=Pending).update(queued_until=None)
        return "not mine"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    earlier = WebhookDelivery.objects.filter(
        endpoint=delivery.endpoint_id, subject=delivery.subject, state=Pending, pk__lt=delivery.pk
    )
    if earlier.exists():  # its turn comes when the earlier one is done
        WebhookDelivery.objects.filter(pk=delivery_id).update(lease_until=None)
        return "waits its turn"
    outcome = sending.send(
        delivery.endpoint.url,
        delivery.endpoint.secret,
        delivery.message_id,
        delivery.body,
        delivery.created_at,
    )
    record(delivery, outcome, timezone.now())
    if delivery.state != Pending:  # done, delivered or given up: the next of its subject
        following = (
            WebhookDelivery.objects.filter(
                endpoint=delivery.endpoint_id,
                subject=delivery.subject,
                state=Pending,
                pk__gt=delivery.pk,
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:1]
        )
        enqueue_deliveries(list(following))
    return delivery.state


def record(delivery, outcome, now) -> None:
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_code = outcome.status
    delivery.last_error = outcome.error
    delivery.lease_until = None
    if outcome.ok:
        delivery.state = WebhookDelivery.State.DELIVERED
        delivery.delivered_at = now
    elif delivery.attempts > len(BACKOFF):
        delivery.state = WebhookDelivery.State.FAILED
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
            active=False,
            disabled_reason=(
                f"Disabled {now:%Y-%m-%d %H:%M} UTC: a delivery failed {delivery.attempts} times "
                f"over a day ({outcome.error or 'no answer'}). Fix the receiver, then tick "
                f"Active again; pending deliveries resume."
            )[:500],
        )
    else:
        wait = BACKOFF[delivery.attempts - 1] * settings.WEBHOOK_BACKOFF_SCALE
        delivery.next_attempt_at = now + timedelta(seconds=wait)
    delivery.save()


def send_again(delivery_ids) -> int:
    """An editor's "send again": the same message (same webhook-id), due now."""
    changed = WebhookDelivery.objects.filter(pk__in=delivery_ids).update(
        state=Pending, next_attempt_at=timezone.now(), lease_until=None, attempts=F("attempts")
    )
    enqueue_deliveries(list(delivery_ids))
    return changed
