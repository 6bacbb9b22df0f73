"""The review desk, /admin/desk/: the review queue beside a reading pane, decided by keys.

Thin views over the domain: the queue is `Article.objects.waiting_for_review()` narrowed by the
article list's own filters (filters.py) and its own search (`ArticleAdmin.get_search_results`),
in the list's own order (`ArticleAdmin.get_ordering`); decisions go through
`ArticleQuerySet.decide_waiting` / `set_schedule` and undo through
`ReviewDecisionQuerySet.undo_last`, all recorded with `via="desk"`.

Every page works without JavaScript (forms that post and redirect back to the desk);
static/articles/admin/desk.js adds the keys and posts in the background, asking for JSON with
`Accept: application/json`. Deciding needs `articles.publish_article`, checked here on every
POST; reading needs only the view permission.
"""

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from taggit.models import Tag

from articles.admin.article_page import preview_url
from articles.admin.changelist import QUEUE_ORDER, after_in_queue_order
from articles.admin.display import username, when
from articles.admin.filters import (
    CategoryFilter,
    ProviderFilter,
    QualityBandFilter,
    SourceDisagreesFilter,
    TopicFilter,
)
from articles.db.estimates import capped_counts
from articles.models import (
    Article,
    Provider,
    RelatedLink,
    ReviewDecision,
    SavedDeskView,
    Story,
    database_id,
)
from articles.page_cache import remembered
from articles.reader.markdown import http_url, render_body


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
SEARCH = "q"
AFTER = "after"  # the queue continues after this article (keyset paging, robust to decisions)
AT = "at"  # the item in the reading pane
GROUP = "group"  # "story": one entry per story; "none": one per article; absent: by default
GROUPINGS = ("story", "none")
QUERY_PARAMETERS = [f.parameter_name for f in LIST_FILTERS] + [LIVE, SEARCH, GROUP]
MAX_VALUE_LENGTH = 200
MAX_MEMBERS = 1000  # a story decision names at most this many articles


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


def desk_url(query: QueryDict | str = "", **extra) -> str:
    params = QueryDict(query if isinstance(query, str) else query.urlencode(), mutable=True)
    params = desk_query(params)
    for name, value in extra.items():
        if value is not None:
            params[name] = str(value)
    encoded = params.urlencode()
    return reverse("admin:desk") + (f"?{encoded}" if encoded else "")


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class Desk:
    """The queue as one editor sees it with one set of filters."""

    def __init__(self, request, article_admin, query: QueryDict):
        self.request, self.article_admin, self.query = request, article_admin, query

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
        if self.query.get(SEARCH):
            queryset, _ = self.article_admin.get_search_results(
                self.request, queryset, self.query[SEARCH]
            )
        return queryset

    def items(self, after=None, limit=PAGE_SIZE, filters=None):
        """A page of the queue, best first, optionally after the article `after` (their topics
        and related links are fetched by `entries`, for the articles shown)."""
        queryset = self.queryset(filters)
        if self.grouped:
            # A story is listed once, where its first waiting article (in queue order, among
            # those these filters keep) is: the keyset paging below stays as it is.
            first_of_story = queryset.filter(story=OuterRef("story")).order_by(*QUEUE_ORDER)
            queryset = queryset.filter(
                Q(story__isnull=True) | Q(pk=Subquery(first_of_story.values("pk")[:1]))
            )
        if after is not None:
            queryset = queryset.filter(after_in_queue(after))
        return list(
            queryset.order_by(*self.article_admin.get_ordering(self.request))
            .select_related("provider", "story")
            .defer("secured", "extra")[:limit]
        )

    def entries(self, articles: list[Article]) -> list[dict]:
        """The desk's entries for `articles` (in queue order): one per article, or, grouped,
        one per story with several waiting articles, at its first article's place, showing the
        lead (`Story.desk_lead`) with the others. One query for all the stories' members."""
        stories = {a.story_id for a in articles if a.story_id} if self.grouped else set()
        members = {}
        if stories:
            for member in (
                self.queryset()
                .filter(story__in=stories)
                .order_by("story", *Story.LEAD_ORDER)
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
        prefetch_related_objects(
            [entry["article"] for entry in entries],
            "topics",
            Prefetch("related_links", queryset=RelatedLink.objects.select_related("provider")),
        )
        return entries


def story_context(article, waiting) -> dict:
    """A story entry's facts: how many wait, of how many, from which providers, the others."""
    providers = sorted({a.provider.name for a in waiting}, key=str.lower)
    return {
        "story": article.story,
        "waiting": len(waiting),
        "providers": providers,
        "others": [a for a in waiting if a.pk != article.pk],
        "members": ",".join(str(a.pk) for a in waiting),
    }


def after_in_queue(pk) -> Q:
    """The articles after article `pk` in the queue's order (`listing.after_in_queue_order`)."""
    article = Article.objects.filter(pk=pk).only("quality", "heat", "source_published_at").first()
    return Q(pk__in=[]) if article is None else after_in_queue_order(article)


def decided_note(article) -> str:
    """How an article left the queue, for an editor who reaches it afterwards."""
    state = "published" if article.published else "kept unpublished"
    who, at = username(article.reviewed_by), when(article.reviewed_at)
    return f"Already decided by {who} at {at}: {state}."


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(required=False)
    unpublish_at = forms.DateTimeField(required=False)


# --- Views ---------------------------------------------------------------------------------


def _article_admin(site):
    return site._registry[Article]


def _back_to_desk(request, at):
    """Without JavaScript, after a POST: the desk with the editor's filters, on the page of the
    queue they were on (`query`, as the form carried it), at the item `at`."""
    posted = QueryDict(request.POST.get("query", ""))
    after = database_id(posted.get(AFTER, ""))
    return redirect(desk_url(desk_query(posted), **{AFTER: after, AT: at}))


def _article_id(value) -> int:
    pk = database_id(value)
    if pk is None:
        raise Http404("No such article.")
    return pk


def _can_decide(request, article_admin) -> bool:
    return article_admin.has_publish_permission(request)


def _refuse(request, message="Deciding needs the permission to publish articles."):
    if wants_json(request):
        return JsonResponse({"ok": False, "message": message}, status=403)
    raise PermissionDenied(message)


def _item_context(request, entry, query, can_decide, current=False, next_pk=None, after=None):
    # Where the item is: its filters, and the page of the queue it is on (`after`).
    place = desk_url(query, **{AFTER: after}).partition("?")[2]
    article = entry["article"]
    return {
        "article": article,
        "key": entry["key"].pk,  # its place in the queue: a story's first waiting article
        "story": story_context(article, entry["story"]) if entry["story"] else None,
        "current": current,
        "at_url": desk_url(query, **{AFTER: after, AT: entry["key"].pk}),
        "query": place,
        "next_pk": next_pk,
        "body": render_body(article.body),
        "source_url": http_url(article.web_url) or http_url(article.original_url),
        "change_url": reverse("admin:articles_article_change", args=[article.pk]),
        "preview_url": preview_url(article),
        "topics": sorted(article.topics.all(), key=lambda tag: tag.name.lower()),
        "related": [
            {"link": link, "url": http_url(link.url)} for link in article.related_links.all()
        ],
        "can_decide": can_decide,
    }


def _items_context(request, entries, query, can_decide, at=None, after=None):
    """Each entry (`Desk.entries`) with what its template needs; the one `at` (else the first)
    is current."""
    current = next((e for e in entries if e["key"].pk == at), entries[0] if entries else None)
    contexts = []
    for index, entry in enumerate(entries):
        following = entries[index + 1] if index + 1 < len(entries) else None
        context = _item_context(
            request,
            entry,
            query,
            can_decide,
            current=entry is current,
            next_pk=following["key"].pk if following else None,
            after=after,
        )
        context["provider_url"] = desk_url(query, provider=entry["article"].provider_id)
        context["topic_links"] = [
            (tag.name, desk_url(query, topic=tag.pk)) for tag in context["topics"]
        ]
        contexts.append(context)
    return contexts


def desk_view(site):
    @require_safe
    def view(request):
        article_admin = _article_admin(site)
        query = desk_query(request.GET)
        desk = Desk(request, article_admin, query)
        filters = desk.filters()
        after = database_id(request.GET.get(AFTER, ""))
        items = desk.items(after=after, limit=PAGE_SIZE + 1, filters=filters)
        has_more = len(items) > PAGE_SIZE
        items = items[:PAGE_SIZE]
        can_decide = _can_decide(request, article_admin)
        contexts = _items_context(
            request,
            desk.entries(items),
            query,
            can_decide,
            database_id(request.GET.get(AT, "")),
            after,
        )
        current = next((c for c in contexts if c["current"]), None)
        index = contexts.index(current) if current else 0
        saved_views = _saved_views(request, article_admin)
        context = {
            **site.each_context(request),
            "title": "Review desk",
            "is_nav_sidebar_enabled": False,  # the desk needs the width
            "items": contexts,
            "current": current,
            "previous_url": contexts[index - 1]["at_url"] if current and index > 0 else "",
            "next_url": contexts[index + 1]["at_url"] if index + 1 < len(contexts) else "",
            "has_more": has_more,
            "more_url": desk_url(query, **{AFTER: items[-1].pk}) if has_more else "",
            "query": query.urlencode(),
            "grouped": desk.grouped,
            "group_toggle_url": desk_url(query, **{GROUP: "none" if desk.grouped else "story"}),
            "search": query.get(SEARCH, ""),
            "filters": _filter_form(request, query, filters),
            "saved_views": saved_views,
            "can_decide": can_decide,
            "desk_url": desk_url(),
            "items_url": reverse("admin:desk_items"),
            "state_url": reverse("admin:desk_state"),
        }
        return TemplateResponse(request, "admin/desk/desk.html", context)

    return view


def _filter_form(request, query, filters):
    """What the filter form offers: the list filters' own choices, the chosen provider and
    topic by name (chosen from an item's links, not from a list of thousands)."""
    by_name = {f.parameter_name: f for f in filters}
    selects = []
    for parameter in ("quality_band", "category", "disagrees"):
        list_filter = by_name[parameter]
        selects.append(
            {
                "name": parameter,
                "label": list_filter.title.capitalize(),
                "value": query.get(parameter, ""),
                "choices": list(list_filter.lookup_choices),
            }
        )
    chosen = []
    for parameter, model in (("provider", Provider), ("topic", Tag)):
        pk = database_id(query.get(parameter, ""))
        if pk is not None:
            name = model.objects.filter(pk=pk).values_list("name", flat=True).first()
            remaining = query.copy()
            del remaining[parameter]
            chosen.append(
                {
                    "name": parameter,
                    "value": pk,
                    "label": f"{parameter.capitalize()}: {name or f'#{pk}'}",
                    "remove_url": desk_url(remaining),
                }
            )
    return {
        "selects": selects,
        "chosen": chosen,
        "live": bool(query.get(LIVE)),
        "active": bool(query),
    }


def _saved_views(request, article_admin):
    """The editor's saved views, each with its count of waiting items (one query for all)."""
    views = list(SavedDeskView.objects.filter(owner=request.user)[:SAVED_VIEWS_SHOWN])
    counts = capped_counts(
        [Desk(request, article_admin, QueryDict(view.query)).queryset() for view in views],
        COUNT_CAP + 1,
    )
    current = desk_query(request.GET).urlencode()
    return [
        {
            "view": view,
            "url": desk_url(view.query),
            "count": f"{COUNT_CAP}+" if count > COUNT_CAP else str(count),
            "current": view.query == current,
            "delete_url": reverse("admin:desk_delete_view", args=[view.pk]),
        }
        for view, count in zip(views, counts, strict=True)
    ]


def items_view(site):
    """More items for the list (after `after`), or given ones (`ids`, after an undo): list
    items as HTML, for desk.js to add. `X-Desk-More` says whether the queue goes on."""

    @require_safe
    def view(request):
        article_admin = _article_admin(site)
        query = desk_query(request.GET)
        after = database_id(request.GET.get(AFTER, ""))
        desk = Desk(request, article_admin, query)
        items = desk.items(after=after, limit=PAGE_SIZE + 1)
        has_more = len(items) > PAGE_SIZE
        return _render_items(request, article_admin, desk, items[:PAGE_SIZE], has_more)

    return view


def _items_html(request, article_admin, desk, items) -> str:
    contexts = _items_context(
        request, desk.entries(items), desk.query, _can_decide(request, article_admin)
    )
    for context in contexts:
        context["current"] = False  # desk.js decides which one has the focus
    return render_to_string("admin/desk/_items.html", {"items": contexts}, request=request)


def _render_items(request, article_admin, desk, items, has_more=False):
    response = HttpResponse(_items_html(request, article_admin, desk, items))
    response["X-Desk-More"] = "1" if has_more else "0"
    return response


def state_view(site):
    """Which of the given items someone has decided meanwhile (or were deleted), with a note."""

    @require_safe
    def view(request):
        ids = [database_id(value) for value in request.GET.get("ids", "").split(",")[:50]]
        ids = [pk for pk in ids if pk is not None]
        found = {
            article.pk: article
            for article in Article.objects.filter(pk__in=ids)
            .select_related("reviewed_by")
            .only("published", "reviewed_at", "reviewed_by__username")
        }
        decided = {
            str(pk): decided_note(found[pk]) if pk in found else "This article is gone."
            for pk in ids
            if pk not in found or found[pk].reviewed_at is not None
        }
        return JsonResponse({"decided": decided})

    return view


def decide_view(site):
    def view(request, pk):
        pk = _article_id(pk)
        decision = request.POST.get("decision")
        if decision not in ("publish", "keep"):
            return HttpResponseBadRequest("Say publish or keep.")
        published = decision == "publish"
        decided = Article.objects.filter(pk=pk).decide_waiting(
            published, request.user, via=ReviewDecision.Via.DESK
        )
        if decided:
            ok, status = True, 200
            message = "Published." if published else "Kept unpublished."
        else:
            ok, status = False, 409
            article = Article.objects.select_related("reviewed_by").filter(pk=pk).first()
            message = (
                "This article is gone." if article is None else decided_note(article)
            ) + " Your decision was not recorded."
        if wants_json(request):
            return JsonResponse({"ok": ok, "message": message}, status=status)
        title = Article.objects.filter(pk=pk).values_list("title", flat=True).first()
        if title and ok:
            message = f"“{title}”: {message[0].lower()}{message[1:]}"
        messages.add_message(request, messages.SUCCESS if ok else messages.WARNING, message)
        return _back_to_desk(request, database_id(request.POST.get("next", "")))

    return view


# What a story entry's buttons and keys do, by the `decision` they post: the rule on the model.
STORY_DECISIONS = {
    "publish": (Story.publish_lead, "Published the lead; the rest kept unpublished as coverage."),
    "all": (Story.publish_all, "Published all of the story."),
    "keep": (Story.keep_all, "Kept all of the story unpublished."),
}


def story_decide_view(site):
    """A decision on a story entry, on the waiting articles the editor saw (`members`), in one
    stroke: each article's decision recorded as usual, one undo takes them all back."""

    def view(request, pk):
        story = Story.objects.filter(pk=_article_id(pk)).first()
        if story is None:
            raise Http404("No such story.")
        decision = request.POST.get("decision")
        if decision not in STORY_DECISIONS:
            return HttpResponseBadRequest("Say publish, all or keep.")
        posted = request.POST.get("members", "").split(",")[:MAX_MEMBERS]
        seen = [database_id(value) for value in posted]
        seen = [member for member in seen if member is not None]
        if not seen:
            return HttpResponseBadRequest("Say which articles of the story you saw (members).")
        decide, message = STORY_DECISIONS[decision]
        decided = decide(story, request.user, via=ReviewDecision.Via.DESK, seen=seen)
        ok = bool(decided.decisions)
        if not ok:
            notes = [f"“{a.title}”: {decided_note(a)}" for a in decided.decided_elsewhere]
            message = " ".join(notes or ["Nothing of this story is waiting any more."])
            message += " Your decision was not recorded; look at the story again."
        if wants_json(request):
            return JsonResponse({"ok": ok, "message": message}, status=200 if ok else 409)
        if ok:
            message = f"“{story.title}”: {message[0].lower()}{message[1:]}"
        messages.add_message(request, messages.SUCCESS if ok else messages.WARNING, message)
        return _back_to_desk(request, database_id(request.POST.get("next", "")))

    return view


def schedule_view(site):
    def view(request, pk):
        pk = _article_id(pk)
        form = ScheduleForm(request.POST)
        ok = form.is_valid()
        if ok:
            try:
                changed = Article.objects.filter(pk=pk).set_schedule(
                    form.cleaned_data["publish_at"],
                    form.cleaned_data["unpublish_at"],
                    request.user,
                    via=ReviewDecision.Via.DESK,
                )
            except ValidationError as error:
                ok, message = False, " ".join(error.messages)
            else:
                message = "Schedule saved." if changed else "The schedule was already that."
        else:
            message = " ".join(
                f"{form.fields[name].label or name.replace('_', ' ')}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            )
        if wants_json(request):
            return JsonResponse({"ok": ok, "message": message}, status=200 if ok else 400)
        messages.add_message(request, messages.SUCCESS if ok else messages.ERROR, message)
        return _back_to_desk(request, pk)

    return view


def undo_view(site):
    def view(request):
        article_admin = _article_admin(site)
        decision = request.POST.get("decision")
        undo = ReviewDecision.objects.undo_last(
            request.user,
            via=ReviewDecision.Via.DESK,
            decision_id=database_id(decision) if decision else None,
        )
        if undo.article_ids:
            count = len(undo.article_ids)
            message = ngettext(
                "Undone: %(count)d article back as it was before you %(change)s it.",
                "Undone: %(count)d articles back as they were before you %(change)s them.",
                count,
            ) % {"count": count, "change": undo.undone}
        else:
            message = "Nothing to undo: you have no decision that still stands."
        if wants_json(request):
            query = desk_query(QueryDict(request.POST.get("query", "")))
            # The articles back in the queue, whatever the filters (grouped as the desk is).
            unfiltered = QueryDict(mutable=True)
            if GROUP in query:
                unfiltered[GROUP] = query[GROUP]
            desk = Desk(request, article_admin, unfiltered)
            back = list(
                desk.queryset()
                .filter(pk__in=undo.article_ids)
                .order_by(*QUEUE_ORDER)
                .select_related("provider", "story")
                .prefetch_related("topics", "related_links__provider")
            )
            desk.query = query  # the links in the items keep the editor's filters
            return JsonResponse(
                {
                    "ok": bool(undo.article_ids),
                    "message": message,
                    "ids": undo.article_ids,
                    "html": _items_html(request, article_admin, desk, back),
                }
            )
        messages.add_message(
            request, messages.SUCCESS if undo.article_ids else messages.WARNING, message
        )
        back_to = request.POST.get("next", "")
        if back_to and url_has_allowed_host_and_scheme(
            back_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(back_to)
        return _back_to_desk(request, undo.article_ids[0] if undo.article_ids else None)

    return view


def save_view_view(site):
    @require_POST
    def view(request):
        name = request.POST.get("name", "").strip()
        query = desk_query(QueryDict(request.POST.get("query", "")))
        if not name or len(name) > SavedDeskView._meta.get_field("name").max_length:
            messages.error(request, "Give the view a name of 1 to 60 characters.")
        else:
            SavedDeskView.objects.update_or_create(
                owner=request.user, name=name, defaults={"query": query.urlencode()}
            )
            messages.success(request, f"Saved the view “{name}”.")
        return redirect(desk_url(query))

    return view


def delete_view_view(site):
    @require_POST
    def view(request, pk):
        pk = _article_id(pk)
        deleted, _ = SavedDeskView.objects.filter(pk=pk, owner=request.user).delete()
        if deleted:
            messages.success(request, "View removed.")
        return redirect(desk_url())

    return view


def urls(site):
    """The desk's URLs, for `NewsroomAdminSite.get_urls` (admin login, staff only)."""

    def admin_view(view):
        """The admin's own check (staff, logged in), then the desk's, on every desk URL:
        reading needs the article view permission."""

        @wraps(view)
        def readable(request, *args, **kwargs):
            if not _article_admin(site).has_view_permission(request):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return site.admin_view(never_cache(readable))

    def deciding_view(view):
        """`admin_view` for a POST that decides (publish, keep, schedule, undo): it also
        needs the publish permission (`_can_decide`), checked here for every such URL."""

        @require_POST
        @wraps(view)
        def allowed(request, *args, **kwargs):
            if not _can_decide(request, _article_admin(site)):
                return _refuse(request)
            return view(request, *args, **kwargs)

        return admin_view(allowed)

    return [
        path("desk/", admin_view(desk_view(site)), name="desk"),
        path("desk/items/", admin_view(items_view(site)), name="desk_items"),
        path("desk/state/", admin_view(state_view(site)), name="desk_state"),
        path("desk/undo/", deciding_view(undo_view(site)), name="desk_undo"),
        path("desk/views/", admin_view(save_view_view(site)), name="desk_save_view"),
        path(
            "desk/views/<str:pk>/delete/",
            admin_view(delete_view_view(site)),
            name="desk_delete_view",
        ),
        path("desk/<str:pk>/decide/", deciding_view(decide_view(site)), name="desk_decide"),
        path(
            "desk/stories/<str:pk>/decide/",
            deciding_view(story_decide_view(site)),
            name="desk_decide_story",
        ),
        path("desk/<str:pk>/schedule/", deciding_view(schedule_view(site)), name="desk_schedule"),
    ]
