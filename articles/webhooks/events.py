"""What the writes call where a change happens (no signals): the articles whose visibility may
have changed (a decision, an undo, a schedule, an import) and those a re-import changed; the
articles that changed story (clustering, an editor's story corrections). Once
the transaction commits, one task is enqueued for the worker, and only if some endpoint is
active: a publish waits on no receiver, and on nothing at all when there are no webhooks."""

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import import_string

ANNOUNCE = "articles.tasks.webhooks.announce"


def visibility_may_change(article_ids, *, changed_ids=()) -> None:
    """Call inside the write's transaction (or after it, outside one)."""
    ids = sorted(set(article_ids) | set(changed_ids))
    if ids:
        transaction.on_commit(lambda: _enqueue(ids, sorted(set(changed_ids))))


def stories_may_change(*, moves=(), story_ids=()) -> None:
    """Articles that changed story (`moves`: (article id, the story it left or None)), as the
    clusterer and an editor's story corrections move them, and stories whose facts an editor
    changed (`story_ids`): a story a visible article joined or left gets `story.updated`."""
    moves = sorted({(pk, left) for pk, left in moves})
    story_ids = sorted(set(story_ids))
    if moves or story_ids:
        transaction.on_commit(lambda: _enqueue([], [], [list(m) for m in moves], story_ids))


def _enqueue(ids, changed, moves=(), story_ids=()) -> None:
    if not apps.get_model("articles", "WebhookEndpoint").objects.filter(active=True).exists():
        return
    # The task by its path: this module is imported while the models load, the task module
    # imports the models (articles/tasks/periodic.py names tasks the same way).
    if moves or story_ids:
        import_string(ANNOUNCE).enqueue(ids, changed, list(moves), list(story_ids))
    else:
        import_string(ANNOUNCE).enqueue(ids, changed)
