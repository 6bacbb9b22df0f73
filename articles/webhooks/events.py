"""What the writes call where a change happens (no signals): the articles whose visibility may
have changed (a decision, an undo, a schedule, an import) and those a re-import changed. Once
the transaction commits, one task is enqueued for the worker, and only if some endpoint is
active: a publish waits on no receiver, and on nothing at all when there are no webhooks."""

from django.apps import apps
from django.db import transaction


def visibility_may_change(article_ids, *, changed_ids=()) -> None:
    """Call inside the write's transaction (or after it, outside one)."""
    ids = sorted(set(article_ids) | set(changed_ids))
    if ids:
        transaction.on_commit(lambda: _enqueue(ids, sorted(set(changed_ids))))


def _enqueue(ids, changed) -> None:
    if not apps.get_model("articles", "WebhookEndpoint").objects.filter(active=True).exists():
        return
    from articles.tasks.webhooks import announce

    announce.enqueue(ids, changed)
