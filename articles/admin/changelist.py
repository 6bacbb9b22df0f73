"""How the article list reads the database: an estimated count instead of a scan, none of the
long columns it never shows, and a search capped at its newest matches (say so on the page)."""

from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.paginator import Paginator
from django.db.models import F, OrderBy, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.functional import cached_property

from articles.admin import queue_search as search
from articles.admin.strict import StrictChangeList
from articles.db.estimates import estimated_count


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, the unfiltered list counts from the planner's statistics, not COUNT(*).

    The exact number of all articles does not help an editor page through them; the estimate
    (`articles.db.estimates.estimated_count`) is close enough for "page 3 of 2,000". Filtered
    lists, small tables and other databases count exactly.
    """

    EXACT_BELOW = 10_000

    @cached_property
    def count(self):
        estimate = estimated_count(self.object_list, exact_below=self.EXACT_BELOW)
        return super().count if estimate is None else estimate


EXCERPT_CHARS = 140  # of the excerpt, under each title in the list


class ArticleChangeList(StrictChangeList):
    # Sortable columns that may be empty: empty ones go last whichever way they are sorted
    # (PostgreSQL would put them first in a descending sort, SQLite in an ascending one).
    NULLS_LAST = {"quality", "heat"}

    # Set when more articles match the search than the list holds (LISTED_AT_MOST).
    search_capped = False
    unsearched_queryset = None  # then, for the date bar's years

    def get_queryset(self, request, exclude_parameters=None):
        # Filtered and ordered by Django, searched here: the list holds the newest
        # LISTED_AT_MOST matches, so counting, dating and ordering them costs the same in any
        # archive. Filters and dates narrow the list before the cap.
        search, self.query = self.query, ""
        try:
            queryset = super().get_queryset(request, exclude_parameters)
        finally:
            self.query = search
        if search:
            queryset = self._searched(request, queryset)
        # The list never shows the long columns; reading them for 50 rows costs more than the
        # rest of the row. Of the excerpt it reads only the start it shows.
        queryset = queryset.defer("body", "secured", "extra", "excerpt")
        return queryset.annotate(excerpt_start=Substr("excerpt", 1, EXCERPT_CHARS + 1))

    def _searched(self, request, queryset):
        found = self.model_admin.newest_search_results(
            queryset, self.query, self.listed_at_most + 1
        )
        if found is None:  # nothing to look for, only words to leave out: every match
            return self.model_admin.get_search_results(request, queryset, self.query)[0]
        self.search_capped = len(found) > self.listed_at_most
        if self.search_capped:
            # The date bar's years: those of the list unsearched, rather than of the newest
            # matches only (older matches are a year's click away).
            self.unsearched_queryset = queryset
        return queryset.filter(pk__in=found[: self.listed_at_most])

    @property
    def listed_at_most(self):
        return search.LISTED_AT_MOST

    def get_ordering(self, request, queryset):
        return [self._nulls_last(item) for item in super().get_ordering(request, queryset)]

    def _nulls_last(self, item):
        if isinstance(item, str) and item.lstrip("-") in self.NULLS_LAST:
            item = F(item.lstrip("-")).desc() if item.startswith("-") else F(item).asc()
        if isinstance(item, OrderBy) and getattr(item.expression, "name", "") in self.NULLS_LAST:
            return OrderBy(item.expression, descending=item.descending, nulls_last=True)
        return item

    def get_results(self, request):
        super().get_results(request)
        # Each title links to its page with the list's filters, which "Save and next" follows.
        self.result_list = list(self.result_list)
        preserved = {"preserved_filters": self.preserved_filters, "opts": self.opts}
        for article in self.result_list:
            url = reverse("admin:articles_article_change", args=[article.pk])
            article.listed_url = add_preserved_filters(preserved, url)


class ListedArticles(ArticleChangeList):
    """The list's articles, filtered and searched, without reading a page of them."""

    def get_results(self, request):
        pass


# The review queue's order, best first: quality, then heat (articles without them last), then
# newest. The list's default ordering, "Save and next", and the indexes of migration 0006.
QUEUE_ORDER = [
    F("quality").desc(nulls_last=True),
    F("heat").desc(nulls_last=True),
    F("source_published_at").desc(),
    F("id").desc(),
]


def _after(field, value, rest, nullable):
    """Rows after `value` in `field`, descending with NULLs last; ties decided by `rest`."""
    if value is None:  # among the NULLs, at the end: only ties remain
        return Q(**{f"{field}__isnull": True}) & rest
    later = Q(**{f"{field}__lt": value})
    if nullable:
        later |= Q(**{f"{field}__isnull": True})
    return later | (Q(**{field: value}) & rest)


def after_in_queue_order(article) -> Q:
    """The articles that come after `article` in `QUEUE_ORDER`: a keyset condition the queue's
    index answers, where an OFFSET would count every article before it."""
    condition = Q(id__lt=article.id)
    condition = _after("source_published_at", article.source_published_at, condition, False)
    condition = _after("heat", article.heat, condition, True)
    return _after("quality", article.quality, condition, True)


def next_in_queue(queryset, article):
    """The article to open after deciding `article`: the next one still waiting in `queryset`
    (the list the editor came from, narrowed to the queue) in queue order, else the first one
    skipped before it; None when none waits."""
    waiting = queryset.waiting_for_review().exclude(pk=article.pk)
    waiting = waiting.select_related(None).prefetch_related(None).order_by(*QUEUE_ORDER)
    waiting = waiting.only("pk")
    return waiting.filter(after_in_queue_order(article)).first() or waiting.first()
