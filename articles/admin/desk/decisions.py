"""The desk's decisions: a POST that publishes or keeps an article (`DecideView`), decides a
story's waiting articles in one stroke (`StoryDecideView`), publishes to go live at a time
(`ScheduleView`), or takes the editor's last decision back (`UndoView`). `DecisionView.answer`
is the one place that chooses between JSON for desk.js and a message and redirect without it.
"""

from urllib.parse import unquote, urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from articles.admin.desk.forms import ScheduleForm
from articles.admin.desk.items import big_stroke
from articles.admin.desk.queue import AFTER, AT, GROUP, decided_note, desk_query, desk_url
from articles.admin.desk.views import MAX_MEMBERS, REFUSAL, DeskView, id_or_404, named
from articles.admin.schedule_field import schedule_words
from articles.models import Article, ReviewDecision, Story, database_id


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
