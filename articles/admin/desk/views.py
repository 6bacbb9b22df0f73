"""The desk's views: thin, over the queue (queue.py) and the domain. The posts that decide are
in decisions.py (`DecisionView` and its kinds), all recorded with `via="desk"`.

Each view is handed the Article ModelAdmin (`as_view(model_admin=...)`, urls.py), as Django's
own admin views are (`AutocompleteJsonView`): its permissions, search and ordering are the
desk's. Reading needs the view permission; deciding needs `articles.publish_article`, checked
by `DecisionView` for every POST that decides.

Every page works without JavaScript (forms that post and redirect back to the desk);
static/articles/admin/desk.js adds the keys and posts in the background, asking for JSON with
`Accept: application/json`. `DecisionView.answer` is the one place that chooses between the two.
"""

import unicodedata

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View

from articles.admin.desk.forms import filter_form
from articles.admin.desk.items import items_context
from articles.admin.desk.queue import (
    AFTER,
    AT,
    GROUP,
    PAGE_SIZE,
    SEARCH,
    VIEW,
    Desk,
    decided_note,
    desk_query,
    desk_url,
    saved_views,
)
from articles.admin.schedule_field import EXAMPLE, zone_name
from articles.models import Article, SavedDeskView, database_id

MAX_MEMBERS = 1000  # a story decision names at most this many articles
REFUSAL = "Deciding needs the permission to publish articles."


def id_or_404(value) -> int:
    pk = database_id(value)
    if pk is None:
        raise Http404("No such article.")
    return pk


def named(name, message) -> str:
    """A confirmation that names what it is about: "“Harbour works”: published."."""
    return f"“{name}”: {message[0].lower()}{message[1:]}"


class DeskView(View):
    """A desk URL: the Article ModelAdmin handed over, and its view permission checked."""

    model_admin = None  # set by urls.py: as_view(model_admin=...)
    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        if not self.model_admin.has_view_permission(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def can_decide(self) -> bool:
        return self.model_admin.has_publish_permission(self.request)

    def desk(self, query) -> Desk:
        return Desk(self.request, self.model_admin, query)

    def items_html(self, desk, articles) -> str:
        """List items for desk.js to add (it decides which one has the focus)."""
        contexts = items_context(desk.entries(articles), desk.query, self.can_decide)
        for context in contexts:
            context["current"] = False
        return render_to_string("admin/desk/_items.html", {"items": contexts}, self.request)


class DeskPageView(DeskView):
    """The desk: the queue's first page (or the one after `after`) beside the reading pane."""

    def get(self, request):
        desk = self.desk(desk_query(request.GET))
        query = desk.query  # a saved view opened: its own filters
        filters = desk.filters()
        after = database_id(request.GET.get(AFTER, ""))
        items = desk.items(after=after, limit=PAGE_SIZE + 1, filters=filters)
        has_more = len(items) > PAGE_SIZE
        items = items[:PAGE_SIZE]
        at = database_id(request.GET.get(AT, ""))
        contexts = items_context(desk.entries(items), query, self.can_decide, at, after)
        current = next((c for c in contexts if c["current"]), None)
        index = contexts.index(current) if current else 0
        context = {
            **self.model_admin.admin_site.each_context(request),
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
            "filters": filter_form(query, filters),
            "saved_views": saved_views(request, self.model_admin),
            "can_decide": self.can_decide,
            "desk_url": desk_url(),
            "items_url": reverse("admin:desk_items"),
            "state_url": reverse("admin:desk_state"),
            "schedule_example": EXAMPLE,
            "schedule_zone": zone_name(),
        }
        return TemplateResponse(request, "admin/desk/desk.html", context)


class ItemsView(DeskView):
    """More items for the list (after `after`), as HTML for desk.js to add. `X-Desk-More` says
    whether the queue goes on."""

    def get(self, request):
        desk = self.desk(desk_query(request.GET))
        items = desk.items(after=database_id(request.GET.get(AFTER, "")), limit=PAGE_SIZE + 1)
        response = HttpResponse(self.items_html(desk, items[:PAGE_SIZE]))
        response["X-Desk-More"] = "1" if len(items) > PAGE_SIZE else "0"
        return response


class StateView(DeskView):
    """Which of the given items someone has decided meanwhile (or were deleted), with a note."""

    def get(self, request):
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


class SaveView(DeskView):
    """Save the desk's filters under a name (one per name and editor)."""

    http_method_names = ["post"]

    def post(self, request):
        name = request.POST.get("name", "").strip()
        query = desk_query(QueryDict(request.POST.get("query", "")))
        query.pop(VIEW, None)  # a view saves filters; its flags are its rules'
        if not name or len(name) > SavedDeskView._meta.get_field("name").max_length:
            messages.error(request, "Give the view a name of 1 to 60 characters.")
        elif any(unicodedata.category(character) in ("Cc", "Cs") for character in name):
            # A NUL would reach the database (PostgreSQL refuses it with an error).
            messages.error(request, "A view's name cannot hold control characters.")
        else:
            SavedDeskView.objects.update_or_create(
                owner=request.user, name=name, defaults={"query": query.urlencode()}
            )
            messages.success(request, f"Saved the view “{name}”.")
        return redirect(desk_url(query))


class DeleteSavedView(DeskView):
    """Remove one of the editor's own saved views."""

    http_method_names = ["post"]

    def post(self, request, pk):
        deleted, _ = SavedDeskView.objects.filter(pk=id_or_404(pk), owner=request.user).delete()
        if deleted:
            messages.success(request, "View removed.")
        return redirect(desk_url())
