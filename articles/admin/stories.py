"""Stories for editors: each with its articles and corrections; merge, move out, choose the lead.

Every correction goes through the `Story` model (`merge`, `split_off`, `set_lead`), which records
it and pins the articles so that no re-import or re-clustering undoes it. Correcting needs the
publishing permission, as deciding does; seeing stories needs only a staff account that may see
articles.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme

from articles.admin.display import render_fragment, username, when
from articles.admin.strict import StrictAdminMixin
from articles.clustering.explain import near_misses, why
from articles.models import Article, Story, database_id


def story_link(article: Article) -> str:
    """An article's story, linked to the story's page in the admin (its members), or "—"."""
    if article.story_id is None:
        return "—"
    story = article.story
    url = reverse("admin:articles_story_change", args=[story.pk])
    return format_html('<a href="{}">{}</a> ({} articles)', url, story.title, story.size)


@admin.register(Story)
class StoryAdmin(StrictAdminMixin, admin.ModelAdmin):
    list_display = ["title", "size", "first_seen_at", "last_seen_at", "lead_rule"]
    list_select_related = ["lead"]
    search_fields = ["title"]
    date_hierarchy = "last_seen_at"
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    actions = ["merge_selected"]
    fields = ["title", "size", ("first_seen_at", "last_seen_at"), "history"]
    readonly_fields = ["title", "size", "first_seen_at", "last_seen_at", "history"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")

    def has_add_permission(self, request):
        return False  # stories form at import

    def has_change_permission(self, request, obj=None):
        return False  # corrections are their own buttons, not a form

    def has_delete_permission(self, request, obj=None):
        return False

    def has_correct_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    @admin.display(description="lead")
    def lead_rule(self, story):
        return "chosen by an editor" if story.lead_chosen_by_editor else "by the rule"

    @admin.display(description="corrections")
    def history(self, story):
        corrections = story.corrections.select_related("editor")
        if not corrections:
            return "None: as the clusterer formed it."
        return format_html_join(
            "",
            "<p>{}, {}: {}</p>",
            (
                (when(c.decided_at), username(c.editor), c.note or c.get_change_display())
                for c in corrections
            ),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        story = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if story is not None:
            extra["members_table"] = self._members_table(
                story, self.has_correct_permission(request)
            )
        return super().change_view(request, object_id, form_url, extra)

    def _members_table(self, story, can_correct: bool) -> str:
        """The story's articles, newest first, with the buttons that correct it for editors."""
        members, articles = (
            [],
            list(story.articles.select_related("provider").order_by("-source_published_at", "-id")),
        )
        for article in articles:
            is_lead = article.pk == story.lead_id
            members.append(
                {
                    "url": reverse("admin:articles_article_change", args=[article.pk]),
                    "title": article.title,
                    "is_lead": is_lead,
                    "provider": article.provider.name,
                    "when": when(article.source_published_at),
                    "state": "published" if article.published else "not published",
                    "why": why(article.story_evidence, article.story_pinned),
                    "split_url": reverse("admin:articles_story_split", args=[story.pk, article.pk])
                    if story.size > 1
                    else "",
                    "lead_url": ""
                    if is_lead
                    else reverse("admin:articles_story_lead", args=[story.pk, article.pk]),
                }
            )
        near = [
            {
                "title": miss.story.title,
                "url": reverse("admin:articles_story_change", args=[miss.story.pk]),
                "size": miss.story.size,
                "score": f"{miss.score:.2f}",
                "merge_url": reverse("admin:articles_story_merge", args=[story.pk, miss.story.pk]),
            }
            for miss in near_misses(story, articles)
        ]
        return render_fragment(
            "_story_members.html", members=members, can_correct=can_correct, near=near
        )

    # --- Corrections

    def get_urls(self):
        own = [
            path(
                "<path:story_id>/split/<path:article_id>/",
                self.admin_site.admin_view(self.split_view),
                name="articles_story_split",
            ),
            path(
                "<path:story_id>/merge/<path:other_id>/",
                self.admin_site.admin_view(self.merge_view),
                name="articles_story_merge",
            ),
            path(
                "<path:story_id>/lead/<path:article_id>/",
                self.admin_site.admin_view(self.lead_view),
                name="articles_story_lead",
            ),
        ]
        return own + super().get_urls()

    def _correction(self, request, story_id, article_id):
        if request.method != "POST":
            raise _NotAllowed
        if not self.has_correct_permission(request):
            raise PermissionDenied
        story = get_object_or_404(Story, pk=database_id(story_id))
        article = get_object_or_404(Article, pk=database_id(article_id), story=story)
        return story, article

    def split_view(self, request, story_id, article_id):
        try:
            story, article = self._correction(request, story_id, article_id)
        except _NotAllowed:
            return HttpResponseNotAllowed(["POST"])
        try:
            new = story.split_off(article, request.user)
        except ValidationError as error:
            return self._refused(request, error)
        self.message_user(
            request, f"“{article.title}” now makes a story of its own (story {new.pk})."
        )
        # Back to the story being corrected: the editor goes on with it (issue 26, 12).
        back = story.pk if Story.objects.filter(pk=story.pk).exists() else new.pk
        return HttpResponseRedirect(reverse("admin:articles_story_change", args=[back]))

    def lead_view(self, request, story_id, article_id):
        try:
            story, article = self._correction(request, story_id, article_id)
        except _NotAllowed:
            return HttpResponseNotAllowed(["POST"])
        try:
            story.set_lead(article, request.user)
        except ValidationError as error:
            return self._refused(request, error)
        self.message_user(request, f"“{article.title}” now leads the story.")
        return HttpResponseRedirect(reverse("admin:articles_story_change", args=[story.pk]))

    def merge_view(self, request, story_id, other_id):
        """A near miss taken: `other` merged into this story (a correction, as any merge), then
        back where the editor was (`next`, on this site) or to the story."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_correct_permission(request):
            raise PermissionDenied
        story = get_object_or_404(Story, pk=database_id(story_id))
        other = get_object_or_404(Story, pk=database_id(other_id))
        try:
            story.merge(other, request.user)
        except ValidationError as error:
            return self._refused(request, error)
        self.message_user(request, f"“{other.title}” merged into “{story.title}”.")
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("admin:articles_story_change", args=[story.pk])
        return HttpResponseRedirect(back)

    def _refused(self, request, error):
        """A correction another editor's made moot: say why, back to the stories' list."""
        self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:articles_story_changelist"))

    @admin.action(permissions=["correct"], description="Merge selected stories into one")
    def merge_selected(self, request, queryset):
        if not self.has_correct_permission(request):
            raise PermissionDenied
        chosen = list(queryset.annotate(members=Count("articles")).order_by("-members", "pk"))
        if len(chosen) < 2:
            self.message_user(request, "Select two stories or more to merge.", messages.WARNING)
            return
        target, others = chosen[0], chosen[1:]
        try:
            target.merge_all(others, request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(
            request, f"{len(others) + 1} stories merged into “{target.title}”.", messages.SUCCESS
        )


class _NotAllowed(Exception):
    """A correction asked for by GET."""
