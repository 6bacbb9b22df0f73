"""The admin index's review box: how many articles wait, the way to the desk, and what the
editor decided last. The site asks for it through `ArticleAdmin.index_context`."""

from django.urls import reverse

from articles.admin.display import changelist_url, when
from articles.admin.filters import REVIEW_QUEUE_QUERY
from articles.models import Article, ReviewDecision

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
    }
