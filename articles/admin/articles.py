"""Articles, where editors spend the day.

Editors land on the review queue (never-reviewed articles, best first; see admin_site.py),
filter and search it, and publish or unpublish from the list or an article's page. Every such
decision goes through `ArticleQuerySet.set_published` / `set_schedule`, which record it.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from ..admin_site import REVIEW_QUEUE_QUERY
from ..models import Article, Provider, RelatedLink, ReviewDecision
from ..views import preview_article
from .display import (
    changelist_url,
    external_link,
    render_fragment,
    schedule_text,
    secret_summary,
    username,
    when,
)
from .filters import (
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
from .listing import ArticleChangeList, EstimatedCountPaginator
from .read_only import ReadOnlyAdminMixin
from .stories import story_link
from .strict import StrictAdminMixin


class RelatedLinkInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Other coverage of the story, from the seed file: read-only, in the file's order."""

    model = RelatedLink
    fields = ["position", "link", "provider", "source_published_at", "quality"]
    readonly_fields = fields
    ordering = ["position"]
    extra = 0
    verbose_name = "related link"
    verbose_name_plural = "Related coverage (from the seed file, read-only)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provider")

    @admin.display(description="title")
    def link(self, link):
        return external_link(link.url, link.title)


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["published", "publish_at", "unpublish_at"]


PREVIEW_URL_NAME = "articles_article_preview"


def preview_url(article):
    """The staff-only preview of an article, published or not (ArticleAdmin.preview_view)."""
    return reverse(f"admin:{PREVIEW_URL_NAME}", args=[article.pk])


@admin.register(Article)
class ArticleAdmin(StrictAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "provider_name",
        "source_date",
        "topic_list",
        "quality",
        "heat",
        "state",
        "reviewed",
        "story_column",
    ]
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
    search_help_text = "Searches titles, excerpts and provider names and domains."
    date_hierarchy = "source_published_at"
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    inlines = [RelatedLinkInline]
    actions = ["publish_selected", "unpublish_selected"]

    EDITOR_FIELDS = ("published", "publish_at", "unpublish_at")
    fieldsets = [
        (
            "Your decision",
            {
                "fields": [
                    "published",
                    ("publish_at", "unpublish_at"),
                    "visibility",
                    ("reviewed_by", "reviewed_at"),
                    "history",
                    "story_column",
                ],
                "description": "Editors decide whether readers see this article and when. "
                "Saving records the decision in the review history.",
            },
        ),
        (
            "From the seed file",
            {
                "fields": [
                    "title",
                    "excerpt",
                    "provider",
                    ("source_published_at", "source_published"),
                    "topic_list",
                    ("quality", "heat"),
                    ("category", "type"),
                    "source_link",
                    "body",
                    ("source_file", "import_run"),
                ],
                "description": "These come from the seed file and the next import of a changed "
                "file replaces them, so they are read-only here: correct the file instead.",
            },
        ),
        (
            "Record",
            {
                "fields": [
                    "canonical_url",
                    "slug",
                    ("created_at", "updated_at"),
                    "extra",
                    "secured_payload",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    # --- The list

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    def get_search_results(self, request, queryset, search_term):
        """Like the admin's own search over `search_fields` (each word must match somewhere),
        but providers are matched in their own small table first: an OR across a join makes
        the database read every article with its provider."""
        for word in smart_split(search_term):
            if word[0] in "\"'" and word[-1] == word[0]:
                word = unescape_string_literal(word)
            providers = Provider.objects.filter(
                Q(name__icontains=word) | Q(domain__icontains=word)
            ).values("pk")
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(excerpt__icontains=word) | Q(provider__in=providers)
            )
        return queryset, False

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_ordering(self, request):
        # Best first: quality, then heat (articles without them last), then newest.
        return [
            F("quality").desc(nulls_last=True),
            F("heat").desc(nulls_last=True),
            "-source_published_at",
            "-id",
        ]

    @admin.display(description="provider", ordering="provider__name")
    def provider_name(self, article):
        return article.provider.name

    @admin.display(description="source date", ordering="source_published_at")
    def source_date(self, article):
        return date_format(timezone.localtime(article.source_published_at), "j M Y")

    def changelist_view(self, request, extra_context=None):
        queue = request.GET.get(ReviewStateFilter.parameter_name) == "waiting"
        extra_context = {
            "title": "Review queue" if queue else "Articles",
            "review_queue": queue,
            "review_queue_url": f"{changelist_url('article')}?{REVIEW_QUEUE_QUERY}",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="topics")
    def topic_list(self, article):
        return ", ".join(sorted(topic.name for topic in article.topics.all())) or "—"

    @admin.display(description="state", ordering="published")
    def state(self, article):
        visible = article.is_visible()
        if not article.published:
            text, css = "Unpublished", "unpublished"
        elif visible:
            text, css = "Published", "published"
        elif article.publish_at and article.publish_at > timezone.now():
            text, css = f"Embargoed until {when(article.publish_at)}", "scheduled"
        else:
            text, css = "Expired", "expired"
        if visible and article.unpublish_at:
            text += f", until {when(article.unpublish_at)}"
        if article.source_published != article.published:
            text += " · source suggests " + ("publishing" if article.source_published else "not")
        return format_html('<span class="review-state review-state-{}">{}</span>', css, text)

    @admin.display(description="reviewed", ordering="reviewed_at")
    def reviewed(self, article):
        if not article.reviewed_at:
            return "—"
        return f"{username(article.reviewed_by)}, {when(article.reviewed_at)}"

    # --- Publishing

    def has_add_permission(self, request):
        return False  # articles come from imports

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # an editor unpublishes; the next import would
        return actions  # bring a deleted article back anyway

    @admin.action(permissions=["publish"], description="Publish selected articles")
    def publish_selected(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(permissions=["publish"], description="Unpublish selected articles")
    def unpublish_selected(self, request, queryset):
        self._decide(request, queryset, False)

    def _decide(self, request, queryset, published):
        # The admin already refuses an action the user lacks the permission for; this is the
        # last line, should the action be reached another way.
        if not self.has_publish_permission(request):
            raise PermissionDenied
        # By primary key: deciding may move the articles out of the list's filter (the queue).
        pks = list(queryset.values_list("pk", flat=True))
        count, selected = len(pks), Article.objects.filter(pk__in=pks)
        changed = selected.set_published(
            published, request.user, via=ReviewDecision.Via.LIST_ACTION
        )
        verb = "published" if published else "unpublished"
        message = ngettext(
            "%(count)d article %(verb)s.", "%(count)d articles %(verb)s.", changed
        ) % {"count": changed, "verb": verb}
        already = count - changed
        if already:
            message += " " + ngettext(
                "%(count)d was already %(verb)s.", "%(count)d were already %(verb)s.", already
            ) % {"count": already, "verb": verb}
        level = messages.SUCCESS if changed else messages.WARNING
        if published:
            hidden = count - selected.published().count()
            if hidden:
                message += " " + ngettext(
                    "%(count)d of them is not visible to readers now because of its schedule.",
                    "%(count)d of them are not visible to readers now because of their schedule.",
                    hidden,
                ) % {"count": hidden}
                level = messages.WARNING
        self.message_user(request, message, level)

    # --- The article page

    # Never shown, searched or filtered on: `secured_payload` says only that it is there.
    SECRET_FIELDS = ("secured",)

    def get_readonly_fields(self, request, obj=None):
        hidden = self.SECRET_FIELDS + (
            self.EDITOR_FIELDS if self.has_publish_permission(request) else ()
        )
        fields = [
            field.name
            for field in Article._meta.get_fields()
            if field.concrete and not field.many_to_many and field.name not in hidden
        ]
        return fields + [
            "topic_list",
            "source_link",
            "visibility",
            "history",
            "secured_payload",
            "story_column",
        ]

    @admin.display(description="story")
    def story_column(self, article):
        return story_link(article)  # articles/admin/stories.py

    @admin.display(description="secured")
    def secured_payload(self, article):
        return secret_summary(article.secured)

    @admin.display(description="at the source")
    def source_link(self, article):
        links = []
        if article.web_url:
            links.append(external_link(article.web_url, article.web_url))
        if article.original_url and article.original_url != article.web_url:
            links.append(external_link(article.original_url, f"original: {article.original_url}"))
        return render_fragment("_source_links.html", links=links)

    @admin.display(description="readers see it now")
    def visibility(self, article):
        if article.is_visible():
            return format_html(
                'Yes — <a href="{}">open on the site</a>', article.get_absolute_url()
            )
        return format_html(
            'No — <a href="{}">preview it as readers would see it</a>', preview_url(article)
        )

    @admin.display(description="review history")
    def history(self, article):
        decisions = [
            {
                "when": when(decision.decided_at),
                "change": decision.get_change_display(),
                "schedule": schedule_text(decision.publish_at, decision.unpublish_at),
                "editor": username(decision.editor),
                "via": decision.get_via_display(),
            }
            for decision in article.decisions.select_related("editor")[:20]
        ]
        return render_fragment(
            "_review_history.html",
            decisions=decisions,
            all_decisions_url=changelist_url("reviewdecision", article=article.pk),
        )

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_visible() else preview_url(article)

    def save_model(self, request, obj, form, change):
        """Only the editor's fields are saved, through the QuerySet methods that record them;
        the rest of the row is never written back from the form (an import may have refreshed
        it since the page was opened)."""
        if not change:
            raise PermissionDenied
        changed = set(form.changed_data)
        if not changed:
            return
        if not self.has_publish_permission(request):
            raise PermissionDenied
        this = Article.objects.filter(pk=obj.pk)
        via = ReviewDecision.Via.CHANGE_PAGE
        if changed & {"publish_at", "unpublish_at"}:
            this.set_schedule(obj.publish_at, obj.unpublish_at, request.user, via=via)
        if "published" in changed:
            this.set_published(obj.published, request.user, via=via)

    def get_urls(self):
        preview = self.admin_site.admin_view(never_cache(self.preview_view))
        return [
            path("<path:object_id>/preview/", preview, name=PREVIEW_URL_NAME),
        ] + super().get_urls()

    def preview_view(self, request, object_id):
        """The article as readers would see it, published or not, marked as a preview."""
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such article.")
        # The reader page itself, so the preview is exactly what readers would get.
        response = preview_article(request, article.pk)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
