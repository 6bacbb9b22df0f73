"""Articles, where editors spend the day.

Editors land on the review queue (never-reviewed articles, best first: `REVIEW_QUEUE_QUERY`),
filter and search it, and publish or unpublish from the list (publish_actions.py), an article's
page (article_page.py) or the review desk (desk/). `ArticleAdmin` is the one ModelAdmin of
Article: the desk's views are handed it, and the admin site (newsroom/admin.py) asks it, through
the hooks at the end, for the desk's URLs, the index's review box and the queue's link.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator

from articles.admin.article_page import ArticlePageMixin
from articles.admin.changelist import (
    EXCERPT_CHARS,
    QUEUE_ORDER,
    ArticleChangeList,
    EstimatedCountPaginator,
    ListedArticles,
)
from articles.admin.dashboard import review_summary
from articles.admin.desk.urls import desk_urls
from articles.admin.display import changelist_url, review_state
from articles.admin.filters import (
    REVIEW_QUEUE_QUERY,
    CategoryFilter,
    HeatBandFilter,
    ImportRunFilter,
    ProviderFilter,
    QualityBandFilter,
    ReviewStateFilter,
    SourceDisagreesFilter,
    TopicFilter,
    TypeFilter,
)
from articles.admin.flow_page import flow_urls
from articles.admin.publish_actions import publish_selected, unpublish_selected
from articles.admin.queue_search import IndexedSearchMixin
from articles.admin.stories import story_link
from articles.admin.strict import StrictAdminMixin
from articles.models import Article


def source_date(article):
    return date_format(timezone.localtime(article.source_published_at), "j M Y")


@admin.register(Article)
class ArticleAdmin(ArticlePageMixin, IndexedSearchMixin, StrictAdminMixin, admin.ModelAdmin):
    # Fits 1280 px beside the filters: the title with its excerpt and source beneath, one
    # state column (what readers see, and who reviewed it), then the ranking signals.
    list_display = ["title_and_excerpt", "state", "quality", "heat"]
    list_display_links = None  # the title links itself, keeping the list's filters (changelist.py)
    ordering = QUEUE_ORDER  # the list's order, and what its sort arrows say
    list_filter = [
        ReviewStateFilter,
        SourceDisagreesFilter,
        ProviderFilter,
        TopicFilter,
        CategoryFilter,
        TypeFilter,
        QualityBandFilter,
        HeatBandFilter,
        ImportRunFilter,
    ]
    list_select_related = ["provider", "reviewed_by", "story"]
    list_per_page = 50
    search_fields = ["title", "excerpt", "provider__name", "provider__domain"]
    search_help_text = (
        'Every word must match (title, excerpt, body, provider); "a phrase", -word, or.'
    )
    date_hierarchy = "source_published_at"
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = [publish_selected, unpublish_selected]

    # --- Who may do what

    def has_add_permission(self, request):
        return False  # articles come from imports

    def has_publish_permission(self, request):
        """Deciding (publishing, keeping, scheduling, undoing) anywhere: list, page, desk."""
        return request.user.has_perm("articles.publish_article")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # an editor unpublishes; the next import would
        return actions  # bring a deleted article back anyway

    # --- The list

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    def get_changelist(self, request, **kwargs):
        # Only the filtered articles, not a page of them, for "Save and next" (listed_articles).
        return (
            ListedArticles if getattr(request, "listed_articles_only", False) else ArticleChangeList
        )

    def changelist_view(self, request, extra_context=None):
        queue = request.GET.get(ReviewStateFilter.parameter_name) == "waiting"
        extra_context = {
            "title": "Review queue" if queue else "Articles",
            "review_queue": queue,
            "review_queue_url": f"{changelist_url('article')}?{REVIEW_QUEUE_QUERY}",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="article", ordering="title")
    def title_and_excerpt(self, article):
        topics = ", ".join(sorted(topic.name for topic in article.topics.all()))
        source = " · ".join([article.provider.name, source_date(article)] + [topics] * bool(topics))
        if article.editor_title:  # the queue reads as readers do; the source's words stay in reach
            source += f" · the source's title: {article.title}"
        story = ""
        if article.story_id and article.story.size > 1:  # one of several sources of one event
            story = format_html('<span class="article-story">Story: {}</span>', story_link(article))
        return format_html(
            '<a class="article-title" href="{}">{}</a>'
            '<span class="article-excerpt">{}</span><span class="article-source">{}</span>{}',
            article.listed_url,  # set by ArticleChangeList: the page, keeping the list's filters
            article.headline,
            Truncator(article.editor_excerpt or article.excerpt_start).chars(EXCERPT_CHARS),
            source,
            story,
        )

    @admin.display(description="state")
    def state(self, article):
        return review_state(article)

    # --- Hooks of the admin site (newsroom/admin.py), which imports nothing of this package

    def site_urls(self):
        """URLs of the site's own, beside the model admins': the review desk, /admin/desk/, and
        the flow dashboard, /admin/flow/."""
        return desk_urls(self) + flow_urls(self)

    def index_context(self, request):
        """The admin index's review box (dashboard.py)."""
        return review_summary(request)

    def update_app_list_entry(self, entry):
        """Articles in the index and the navigation sidebar (`entry`, of the site's app list)
        link to the review queue; the list's bare URL still means all articles, as everywhere
        in the admin."""
        if entry.get("admin_url"):
            entry["admin_url"] = f"{entry['admin_url']}?{REVIEW_QUEUE_QUERY}"
            entry["name"] = "Articles (review queue)"
