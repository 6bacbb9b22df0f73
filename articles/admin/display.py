"""How the admin shows moments, schedules, people, secrets, outside links and links to its own
lists: one way everywhere, so that the article page, the decisions list and the import runs
agree."""

import hashlib

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode

from articles.reader.markdown import http_url


def when(moment):
    """A moment in the site's time zone, to the minute; "—" for none."""
    return date_format(timezone.localtime(moment), "j M Y H:i") if moment else "—"


def zoned(moment):
    """A moment of a schedule: `when`, with the time zone it is in ("1 Dec 2026 14:30 UTC"), so
    that an editor elsewhere reads an embargo right."""
    return date_format(timezone.localtime(moment), "j M Y H:i T") if moment else "—"


def schedule_text(publish_at, unpublish_at):
    """An embargo and expiry as "from … to …", with their time zone; "—" when there is neither."""
    if not (publish_at or unpublish_at):
        return "—"
    return f"from {zoned(publish_at)} to {zoned(unpublish_at)}"


def review_state(article, now=None):
    """An article's state in one place, for the list's state column and the article page: what
    readers see (published, unpublished, scheduled, expired), then whether and by whom it was
    reviewed ("Live, not reviewed" when the seed put it live and no editor has looked yet)."""
    now = now or timezone.now()
    visible = article.is_visible(now)
    if not article.published:
        label, css = "Unpublished", "unpublished"
    elif visible:
        label, css = "Published", "published"
    elif article.publish_at and article.publish_at > now:
        label, css = f"Scheduled, embargoed until {zoned(article.publish_at)}", "scheduled"
    else:
        label, css = f"Expired {zoned(article.unpublish_at)}", "expired"
    if visible and article.unpublish_at:
        label += f", until {zoned(article.unpublish_at)}"
    if article.reviewed_at:
        who = username(article.reviewed_by)
        review, review_css = f"reviewed by {who}, {when(article.reviewed_at)}", "reviewed"
    elif article.is_live_not_reviewed:
        review, review_css = "Live, not reviewed", "live-not-reviewed"
    else:
        review, review_css = "waiting for review", "waiting"
    if article.source_published != article.published:
        review += " · source suggests " + ("publishing" if article.source_published else "not")
    return format_html(
        '<span class="review-state review-state-{}">{}</span>'
        ' <span class="review-note review-note-{}">{}</span>',
        css,
        label,
        review_css,
        review,
    )


def username(user):
    """Who decided: "?" for a decision from a shell or script, or by a since-deleted user."""
    return user.get_username() if user else "?"


def secret_summary(secret):
    """A secret shown without its value: that it is there, a fingerprint to tell two apart, and
    its length; "—" for none. Nobody needs to read it here, and a page can be seen by others."""
    if not secret:
        return "—"
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return f"present (sha256 {digest[:4]}…{digest[-2:]}, {len(secret)} characters)"


def external_link(url, text):
    """A link to another site, opened in a new tab; plain text unless the URL is http(s)."""
    if not http_url(url):
        return text  # the importer only stores http(s); never make another scheme a link
    return format_html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', url, text)


def changelist_url(model_name, **filters):
    """The admin list of an articles model, filtered by its list's own query parameters."""
    url = reverse(f"admin:articles_{model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def render_fragment(template_name, **context):
    """A block of an admin page (a table, a list) from templates/django/admin/articles/: markup
    lives in templates. The admin's templates are Django's, not the reader pages' Jinja2."""
    return render_to_string(f"admin/articles/{template_name}", context, using="django")
