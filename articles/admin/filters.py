"""The lists' filters (mostly the article list's). None scans the articles to list its choices:
choices over large or changing sets are cached (`remembered`) or searched for
(`SearchableChoiceFilter`). A filter that takes an id reads it with `database_id`."""

import operator
from functools import reduce

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import F, Q
from django.utils.functional import cached_property
from taggit.models import Tag

from articles.admin.display import when
from articles.admin.strict import database_id
from articles.models import Article, ImportRun, Provider
from articles.page_cache import reader_pages_version, remembered


class ReviewStateFilter(admin.SimpleListFilter):
    """Several states at once, comma-separated (`?review=waiting,live-not-reviewed`): an article
    in any of them is listed. `?review=waiting` alone is the review queue."""

    title = "review state"
    parameter_name = "review"
    SEPARATOR = ","
    STATES = {
        "waiting": ("Waiting for review", lambda articles: articles.waiting_for_review()),
        "live-not-reviewed": ("Live, not reviewed", lambda articles: articles.live_not_reviewed()),
        "published": ("Published", lambda articles: articles.filter(published=True)),
        "live": ("Published and visible now", lambda articles: articles.published()),
        "scheduled": (
            "Published, with a schedule",
            lambda articles: articles.filter(published=True).filter(
                Q(publish_at__isnull=False) | Q(unpublish_at__isnull=False)
            ),
        ),
        "unpublished": ("Unpublished", lambda articles: articles.filter(published=False)),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.STATES.items()]

    def chosen(self):
        """The states asked for, in the order this filter lists them."""
        asked = set((self.value() or "").split(self.SEPARATOR)) - {""}
        unknown = asked - set(self.STATES)
        if unknown:
            raise IncorrectLookupParameters(f"No such review state: {sorted(unknown)}")
        return [value for value in self.STATES if value in asked]

    def queryset(self, request, queryset):
        chosen = self.chosen()
        if not chosen:
            return queryset
        # Each state is the model's own rule (`published()`, `live_not_reviewed()`); OR-ing the
        # querysets ORs their conditions in one query.
        return reduce(operator.or_, (self.STATES[value][1](queryset) for value in chosen))

    def choices(self, changelist):
        chosen = self.chosen()
        yield {
            "selected": not chosen,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
        }
        for value, label in self.lookup_choices:
            selected = value in chosen
            toggled = [other for other in chosen if other != value] + ([] if selected else [value])
            toggled = [state for state in self.STATES if state in toggled]  # a canonical URL
            # A click adds the state to the ones chosen, or takes it away.
            query_string = (
                changelist.get_query_string({self.parameter_name: self.SEPARATOR.join(toggled)})
                if toggled
                else changelist.get_query_string(remove=[self.parameter_name])
            )
            yield {
                "selected": selected,
                "query_string": query_string,
                "display": f"✓ {label}" if selected else label,
                # For the active filters at the top of the list (templatetags/review_desk.py).
                "label": label,
                "remove_query_string": query_string if selected else None,
            }


# The query string of the review queue: never-reviewed articles (sorted best first by the
# article admin's ordering). Where the index and the navigation link "Articles".
REVIEW_QUEUE_QUERY = f"{ReviewStateFilter.parameter_name}=waiting"


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
        pk = database_id(self.value())
        if pk is not None and all(choice != str(pk) for choice, _ in choices):
            choices = choices + [
                (str(run.pk), run_label(run))
                for run in ImportRun.objects.filter(pk=pk).only("started_at", "status", "rejected")
            ]
        return choices

    def recent_runs(self):
        return ImportRun.objects.only("started_at", "status", "rejected")[: self.RECENT]

    def queryset(self, request, queryset):
        pk = database_id(self.value())
        return queryset if pk is None else queryset.filter(import_run_id=pk)


def run_label(run):
    return f"#{run.pk}, {when(run.started_at)} ({run.state})"


class SearchableChoiceFilter(admin.ListFilter):
    """A filter over thousands of choices (providers, topics): a small search box lists the
    matching ones as links. Works without JavaScript; only costs a query when used."""

    template = "admin/articles/searchable_filter.html"
    parameter_name = ""
    search_parameter = ""
    placeholder = ""
    model = None  # what is chosen: Provider, Tag
    LIMIT = 12

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in (self.parameter_name, self.search_parameter):
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]
        pk = database_id(self.used_parameters.get(self.parameter_name))
        self.value = None if pk is None else str(pk)  # not an id: ignored, as "All"
        self.search = self.used_parameters.get(self.search_parameter, "").strip()[:100]

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name, self.search_parameter]

    def matching(self, search):
        """The model instances whose names match `search`."""
        raise NotImplementedError

    @cached_property
    def offered(self):
        """The model instances to offer: the selected one, then the search's matches. Read once
        for the sidebar and the active filters at the top of the list."""
        found = self.matching(self.search).order_by("name")[: self.LIMIT] if self.search else []
        selected = list(self.model.objects.filter(pk=self.value)) if self.value else []
        return selected + [option for option in found if str(option.pk) != self.value]

    def filter(self, queryset, pk):
        """The articles that go with the chosen model instance."""
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
        for option in self.offered:
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


class DecisionArticleFilter(admin.SimpleListFilter):
    """The decisions on one article, which its page links to; offered only once chosen."""

    title = "article"
    parameter_name = "article"

    def lookups(self, request, model_admin):
        pk = database_id(self.value())
        if pk is None:
            return []
        title = Article.objects.filter(pk=pk).values_list("title", flat=True).first()
        return [(self.value(), title or f"#{pk} (no longer there)")]

    def queryset(self, request, queryset):
        pk = database_id(self.value())
        return queryset if pk is None else queryset.filter(article_id=pk)
