"""The article list's actions: publish or unpublish the ticked articles, through
`ArticleQuerySet.set_published` (which records each decision), with a count of what changed and
an Undo button in the confirmation (it posts to the desk's undo)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from articles.models import Article, ReviewDecision


@admin.action(permissions=["publish"], description="Publish selected articles")
def publish_selected(article_admin, request, queryset):
    decide_selected(article_admin, request, queryset, True)


@admin.action(permissions=["publish"], description="Unpublish selected articles")
def unpublish_selected(article_admin, request, queryset):
    decide_selected(article_admin, request, queryset, False)


def decide_selected(article_admin, request, queryset, published):
    # The admin already refuses an action the user lacks the permission for; this is the
    # last line, should the action be reached another way.
    if not article_admin.has_publish_permission(request):
        raise PermissionDenied
    # By primary key: deciding may move the articles out of the list's filter (the queue).
    pks = list(queryset.values_list("pk", flat=True))
    count, selected = len(pks), Article.objects.filter(pk__in=pks)
    changed = selected.set_published(published, request.user, via=ReviewDecision.Via.LIST_ACTION)
    verb = "published" if published else "unpublished"
    message = ngettext("%(count)d article %(verb)s.", "%(count)d articles %(verb)s.", changed) % {
        "count": changed,
        "verb": verb,
    }
    already = count - changed
    if already:
        message += " " + ngettext(
            "%(count)d was already %(verb)s.", "%(count)d were already %(verb)s.", already
        ) % {"count": already, "verb": verb}
    level = messages.SUCCESS if changed else messages.WARNING
    if published:
        hidden = count - selected.published().count()
        if hidden:
            message += " " + ngettext(
                "%(count)d of them is not visible to readers now because of its schedule.",
                "%(count)d of them are not visible to readers now because of their schedule.",
                hidden,
            ) % {"count": hidden}
            level = messages.WARNING
    if changed or count:
        message = with_undo(request, message)
    article_admin.message_user(request, message, level)


def with_undo(request, message):
    """The confirmation with an Undo button: it takes back this action's decisions (the
    editor's latest, still in force), back to this list page."""
    latest = (
        ReviewDecision.objects.in_force(request.user)
        .filter(via=ReviewDecision.Via.LIST_ACTION)
        .order_by("-decided_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if latest is None:
        return message
    return format_html(
        '{} <form method="post" action="{}" class="undo-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="decision" value="{}">'
        '<input type="hidden" name="next" value="{}">'
        '<button type="submit" class="button">Undo</button></form>',
        message,
        reverse("admin:desk_undo"),
        get_token(request),
        latest,
        request.get_full_path(),
    )
