"""The desk's views: thin, over the queue (queue.py) and the domain. Decisions go through
`ArticleQuerySet.decide_waiting` / `set_schedule` and the `Story` decisions, undo through
`ReviewDecisionQuerySet.undo_last`, all recorded with `via="desk"`.

Each view is handed the Article ModelAdmin (`as_view(model_admin=...)`, urls.py), as Django's
own admin views are (`AutocompleteJsonView`): its permissions, search and ordering are the
desk's. Reading needs the view permission; deciding needs `articles.publish_article`, checked
by `DecisionView` for every POST that decides.

Every page works without JavaScript (forms that post and redirect back to the desk);
static/articles/admin/desk.js adds the keys and posts in the background, asking for JSON with
`Accept: application/json`. `DecisionView.answer` is the one place that chooses between the two.
"""

import unicodedata
from urllib.parse import unquote, urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views import View

from articles.admin.desk.forms import ScheduleForm, filter_form
from articles.admin.desk.items import big_stroke, items_context
from articles.admin.desk.queue import (
    AFTER,
    AT,
    GROUP,
    PAGE_SIZE,
    SEARCH,
    Desk,
    decided_note,
    desk_query,
    desk_url,
    saved_views,
)
from articles.admin.schedule_field import EXAMPLE, schedule_words, zone_name
from articles.models import Article, ReviewDecision, SavedDeskView, Story, database_id

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
        query = desk_query(request.GET)
        desk = self.desk(query)
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


class DecisionView(DeskView):
    """A POST that decides (publish, keep, schedule, undo): refused without the publish
    permission, else `decide`d by the subclass, which says how it went through `answer`."""

    http_method_names = ["post"]
    failure_level = messages.WARNING  # of the message a failed decision leaves on the page

    def post(self, request, *args, **kwargs):
        if not self.can_decide:
            return self.answer(False, REFUSAL, status=403)
        return self.decide(request, *args, **kwargs)

    def decide(self, request, *args, **kwargs):
        raise NotImplementedError

    def answer(self, ok, message, *, status=200, more=None, on_page=None, at=None):
        """The one place a decision is answered. desk.js asks for JSON: `ok` and `message`,
        with what `more()` adds, and `status`. A form without JavaScript gets a message
        (`on_page()` if given: it may name the article) and a redirect back to the desk, at
        the item `at`; refused (403), it gets the admin's own 403 page."""
        if "application/json" in self.request.headers.get("Accept", ""):
            return JsonResponse(
                {"ok": ok, "message": message, **(more() if more else {})}, status=status
            )
        if status == 403:
            raise PermissionDenied(message)
        level = messages.SUCCESS if ok else self.failure_level
        messages.add_message(self.request, level, on_page() if on_page else message)
        return HttpResponseRedirect(self.back_url(at))

    def back_url(self, at) -> str:
        """The desk with the editor's filters, on the page of the queue they were on (`query`,
        as the form carried it), at the item `at`."""
        posted = QueryDict(self.request.POST.get("query", ""))
        after = database_id(posted.get(AFTER, ""))
        return desk_url(desk_query(posted), **{AFTER: after, AT: at})


class DecideView(DecisionView):
    """Publish or keep one waiting article."""

    def decide(self, request, pk):
        pk = id_or_404(pk)
        decision = request.POST.get("decision")
        if decision not in ("publish", "keep"):
            return HttpResponseBadRequest("Say publish or keep.")
        published = decision == "publish"
        ok = bool(
            Article.objects.filter(pk=pk).decide_waiting(
                published, request.user, via=ReviewDecision.Via.DESK
            )
        )
        if ok:
            message = "Published." if published else "Kept unpublished."
        else:
            article = Article.objects.select_related("reviewed_by").filter(pk=pk).first()
            message = (
                "This article is gone." if article is None else decided_note(article)
            ) + " Your decision was not recorded."

        def on_page():
            title = Article.objects.filter(pk=pk).values_list("title", flat=True).first()
            return named(title, message) if title and ok else message

        next_at = database_id(request.POST.get("next", ""))
        return self.answer(ok, message, status=200 if ok else 409, on_page=on_page, at=next_at)


# What a story entry's buttons and keys do, by the `decision` they post: the rule on the model.
STORY_DECISIONS = {
    "publish": (Story.publish_lead, "Published the lead; the rest kept unpublished as coverage."),
    "all": (Story.publish_all, "Published all of the story."),
    "keep": (Story.keep_all, "Kept all of the story unpublished."),
}


def story_changed_note(count: int) -> str:
    return ngettext(
        "The story changed since you saw it: %(count)d of its articles you saw is no longer "
        "in it (moved out or merged elsewhere).",
        "The story changed since you saw it: %(count)d of its articles you saw are no longer "
        "in it (moved out or merged elsewhere).",
        count,
    ) % {"count": count}


class StoryDecideView(DecisionView):
    """A decision on a story entry, on the waiting articles the editor saw (`members`), in one
    stroke: each article's decision recorded as usual, one undo takes them all back."""

    def decide(self, request, pk):
        story = Story.objects.filter(pk=id_or_404(pk)).first()
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
        if decision != "publish" and not request.POST.get("confirmed"):
            facts = Article.objects.filter(pk__in=seen, story=story).aggregate(
                count=Count("pk"),
                first=Min("source_published_at"),
                last=Max("source_published_at"),
            )
            big = big_stroke(facts["count"], facts["first"], facts["last"])
            if big:
                what = "Publish" if decision == "all" else "Keep unpublished"
                ask = f"{what} all of this story, {big}? Tick “Yes” and press again to decide."
                return self.answer(False, ask, status=409, at=story_at(seen))
        lead_live = decision == "publish" and lead_is_live(story, seen)
        if lead_live:
            message = "Published this one beside the story's live lead; the rest kept unpublished."
        decided = decide(story, request.user, via=ReviewDecision.Via.DESK, seen=seen)
        ok = bool(decided.decisions)
        if not ok:
            notes = [f"“{a.title}”: {decided_note(a)}" for a in decided.decided_elsewhere]
            if decided.gone:
                notes.insert(0, story_changed_note(len(decided.gone)))
            message = " ".join(notes or ["Nothing of this story is waiting any more."])
            message += " Your decision was not recorded; look at the story again."
        return self.answer(
            ok,
            message,
            status=200 if ok else 409,
            on_page=lambda: named(story.title, message) if ok else message,
            at=database_id(request.POST.get("next", "")),
        )


def story_at(seen) -> int:
    """The desk's place of a story entry: its first waiting article the editor saw."""
    return min(seen)


def lead_is_live(story, seen) -> bool:
    """The story's lead is not among the articles decided and readers see it already."""
    return (
        bool(story.lead_id)
        and story.lead_id not in seen
        and (Article.objects.published().filter(pk=story.lead_id).exists())
    )


class ScheduleView(DecisionView):
    """`s`: publish one waiting article to go live at a time (and come down at one), as one
    decision: `z` takes it back, schedule and all."""

    failure_level = messages.ERROR

    def decide(self, request, pk):
        pk = id_or_404(pk)
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            return self.answer(False, form.errors_text(), status=400, at=pk)
        schedule = (form.cleaned_data["publish_at"], form.cleaned_data["unpublish_at"])
        decided = Article.objects.filter(pk=pk).decide_waiting(
            True, request.user, via=ReviewDecision.Via.DESK, schedule=schedule
        )
        if not decided:
            article = Article.objects.select_related("reviewed_by").filter(pk=pk).first()
            message = (
                "This article is gone." if article is None else decided_note(article)
            ) + " Your decision was not recorded."
            return self.answer(False, message, status=409, at=pk)
        message = schedule_words(*schedule)

        def on_page():
            title = Article.objects.filter(pk=pk).values_list("title", flat=True).first()
            return named(title, message) if title else message

        next_at = database_id(request.POST.get("next", ""))
        return self.answer(True, message, on_page=on_page, at=next_at)


class UndoView(DecisionView):
    """Take back the editor's last decision at the desk (or the one named by `decision`, from
    the list's Undo button). desk.js gets the articles back in the queue as list items."""

    def decide(self, request):
        # Where to go back to is settled before anything is undone: once the undo commits,
        # nothing may fail (pressing Undo again would take back the next decision).
        self.back_to = self.page_of_this_site(request.POST.get("next", ""))
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

        def back_in_queue():
            query = desk_query(QueryDict(request.POST.get("query", "")))
            # The articles back in the queue, whatever the filters (grouped as the desk is).
            desk = self.desk(QueryDict(mutable=True))
            if GROUP in query:
                desk.query[GROUP] = query[GROUP]
            back = desk.back_in_queue(undo.article_ids)
            desk.query = query  # the links in the items keep the editor's filters
            return {"ids": undo.article_ids, "html": self.items_html(desk, back)}

        at = undo.article_ids[0] if undo.article_ids else None
        return self.answer(bool(undo.article_ids), message, more=back_in_queue, at=at)

    def page_of_this_site(self, value: str) -> str | None:
        """`value` if it is the address of a page of this site (a path that resolves, such as
        the article list's), else None: "back", another host, a scheme."""
        if not value.startswith("/") or not url_has_allowed_host_and_scheme(
            value, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return None
        try:
            resolve(unquote(urlsplit(value).path))
        except Resolver404:
            return None
        return value

    def back_url(self, at) -> str:
        # Where the editor pressed Undo (the article list's confirmation), if it is this site.
        return self.back_to or super().back_url(at)


class SaveView(DeskView):
    """Save the desk's filters under a name (one per name and editor)."""

    http_method_names = ["post"]

    def post(self, request):
        name = request.POST.get("name", "").strip()
        query = desk_query(QueryDict(request.POST.get("query", "")))
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
