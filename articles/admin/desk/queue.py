"""The desk's queue: which waiting articles one editor sees with one set of filters, in which
order, a page at a time, one entry per story or per article; and the editor's saved views.

The queue is `Article.objects.waiting_for_review()` narrowed by the article list's own filters
(articles/admin/filters.py) and its own search (`ArticleAdmin.get_search_results`), in the
list's own order (`ArticleAdmin.get_ordering`): the desk and the list never disagree.
"""

from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, RowNumber
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from articles.admin.changelist import QUEUE_ORDER, after_in_queue_order
from articles.admin.desk.flags import flag_marks, flagged, flagged_for
from articles.admin.display import username, when
from articles.admin.filters import (
    CategoryFilter,
    ProviderFilter,
    QualityBandFilter,
    SourceDisagreesFilter,
    TopicFilter,
)
from articles.db.compiled import capped_counts
from articles.models import Article, RelatedLink, SavedDeskView, Story, database_id
from articles.page_cache import remembered


class DeskCategoryFilter(CategoryFilter):
    """The list's category filter, its choices kept for ten minutes whatever happens: the list
    keys them on the reader pages' version, which each publish bumps, and the desk would then
    list every article's category again (a scan) on the page load after each decision."""

    def lookups(self, request, model_admin):
        return remembered(
            "newsroom:admin:desk-categories",
            lambda: list(super(DeskCategoryFilter, self).lookups(request, model_admin)),
            timeout=600,
        )


PAGE_SIZE = 25
SAVED_VIEWS_SHOWN = 12
COUNT_CAP = 999  # a saved view's badge says "999+" beyond
# The list's own filters, reused as they are (their parameters, their rules).
LIST_FILTERS = [
    ProviderFilter,
    TopicFilter,
    DeskCategoryFilter,
    QualityBandFilter,
    SourceDisagreesFilter,
]
LIVE = "live"  # "live, not reviewed" (`Article.objects.live_not_reviewed`)
TODAY = "today"  # arrived today (imported since midnight, the site's time zone)
SEARCH = "q"
AFTER = "after"  # the queue continues after this article (keyset paging, robust to decisions)
AT = "at"  # the item in the reading pane
GROUP = "group"  # "story": one entry per story; "none": one per article; absent: by default
GROUPINGS = ("story", "none")
FLAGGED = "flagged"  # flagged by an import rule for any saved view
VIEW = "view"  # a saved view opened: its filters' matches, or what rules flagged for it
QUERY_PARAMETERS = [f.parameter_name for f in LIST_FILTERS] + [
    LIVE,
    TODAY,
    SEARCH,
    GROUP,
    FLAGGED,
    VIEW,
]
MAX_VALUE_LENGTH = 200


def desk_query(params) -> QueryDict:
    """The desk's own parameters from `params` (a QueryDict), one value each, trimmed; anything
    else is dropped. What the URL keeps, what a saved view stores."""
    query = QueryDict(mutable=True)
    for name in QUERY_PARAMETERS:
        value = params.get(name, "").strip()[:MAX_VALUE_LENGTH]
        if name == GROUP and value not in GROUPINGS:
            continue
        if value and "\x00" not in value:
            query[name] = value
    return query


def view_query(view: SavedDeskView) -> QueryDict:
    """The desk's parameters that open the saved view `view`: its filters, and itself."""
    query = desk_query(QueryDict(view.query))
    query[VIEW] = str(view.pk)
    return query


def desk_url(query: QueryDict | str = "", **extra) -> str:
    """The desk with the parameters of `query` (its own only), and `extra` ones (AFTER, AT)."""
    params = QueryDict(query if isinstance(query, str) else query.urlencode(), mutable=True)
    params = desk_query(params)
    for name, value in extra.items():
        if value is not None:
            params[name] = str(value)
    encoded = params.urlencode()
    return reverse("admin:desk") + (f"?{encoded}" if encoded else "")


# A story entry shows (and its story decisions decide) at most this many of its waiting
# articles, the lead first: a story of 5,000 made each desk load read them all (7.5 s).
STORY_MEMBERS_SHOWN = 25
# A story of more articles than this is listed by numbering the queue (`_firsts_of_stories`).
BIG_STORY = 200


class Desk:
    """The queue as one editor sees it with one set of filters."""

    def __init__(self, request, article_admin, query: QueryDict, view=None):
        self.request, self.article_admin, self.query = request, article_admin, query
        self._view = view
        if self.view is not None:
            # A saved view opened is its own filters (the grouping asked for kept).
            opened = view_query(self.view)
            if GROUP in query:
                opened[GROUP] = query[GROUP]
            self.query = opened

    @property
    def view(self) -> SavedDeskView | None:
        """The saved view opened (`?view=<id>`), whoever saved it: rules flag for any."""
        if self._view is None and VIEW in self.query:
            pk = database_id(self.query[VIEW])
            self._view = SavedDeskView.objects.filter(pk=pk).first() if pk else None
        return self._view

    @property
    def grouped(self) -> bool:
        """One entry per story: when asked, and by default once a story has several articles."""
        if GROUP in self.query:
            return self.query[GROUP] == "story"
        return remembered(
            "newsroom:admin:desk-has-stories",
            lambda: Story.objects.filter(size__gt=1).exists(),
            timeout=600,
        )

    def filters(self):
        params = {name: [value] for name, value in self.query.items()}
        return [f(self.request, params, Article, self.article_admin) for f in LIST_FILTERS]

    def queryset(self, filters=None):
        """The waiting articles these filters and this search keep (unordered, unsliced)."""
        queryset = Article.objects.waiting_for_review()
        for list_filter in filters if filters is not None else self.filters():
            queryset = list_filter.queryset(self.request, queryset)
        if self.query.get(LIVE):
            queryset = queryset.live_not_reviewed()
        if self.query.get(TODAY):
            midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
            queryset = queryset.filter(created_at__gte=midnight)
        if self.query.get(SEARCH):
            queryset, _ = self.article_admin.get_search_results(
                self.request, queryset, self.query[SEARCH]
            )
        if self.query.get(FLAGGED):
            queryset = queryset.filter(flagged())
        if self.view is not None:
            # The view's filters' matches, or what a rule flagged for it (waiting, as all).
            queryset = Article.objects.waiting_for_review().filter(
                Q(pk__in=queryset.values("pk")) | flagged_for(self.view)
            )
        return queryset

    def items(self, after=None, limit=PAGE_SIZE, filters=None):
        """A page of the queue, best first, optionally after the article `after` (their topics
        and related links are fetched by `entries`, for the articles shown)."""
        queryset = self.queryset(filters)
        if self.grouped:
            # A story is listed once, where its first waiting article (in queue order, among
            # those these filters keep) is: the keyset paging below stays as it is.
            queryset = queryset.filter(self._first_of_its_story(queryset))
        if after is not None:
            queryset = queryset.filter(after_in_queue(after))
        return list(
            queryset.order_by(*self.article_admin.get_ordering(self.request))
            .select_related("provider", "story")
            .defer("secured", "extra")[:limit]
        )

    @staticmethod
    def _first_of_its_story(queryset) -> Q:
        """The articles of `queryset` that come first of their story in queue order (and those
        without a story). Per row, a subquery of its story's first one: cheap while
        stories are small (the page's LIMIT stops the walk early), but it sorts the story for
        each of its members (33 s on SQLite for one story of 5,000). Once a story is that big,
        a window numbers the whole queue in one pass instead (about 0.4 s at 100,000)."""
        if not remembered(
            "newsroom:admin:desk-has-big-stories",
            lambda: Story.objects.filter(size__gt=BIG_STORY).exists(),
            timeout=600,
        ):
            first = queryset.filter(story=OuterRef("story")).order_by(*QUEUE_ORDER)
            return Q(story__isnull=True) | Q(pk=Subquery(first.values("pk")[:1]))
        # An article without a story is a partition of its own.
        place = Window(
            RowNumber(), partition_by=Coalesce(F("story"), -F("id")), order_by=QUEUE_ORDER
        )
        return Q(pk__in=queryset.annotate(place=place).filter(place=1).values("pk"))

    def entries(self, articles: list[Article]) -> list[dict]:
        """The desk's entries for `articles` (in queue order): one per article, or, grouped,
        one per story with several waiting articles, at its first article's place, showing the
        lead (`Story.desk_lead`) with the others, `STORY_MEMBERS_SHOWN` at most, and how many
        wait in all. One query for all the stories' members."""
        stories = {a.story_id for a in articles if a.story_id} if self.grouped else set()
        members = {}
        if stories:
            lead_first = Case(When(pk=F("story__lead"), then=Value(0)), default=Value(1))
            by_story = {"partition_by": F("story")}
            for member in (
                self.queryset()
                .filter(story__in=stories)
                .annotate(
                    place=Window(RowNumber(), order_by=[lead_first, *Story.LEAD_ORDER], **by_story),
                    waiting_in_story=Window(Count("pk"), **by_story),
                )
                .filter(place__lte=STORY_MEMBERS_SHOWN)
                .order_by("story", "place")
                .select_related("provider", "story")
                .defer("secured", "extra")
            ):
                members.setdefault(member.story_id, []).append(member)
        entries, seen_stories = [], set()
        for article in articles:
            waiting = members.get(article.story_id, [])
            if len(waiting) < 2:
                entries.append({"key": article, "article": article, "story": None})
                continue
            if article.story_id in seen_stories:
                continue
            seen_stories.add(article.story_id)
            lead = article.story.desk_lead(waiting)
            lead = article if lead.pk == article.pk else lead
            entries.append({"key": article, "article": lead, "story": waiting})
        live = self._live_in(seen_stories)
        for entry in entries:
            if entry["story"]:
                entry["live"] = live.get(entry["key"].story_id, (0, False))
        prefetch_related_objects(
            [entry["article"] for entry in entries],
            "topics",
            Prefetch("related_links", queryset=RelatedLink.objects.select_related("provider")),
        )
        marks = flag_marks([entry["article"].pk for entry in entries]) if entries else {}
        for entry in entries:
            entry["flag"] = marks.get(entry["article"].pk, "")
        return entries

    @staticmethod
    def _live_in(stories) -> dict:
        """Of each story, how many articles readers see now, and whether its lead is one of
        them (one query for all)."""
        if not stories:
            return {}
        rows = (
            Article.objects.published()
            .filter(story__in=stories)
            .order_by()
            .values("story")
            .annotate(live=Count("pk"), lead=Count("pk", filter=Q(pk=F("story__lead"))))
            .values_list("story", "live", "lead")
        )
        return {story: (live, bool(lead)) for story, live, lead in rows}

    def back_in_queue(self, article_ids) -> list[Article]:
        """The articles `article_ids` that wait again (after an undo), in queue order, with
        what their entries show."""
        return list(
            self.queryset()
            .filter(pk__in=article_ids)
            .order_by(*QUEUE_ORDER)
            .select_related("provider", "story")
            .prefetch_related("topics", "related_links__provider")
        )


def after_in_queue(pk) -> Q:
    """The articles after article `pk` in the queue's order (`changelist.after_in_queue_order`)."""
    article = Article.objects.filter(pk=pk).only("quality", "heat", "source_published_at").first()
    return Q(pk__in=[]) if article is None else after_in_queue_order(article)


def decided_note(article) -> str:
    """How an article left the queue, for an editor who reaches it afterwards."""
    state = "published" if article.published else "kept unpublished"
    who, at = username(article.reviewed_by), when(article.reviewed_at)
    return f"Already decided by {who} at {at}: {state}."


def saved_views(request, article_admin) -> list[dict]:
    """The editor's saved views, each with its count of waiting items (one query for all),
    counted no further than COUNT_CAP ("999+")."""
    views = list(SavedDeskView.objects.filter(owner=request.user)[:SAVED_VIEWS_SHOWN])
    desks = [Desk(request, article_admin, view_query(view), view) for view in views]
    counts = capped_counts([desk.queryset() for desk in desks], COUNT_CAP + 1)
    current = desk_query(request.GET).urlencode()
    return [
        {
            "view": view,
            "url": desk_url(desk.query),
            "count": f"{COUNT_CAP}+" if count > COUNT_CAP else str(count),
            "current": desk.query.urlencode() == current,
            "delete_url": reverse("admin:desk_delete_view", args=[view.pk]),
        }
        for view, desk, count in zip(views, desks, counts, strict=True)
    ]
