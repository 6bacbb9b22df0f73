"""The admin index's review box: how many articles wait, the way to the desk, what the editor
decided last, and how the latest import went. The site asks for it through
`ArticleAdmin.index_context`."""

from django.urls import reverse

from articles.admin.display import changelist_url, when
from articles.admin.filters import REVIEW_QUEUE_QUERY
from articles.models import Article, ImportRun, ReviewDecision

RECENT_DECISIONS = 5


def review_summary(request) -> dict:
    """The index page's context for its review box; empty for staff who may not see articles."""
    user = request.user
    if not user.has_perm("articles.view_article"):
        return {}
    waiting = Article.objects.waiting_for_review().count()  # its own index (0006)
    recent = ReviewDecision.objects.filter(editor=user).select_related("article")
    return {
        "review_box": True,
        "queue_count": waiting,
        "queue_count_text": f"{waiting:,}",
        "queue_url": f"{changelist_url('article')}?{REVIEW_QUEUE_QUERY}",
        "live_not_reviewed_url": f"{changelist_url('article')}?review=live-not-reviewed",
        "desk_url": reverse("admin:desk"),
        "recent_decisions": [
            {
                "title": decision.article.title,
                "url": reverse("admin:articles_article_change", args=[decision.article_id]),
                "change": decision.get_change_display(),
                "when": when(decision.decided_at),
            }
            for decision in recent[:RECENT_DECISIONS]
        ],
        "my_decisions_url": changelist_url("reviewdecision"),
        "flow_url": reverse("admin:flow"),
        **last_import(user),
    }


def last_import(user) -> dict:
    """The latest import run and how it went ("finished, 3 rejected"), for staff who may see
    import runs."""
    if not user.has_perm("articles.view_importrun"):
        return {}
    run = ImportRun.objects.only("pk", "started_at", "status", "rejected").first()
    if run is None:
        return {"import_box": True, "last_import": None}
    return {
        "import_box": True,
        "last_import": {
            "state": run.state,
            "clean": run.went_cleanly,
            "when": when(run.started_at),
            "url": reverse("admin:articles_importrun_change", args=[run.pk]),
        },
    }
