"""An article's admin page: the decision bar, the fields an editor may change, the history and
the reader preview.

The page decides at the top ("Publish", "Keep unpublished", "Save and next"), then opens the
next article waiting in the list the editor came from. Every decision goes through
`Article.set_published` / `ArticleQuerySet.set_schedule`, which record it. Its history is one
list: the review decisions and Django's own change log, merged (`history.py`).
"""

import copy

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.admin.article_form import ArticleAdminForm
from articles.admin.changelist import next_in_queue
from articles.admin.display import (
    changelist_url,
    external_link,
    render_fragment,
    review_state,
    schedule_text,
    secret_summary,
    username,
    when,
)
from articles.admin.history import article_history
from articles.admin.read_only import ReadOnlyAdminMixin
from articles.admin.schedule_field import schedule_words
from articles.admin.stories import story_link
from articles.models import Article, RelatedLink, ReviewDecision
from articles.reader.views import preview_article

# The decision bar's buttons (admin/articles/article/change_form.html): the name each posts, and
# the decision it stands for.
DECISION_BUTTONS = {"_publish": True, "_unpublish": False}
SAVE_AND_NEXT = "_savenext"
PREVIEW_URL_NAME = "articles_article_preview"


def preview_url(article):
    """The staff-only preview of an article, published or not (`preview_view`)."""
    return reverse(f"admin:{PREVIEW_URL_NAME}", args=[article.pk])


def decision_text(decision):
    """One review decision in words: "published by ann, 1 Dec 2026 14:30 (article page)"."""
    text = f"{decision.get_change_display()} by {username(decision.editor)}, "
    text += f"{when(decision.decided_at)} ({decision.get_via_display()})"
    if decision.publish_at or decision.unpublish_at:
        text += f"; schedule {schedule_text(decision.publish_at, decision.unpublish_at)}"
    return text


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


class ArticlePageMixin:
    """The article page of `ArticleAdmin` (articles.py), which says who may publish
    (`has_publish_permission`) and which list the page came from (`get_changelist_instance`)."""

    form = ArticleAdminForm
    inlines = [RelatedLinkInline]
    save_on_top = True  # its top row is the decision bar (admin/articles/article/change_form.html)

    EDITOR_FIELDS = ("published", "publish_at", "unpublish_at", "editor_title", "editor_excerpt")
    CORRECTION_FIELDS = {"editor_title", "editor_excerpt", "correction_note"}
    # Never shown, searched or filtered on: `secured_payload` says only that it is there.
    SECRET_FIELDS = ("secured",)
    fieldsets = [
        (
            "Your decision",
            {
                "fields": [
                    ("published", "visibility"),
                    ("publish_at", "unpublish_at"),
                    "story_column",
                ],
                "description": "Decide with the buttons above, or set an embargo or expiry "
                "here and save. Every decision is recorded in the article's history.",
            },
        ),
        (
            "What readers read",
            {
                "fields": [
                    "source_title",
                    "editor_title",
                    "source_excerpt",
                    "editor_excerpt",
                    "correction_note",
                ],
                "description": "The title and excerpt are the source's, as imported; to "
                "correct what readers read, give your headline or excerpt. Every correction "
                "is recorded in the article's history.",
            },
        ),
        (
            "From the seed file",
            {
                "fields": [
                    ("provider", "source_published_at", "source_published"),
                    ("topic_list", "quality", "heat"),
                    ("category", "type"),
                    "source_link",
                ],
                "description": "Read-only: the next import of a changed file replaces these, "
                "so correct the file instead (what readers read of the title and excerpt is "
                "corrected above).",
            },
        ),
        (
            "Body, from the seed file",
            {"fields": ["body", ("source_file", "import_run")], "classes": ["collapse"]},
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

    # --- What the page shows

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_publish_permission(request):
            return fieldsets
        # Read-only for others: the note is no column to show.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "correction_note"]})
            for name, options in fieldsets
        ]

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
            "source_title",
            "source_excerpt",
            "source_link",
            "visibility",
            "secured_payload",
            "story_column",
        ]

    @admin.display(description="topics")
    def topic_list(self, article):
        return ", ".join(sorted(topic.name for topic in article.topics.all())) or "—"

    @admin.display(description="source's title")
    def source_title(self, article):
        return article.title

    @admin.display(description="source's excerpt")
    def source_excerpt(self, article):
        return article.excerpt or "—"

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

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_visible() else preview_url(article)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_decide"] = self.has_publish_permission(request)
        if obj is not None:
            latest = obj.decisions.select_related("editor").first()
            context.update(
                # The article's title is the page's heading; no "Change article" above it.
                title=str(obj),
                subtitle=None,
                review_state=review_state(obj),
                latest_decision=latest and decision_text(latest),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- The decision bar

    def decision_asked(self, request):
        """True or False for the page's Publish or Keep unpublished button; None for a save."""
        pressed = [flag for name, flag in DECISION_BUTTONS.items() if name in request.POST]
        return pressed[0] if len(pressed) == 1 else None

    def save_model(self, request, obj, form, change):
        """Only the editor's fields are saved, through the QuerySet methods that record them,
        and one save is one record: a decision carries the schedule saved with it. The rest of
        the row is never written back from the form (an import may have refreshed it since the
        page was opened)."""
        if not change:
            raise PermissionDenied
        request.recorded_decision = request.recorded_correction = None  # for response_change
        decision = self.decision_asked(request)
        changed = set(form.changed_data)
        if decision is None and not changed:
            return
        if not self.has_publish_permission(request):
            raise PermissionDenied
        if changed & self.CORRECTION_FIELDS:
            request.recorded_correction = self.save_correction(request, form)
        via = ReviewDecision.Via.CHANGE_PAGE
        schedule = (obj.publish_at, obj.unpublish_at)
        schedule_changed = bool(changed & {"publish_at", "unpublish_at"})
        started = timezone.now()
        if decision is None and "published" in changed:
            decision = obj.published
        elif decision is None and "publish_at" in changed and obj.publish_at:
            # A go-live time to come on an unpublished article is a decision: published, to
            # go live then (it would never go live otherwise).
            if not form.initial.get("published") and obj.publish_at > started:
                decision = True
        if decision is not None:
            obj.set_published(
                decision, request.user, via=via, schedule=schedule if schedule_changed else None
            )
        elif schedule_changed:
            Article.objects.filter(pk=obj.pk).set_schedule(*schedule, request.user, via=via)
        latest = obj.decisions.select_related("editor").first()
        if latest and latest.decided_at >= started and latest.editor_id == request.user.pk:
            request.recorded_decision = latest

    def save_correction(self, request, form):
        """The editor's headline and excerpt as the form has them, through `Article.correct`
        (the row as stored is read again: the form's instance holds the posted values)."""
        article = Article.objects.get(pk=form.instance.pk)
        data = form.cleaned_data
        return article.correct(
            request.user,
            title=data.get("editor_title", ""),
            excerpt=data.get("editor_excerpt", ""),
            note=data.get("correction_note", ""),
        )

    def log_change(self, request, obj, message):
        """Not written: the page changes nothing but what `save_model` records as a review
        decision, and one save is one entry in the article's history."""

    def response_change(self, request, obj):
        decision = getattr(request, "recorded_decision", None)  # obj is as it was saved
        correction = getattr(request, "recorded_correction", None)
        if correction:
            obj.refresh_from_db(fields=["editor_title", "editor_excerpt"])
            note = " with a public note" if correction.note else " (no public note)"
            self.message_user(
                request,
                f"Correction saved{note}: readers now read “{obj.headline}”.",
                messages.SUCCESS,
            )
        if decision:
            message = f"“{obj}”: {decision_text(decision)}."
            level = messages.SUCCESS
            if obj.published and obj.publish_at and obj.publish_at > timezone.now():
                words = schedule_words(obj.publish_at, obj.unpublish_at).rstrip(".")
                message = f"“{obj}”: {words} ({decision_text(decision)})."
            elif obj.published and not obj.is_visible():
                message += " Readers do not see it now because of its schedule."
                level = messages.WARNING
            self.message_user(request, message, level)
        elif not correction and self.has_publish_permission(request):  # others: no news
            self.message_user(request, f"Nothing changed: “{obj}” is as it was.", messages.INFO)
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        if any(name in request.POST for name in (*DECISION_BUTTONS, SAVE_AND_NEXT)):
            following = next_in_queue(self.listed_articles(request), obj)
            if following is None:
                self.message_user(request, "No more articles wait in this list.", messages.INFO)
                return self.response_post_save_change(request, obj)
            url = reverse("admin:articles_article_change", args=[following.pk])
            return HttpResponseRedirect(add_preserved_filters(preserved, url))
        if "_continue" in request.POST:
            return HttpResponseRedirect(add_preserved_filters(preserved, request.path))
        return self.response_post_save_change(request, obj)

    def listed_articles(self, request):
        """The articles of the list the editor opened this page from: its filters and search,
        which the admin carries along in `_changelist_filters`. The queue's when there is none,
        or when they are not understood."""
        listing = copy.copy(request)
        listing.GET = QueryDict(request.GET.get("_changelist_filters", ""))
        listing.listed_articles_only = True  # read by get_changelist
        try:
            return self.get_changelist_instance(listing).queryset
        except (IncorrectLookupParameters, SuspiciousOperation):
            return self.get_queryset(request)

    # --- The history: decisions and Django's change log, one list

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        entries, more = article_history(article)
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {article}",
            "subtitle": None,
            "entries": entries,
            "more": more,
            "all_decisions_url": changelist_url("reviewdecision", article=article.pk),
            "module_name": str(self.opts.verbose_name_plural).capitalize(),
            "object": article,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/object_history.html", context)

    # --- The preview

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
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
