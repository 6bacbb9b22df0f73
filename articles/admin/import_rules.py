"""Import rules for editors: the ordered list, a rule's page, and its "would have matched"
preview among the last 7 days' arrivals, shown before the rule is saved."""

from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.forms import Textarea
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from articles.admin.strict import StrictAdminMixin
from articles.ingest.rules import CompiledRule, Facts
from articles.models import Article, ImportRule

PREVIEW_DAYS = 7
PREVIEW_SCAN = 20_000  # arrivals looked at, newest first
PREVIEW_SHOWN = 50
HOW_RULES_APPLY = (
    "Rules are tried in order (lowest position first) on each new article an import brings, "
    "never on an article that already exists, so an editor's decision always stands. The first "
    "rule that matches applies and ends the matter, unless it says “later rules still apply”; "
    "a skip always ends it. Skipped items are listed in the run as skipped, not rejected."
)

# What "flag for a saved desk view" does, on the rule's page.
FLAGGING = (
    "“Flag for a saved desk view”: the article waits for review as usual, and the chosen view "
    "on the review desk lists it beside its filters' matches, marked “Flagged for <view> by rule "
    "<rule>”, until an editor decides it. The desk's “Flagged by a rule” filter lists every "
    "flagged article."
)


@admin.register(ImportRule)
class ImportRuleAdmin(StrictAdminMixin, admin.ModelAdmin):
    list_display = ["name", "position", "enabled", "action", "continue_after", "fired"]
    list_editable = ["position", "enabled"]
    list_display_links = ["name"]
    search_fields = ["name"]
    change_form_template = "admin/articles/importrule/change_form.html"
    change_list_template = "admin/articles/importrule/change_list.html"
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 60})}}
    fieldsets = [
        (None, {"fields": ["name", ("position", "enabled")]}),
        (
            "When an arriving article matches all of these (empty: any)",
            {
                "fields": [
                    "providers",
                    "topics",
                    ("category", "type"),
                    ("quality_min", "quality_max"),
                    ("heat_min", "heat_max"),
                    "words",
                    "pattern",
                ]
            },
        ),
        (
            "Then",
            {
                "fields": ["action", "topic", "desk_view", "continue_after"],
                "description": FLAGGING,
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(fired_count=Count("rulefiring"))

    @admin.display(description="fired", ordering="fired_count")
    def fired(self, rule):
        return rule.fired_count

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra = {"how_rules_apply": HOW_RULES_APPLY, "preview_days": PREVIEW_DAYS}
        return super().changeform_view(
            request, object_id, form_url, {**extra, **(extra_context or {})}
        )

    def changelist_view(self, request, extra_context=None):
        extra = {"how_rules_apply": HOW_RULES_APPLY}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def get_urls(self):
        preview = path(
            "preview/",
            self.admin_site.admin_view(self.preview_view),
            name="articles_importrule_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request):
        """What the rule as posted (not saved) would have matched among recent arrivals."""
        object_id = request.POST.get("_object_id", "")
        rule = self.get_object(request, object_id) if object_id else None
        allowed = (
            self.has_change_permission(request, rule) if rule else self.has_add_permission(request)
        )
        if request.method != "POST" or not allowed:
            raise PermissionDenied
        form = self.get_form(request, rule)(request.POST, instance=rule)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "What this rule would have matched",
            "form": form,
            "posted": [
                (name, value)
                for name, values in request.POST.lists()
                if name not in ("csrfmiddlewaretoken", "_object_id")
                for value in values
            ],
            "save_url": (
                reverse("admin:articles_importrule_change", args=[rule.pk])
                if rule
                else reverse("admin:articles_importrule_add")
            ),
            "preview_days": PREVIEW_DAYS,
            "how_rules_apply": HOW_RULES_APPLY,
        }
        if form.is_valid():
            context.update(would_have_matched(form.save(commit=False)))
        return TemplateResponse(request, "admin/articles/importrule/preview.html", context)


def would_have_matched(rule: ImportRule) -> dict:
    """The articles of the last `PREVIEW_DAYS` days that `rule` matches (its conditions alone:
    rules before it are not taken into account)."""
    compiled = CompiledRule(rule)
    since = timezone.now() - timedelta(days=PREVIEW_DAYS)
    arrivals = (
        Article.objects.filter(created_at__gte=since)
        .select_related("provider")
        .prefetch_related("topics")
        .order_by("-created_at", "-id")[:PREVIEW_SCAN]
    )
    looked_at, matched, shown = 0, 0, []
    for article in arrivals.iterator(chunk_size=1000):
        looked_at += 1
        topics = [tag.name for tag in article.topics.all()]
        if compiled.matches(Facts.of_article(article, topics)):
            matched += 1
            if len(shown) < PREVIEW_SHOWN:
                shown.append(
                    {
                        "title": article.title,
                        "provider": article.provider.domain,
                        "url": reverse("admin:articles_article_change", args=[article.pk]),
                        "created_at": article.created_at,
                    }
                )
    return {
        "previewed": True,
        "looked_at": looked_at,
        "scan_capped": looked_at == PREVIEW_SCAN,
        "matched": matched,
        "shown": shown,
        "action": rule.get_action_display(),
        "timed_out": compiled.timed_out,
    }
