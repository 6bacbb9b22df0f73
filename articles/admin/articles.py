"""The review desk: the Django admin set up for editors working through the day's articles.

Editors land on the review queue (never-reviewed articles, best first; see admin_site.py),
filter and search it, and publish or unpublish from the list or an article's page. Every such
decision goes through `ArticleQuerySet.set_published` / `set_schedule`, which record it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, F, Q
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from taggit.models import Tag

from .. import logos
from ..admin_site import REVIEW_QUEUE_QUERY
from ..models import Article, ImportRun, Provider, RelatedLink, ReviewDecision
from ..page_cache import reader_pages_version, remembered
from ..views import preview_article
from .display import changelist_url, external_link, schedule_text, username, when

# --- Counting without scanning ------------------------------------------------------------------


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, the unfiltered list counts from the planner's statistics, not COUNT(*).

    The exact number of all articles does not help an editor page through them; the estimate
    (kept fresh by autovacuum's ANALYZE) is close enough for "page 3 of 2,000". Filtered lists,
    small tables and other databases count exactly.
    """

    EXACT_BELOW = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            table = queryset.model._meta.db_table
            with connection.cursor() as cursor:
                # One query either way: the estimate, or the exact count of a small table.
                cursor.execute(
                    "SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint "
                    f"ELSE (SELECT COUNT(*) FROM {connection.ops.quote_name(table)}) END "
                    "FROM pg_class WHERE oid = %s::regclass",
                    [self.EXACT_BELOW, table],
                )
                row = cursor.fetchone()
            if row:
                return row[0]
        return super().count


class ArticleChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The list never shows the long columns; reading them for 50 rows costs more than the
        # rest of the row.
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer("body", "secured", "extra", "excerpt")


# --- Filters ------------------------------------------------------------------------------------


class ReviewStateFilter(admin.SimpleListFilter):
    title = "review state"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("waiting", "Waiting for review"),
            ("published", "Published"),
            ("live", "Published and visible now"),
            ("scheduled", "Published, with a schedule"),
            ("unpublished", "Unpublished"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "waiting":
                return queryset.filter(reviewed_at__isnull=True)
            case "published":
                return queryset.filter(published=True)
            case "live":
                return queryset.published()
            case "scheduled":
                return queryset.filter(published=True).filter(
                    Q(publish_at__isnull=False) | Q(unpublish_at__isnull=False)
                )
            case "unpublished":
                return queryset.filter(published=False)
        return queryset


class SourceDisagreesFilter(admin.SimpleListFilter):
    title = "source disagrees"
    parameter_name = "disagrees"

    def lookups(self, request, model_admin):
        return [
            ("yes", "Source suggests otherwise"),
            ("no", "Source agrees"),
        ]

    def queryset(self, request, queryset):
        disagrees = ~Q(source_published=F("published"))
        if self.value() == "yes":
            return queryset.filter(disagrees)
        if self.value() == "no":
            return queryset.exclude(disagrees)
        return queryset


class BandFilter(admin.SimpleListFilter):
    """Ranges of a ranking signal (quality or heat), plus "not given"."""

    field = ""
    bands: list[tuple[str, str, int, int | None]] = []  # value, label, from, below

    def lookups(self, request, model_admin):
        return [(value, label) for value, label, _, _ in self.bands] + [("none", "Not given")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(**{f"{self.field}__isnull": True})
        for value, _, low, below in self.bands:
            if self.value() == value:
                queryset = queryset.filter(**{f"{self.field}__gte": low})
                return queryset.filter(**{f"{self.field}__lt": below}) if below else queryset
        return queryset


class QualityBandFilter(BandFilter):
    title = "quality"
    parameter_name = "quality_band"
    field = "quality"
    bands = [("high", "High (30+)", 30, None), ("mid", "Medium (15–29)", 15, 30)]
    bands += [("low", "Low (0–14)", 0, 15)]


class HeatBandFilter(BandFilter):
    title = "heat"
    parameter_name = "heat_band"
    field = "heat"
    bands = [("hot", "Hot (70+)", 70, None), ("warm", "Warm (30–69)", 30, 70)]
    bands += [("cool", "Cool (0–29)", 0, 30)]


class DistinctValueFilter(admin.SimpleListFilter):
    """The values a short text column takes (category, type), listed from a cache: a DISTINCT
    over every article on every page load would cost more than the page itself. The cache key
    carries the reader-pages version, which every import bumps."""

    field = ""

    def lookups(self, request, model_admin):
        key = f"newsroom:admin:distinct:{self.field}:{reader_pages_version()}"
        values = remembered(
            key,
            lambda: list(
                Article.objects.exclude(**{self.field: ""})
                .order_by(self.field)
                .values_list(self.field, flat=True)
                .distinct()[:100]
            ),
            timeout=600,
        )
        return [(value, value) for value in values]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field: self.value()})
        return queryset


class CategoryFilter(DistinctValueFilter):
    title = "category"
    parameter_name = "category"
    field = "category"


class TypeFilter(DistinctValueFilter):
    title = "type"
    parameter_name = "type"
    field = "type"


class ImportRunFilter(admin.SimpleListFilter):
    title = "import run"
    parameter_name = "import_run"
    RECENT = 8

    def lookups(self, request, model_admin):
        # An import that changes articles bumps the reader-pages version, so a run with articles
        # to filter by is listed at once; one that changed nothing has none.
        choices = remembered(
            f"newsroom:admin:recent-import-runs:{reader_pages_version()}",
            lambda: [(str(run.pk), run_label(run)) for run in self.recent_runs()],
            timeout=600,
        )
        value = self.value()
        if value and value.isdigit() and all(pk != value for pk, _ in choices):
            choices = choices + [
                (str(run.pk), run_label(run))
                for run in ImportRun.objects.filter(pk=value).only("started_at", "status")
            ]
        return choices

    def recent_runs(self):
        return ImportRun.objects.only("started_at", "status")[: self.RECENT]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(import_run_id=value)
        return queryset


def run_label(run):
    return f"#{run.pk}, {when(run.started_at)} ({run.status})"


class SearchableChoiceFilter(admin.ListFilter):
    """A filter over thousands of choices (providers, topics): a small search box lists the
    matching ones as links. Works without JavaScript; only costs a query when used."""

    template = "admin/articles/searchable_filter.html"
    parameter_name = ""
    search_parameter = ""
    placeholder = ""
    LIMIT = 12

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in (self.parameter_name, self.search_parameter):
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]
        value = self.used_parameters.get(self.parameter_name, "")
        self.value = value if value.isdigit() else None
        self.search = self.used_parameters.get(self.search_parameter, "").strip()[:100]

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name, self.search_parameter]

    model = None  # what is chosen: Provider, Tag

    def matching(self, search):
        """The model instances whose names match `search`."""
        raise NotImplementedError

    def options(self):
        """The model instances to offer: the selected one, then the search's matches."""
        found = self.matching(self.search).order_by("name")[: self.LIMIT] if self.search else []
        selected = list(self.model.objects.filter(pk=self.value)) if self.value else []
        return selected + [option for option in found if str(option.pk) != self.value]

    def filter(self, queryset, pk):
        raise NotImplementedError

    def queryset(self, request, queryset):
        if self.value:
            return self.filter(queryset, self.value)
        return queryset

    def choices(self, changelist):
        # What the search form must carry along so that it keeps the other filters.
        self.hidden = [
            (name, value)
            for name, value in changelist.params.items()
            if name not in (self.parameter_name, self.search_parameter)
        ]
        yield {
            "selected": self.value is None,
            "query_string": changelist.get_query_string(
                remove=[self.parameter_name, self.search_parameter]
            ),
            "display": "All",
        }
        for option in self.options():
            yield {
                "selected": str(option.pk) == self.value,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: option.pk}, [self.search_parameter]
                ),
                "display": str(option),
            }


class ProviderFilter(SearchableChoiceFilter):
    title = "provider"
    parameter_name = "provider"
    search_parameter = "provider_q"
    placeholder = "Name or domain"

    model = Provider

    def matching(self, search):
        return Provider.objects.filter(
            Q(name__icontains=search) | Q(domain__icontains=search.lower())
        )

    def filter(self, queryset, pk):
        return queryset.filter(provider_id=pk)


class TopicFilter(SearchableChoiceFilter):
    title = "topic"
    parameter_name = "topic"
    search_parameter = "topic_q"
    placeholder = "Topic"

    model = Tag

    def matching(self, search):
        return Tag.objects.filter(name__icontains=search)

    def filter(self, queryset, pk):
        # One row per article and topic (unique), so no duplicates and no DISTINCT.
        return queryset.filter(taggedarticle__tag_id=pk)


# --- Articles -----------------------------------------------------------------------------------


class RelatedLinkInline(admin.TabularInline):
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

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["published", "publish_at", "unpublish_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
    list_select_related = ["provider", "reviewed_by"]
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
                    "secured",
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

    def has_publish_permission(self, request, obj=None):
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

    def get_readonly_fields(self, request, obj=None):
        editable = self.EDITOR_FIELDS if self.has_publish_permission(request) else ()
        fields = [
            field.name
            for field in Article._meta.get_fields()
            if field.concrete and not field.many_to_many and field.name not in editable
        ]
        return fields + ["topic_list", "source_link", "visibility", "history"]

    @admin.display(description="at the source")
    def source_link(self, article):
        links = []
        if article.web_url:
            links.append(external_link(article.web_url, article.web_url))
        if article.original_url and article.original_url != article.web_url:
            links.append(external_link(article.original_url, f"original: {article.original_url}"))
        return format_html_join(mark_safe("<br>"), "{}", ((link,) for link in links)) or "—"

    @admin.display(description="readers see it now")
    def visibility(self, article):
        if article.is_visible():
            return format_html(
                'Yes — <a href="{}">open on the site</a>', article.get_absolute_url()
            )
        preview = reverse("admin:articles_article_preview", args=[article.pk])
        return format_html('No — <a href="{}">preview it as readers would see it</a>', preview)

    @admin.display(description="review history")
    def history(self, article):
        decisions = list(article.decisions.select_related("editor")[:20])
        if not decisions:
            return "No decisions yet."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    when(d.decided_at),
                    d.get_change_display(),
                    schedule_text(d.publish_at, d.unpublish_at),
                    username(d.editor),
                    d.get_via_display(),
                )
                for d in decisions
            ),
        )
        all_url = changelist_url("reviewdecision", article=article.pk)
        return format_html(
            '<table class="review-history"><thead><tr><th>when</th><th>decision</th>'
            "<th>schedule</th><th>editor</th><th>via</th></tr></thead><tbody>{}</tbody>"
            '</table><p><a href="{}">All decisions on this article</a></p>',
            rows,
            all_url,
        )

    def view_on_site(self, article):
        if article.is_visible():
            return article.get_absolute_url()
        return reverse("admin:articles_article_preview", args=[article.pk])

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
            path("<path:object_id>/preview/", preview, name="articles_article_preview"),
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


# --- Review decisions ---------------------------------------------------------------------------


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    """Recent decisions, for editors: read-only, newest first."""

    list_display = ["decided_at", "article_link", "change", "schedule", "editor_name", "via"]
    list_filter = ["change", "via"]
    list_select_related = ["article", "editor"]
    search_fields = ["article__title"]
    date_hierarchy = "decided_at"
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": "Recent decisions", **(extra_context or {})}
        )

    @admin.display(description="article", ordering="article__title")
    def article_link(self, decision):
        url = reverse("admin:articles_article_change", args=[decision.article_id])
        return format_html('<a href="{}">{}</a>', url, decision.article.title)

    @admin.display(description="schedule")
    def schedule(self, decision):
        return schedule_text(decision.publish_at, decision.unpublish_at)

    @admin.display(description="editor", ordering="editor__username")
    def editor_name(self, decision):
        return username(decision.editor)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Import runs --------------------------------------------------------------------------------


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "started_by",
        "status",
        "files_seen",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "warnings",
        "articles_link",
    ]
    list_filter = ["status"]
    fields = [
        ("started_at", "finished_at"),
        ("started_by", "status"),
        "paths",
        ("files_seen", "created", "updated", "unchanged", "rejected", "warnings"),
        "articles_link",
        "rejection_table",
        "warning_list",
    ]
    readonly_fields = [
        name for item in fields for name in (item if isinstance(item, tuple) else [item])
    ]

    @admin.display(description="articles")
    def articles_link(self, run):
        url = changelist_url("article", import_run=run.pk)
        return format_html('<a href="{}">Articles this run created or changed</a>', url)

    @admin.display(description="rejected files")
    def rejection_table(self, run):
        if not run.rejections:
            return "None."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((r.get("file", ""), r.get("line") or "", r.get("reason", "")) for r in run.rejections),
        )
        return format_html(
            "<table><thead><tr><th>file</th><th>line</th><th>reason</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="warnings")
    def warning_list(self, run):
        if not run.warning_messages:
            return "None."
        items = format_html_join("", "<li>{}</li>", ((w,) for w in run.warning_messages))
        return format_html("<ul>{}</ul>", items)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Providers ----------------------------------------------------------------------------------


class ProviderAdminForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = ["logo"]
        widgets = {
            "logo": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
            )
        }

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        self.logo_images = None
        if upload and upload != self.initial.get("logo") and hasattr(upload, "content_type"):
            self.logo_images = logos.process_logo(upload)
        return upload


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    class Media:
        css = {"all": ["articles/admin/review_desk.css"]}  # no inline styles under the CSP

    form = ProviderAdminForm
    list_display = ["thumbnail", "name", "domain", "article_count"]
    list_display_links = ["name"]
    search_fields = ["name", "domain"]
    readonly_fields = ["name", "domain", "thumbnail", "article_count"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "domain", "logo", "thumbnail", "article_count"],
                "description": "The name and domain come from the seed files (each import "
                "brings the latest name); the logo is the newsroom's own.",
            },
        )
    ]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, provider):
        count = getattr(provider, "article_count", None)
        if count is None:
            return "—"
        url = changelist_url("article", provider=provider.pk)
        return format_html('<a href="{}">{}</a>', url, count)

    @admin.display(description="thumbnail")
    def thumbnail(self, provider):
        if not provider.logo_thumbnail:
            return "—"
        return format_html(
            '<img class="provider-thumbnail" src="{}" alt="">',
            provider.logo_thumbnail.url,
        )

    def has_add_permission(self, request):
        return False  # providers come with the articles of an import

    def save_model(self, request, obj, form, change):
        if "logo" in form.changed_data:
            obj.set_logo(form.logo_images)  # the checked images, not the raw upload
        super().save_model(request, obj, form, change)
