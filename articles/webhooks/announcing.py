"""Which transitions happened since webhooks were last told, and the deliveries they owe.

An article's last announced visibility is kept (`ArticleAnnouncement`): an article now visible
that was not announced so is announced `article.published`, one announced visible and no longer
visible `article.unpublished`, one visible, announced so and changed by an import
`article.updated`. Each transition is announced once, however often this runs. A story whose
visible membership changed gets `story.updated`: a visible article was published or unpublished
in it, or joined or left it (`moves`: the clusterer placed it, an editor merged or split), or an
editor changed its facts (`story_ids`, the lead). A story merged away is announced with no
articles.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.api.representation import article_data, iso, story_data
from articles.models import (
    Article,
    ArticleAnnouncement,
    Story,
    WebhookDelivery,
    WebhookEndpoint,
)


def site_url() -> str:
    return (settings.SITE_URL or "http://localhost").rstrip("/")


def body(event_type: str, at, data: dict) -> str:
    return json.dumps({"type": event_type, "timestamp": iso(at), "data": data}, sort_keys=True)


def announce(article_ids, changed_ids=(), moves=(), story_ids=(), *, now=None) -> list[int]:
    """Record the deliveries owed for these articles' transitions and for the stories they
    changed; returns their ids."""
    now = now or timezone.now()
    endpoints = list(WebhookEndpoint.objects.filter(active=True))
    if not endpoints:
        return []
    changed = set(changed_ids)
    with transaction.atomic():
        announced = dict(
            ArticleAnnouncement.objects.select_for_update()
            .filter(article_id__in=article_ids)
            .values_list("article_id", "visible")
        )
        visible = set(
            Article.objects.published(now).filter(pk__in=article_ids).values_list("pk", flat=True)
        )
        events = []  # (type, article id)
        for pk in article_ids:
            was = announced.get(pk, False)
            if pk in visible and not was:
                events.append(("article.published", pk))
            elif pk not in visible and was:
                events.append(("article.unpublished", pk))
            elif pk in visible and pk in changed:
                events.append(("article.updated", pk))
        flips = [
            (pk, kind == "article.published") for kind, pk in events if kind != "article.updated"
        ]
        ArticleAnnouncement.objects.filter(article_id__in=[pk for pk, _ in flips]).delete()
        ArticleAnnouncement.objects.bulk_create(
            ArticleAnnouncement(article_id=pk, visible=shown, announced_at=now)
            for pk, shown in flips
        )
        articles = Article.objects.select_related("provider").in_bulk([pk for _, pk in events])
        url = site_url()
        deliveries = []
        stories = moved_stories(moves, now)
        facts_only = set(story_ids) - stories  # announced only if readers see the story
        for kind, pk in events:
            article = articles[pk]
            if kind != "article.updated" and article.story_id:
                stories.add(article.story_id)
            text = body(kind, now, article_data(article, site_url=url))
            deliveries += owed(endpoints, kind, f"article:{pk}", text, now)
        existing = Story.objects.in_bulk(stories | facts_only)
        for pk in sorted(stories | facts_only):
            story = existing.get(pk)  # None: merged away
            members = list(Article.objects.published(now).filter(story=story)) if story else []
            if pk in facts_only and not members:
                continue
            data = (
                story_data(story, site_url=url, visible=members)
                if members
                else {"id": pk, "url": None, "article_count": 0}
            )
            text = body("story.updated", now, data)
            deliveries += owed(endpoints, "story.updated", f"story:{pk}", text, now)
        WebhookDelivery.objects.bulk_create(deliveries)
    return [d.pk for d in deliveries]


def start_from_what_readers_see(endpoint, now=None) -> None:
    """An endpoint starting (added, or active again) starts from what readers see now, which a
    receiver reads from the API: every visible article counts as announced visible, so an
    article live before any endpoint existed is announced when it expires, and is not announced
    as published when it is merely re-announced. With no other endpoint active, what was last
    announced is stale (nothing was announced meanwhile) and is replaced."""
    now = now or timezone.now()
    others = WebhookEndpoint.objects.filter(active=True).exclude(pk=endpoint.pk)
    with transaction.atomic():
        if not others.exists():
            ArticleAnnouncement.objects.all().delete()
        known = ArticleAnnouncement.objects.values("article_id")
        visible = Article.objects.published(now).exclude(pk__in=known).values_list("pk", flat=True)
        ArticleAnnouncement.objects.bulk_create(
            (ArticleAnnouncement(article_id=pk, visible=True, announced_at=now) for pk in visible),
            batch_size=1000,
        )


def moved_stories(moves, now) -> set[int]:
    """The stories a visible article joined or left: (article id, the story it left)."""
    left = dict(moves)
    if not left:
        return set()
    # A move changes no article's visibility: one visible now was visible in the story it left.
    joined = dict(Article.objects.published(now).filter(pk__in=left).values_list("pk", "story_id"))
    return ({*joined.values()} | {left[pk] for pk in joined}) - {None}


def owed(endpoints, kind, subject, text, now) -> list:
    return [
        WebhookDelivery(
            endpoint=e,
            event_type=kind,
            subject=subject,
            body=text,
            created_at=now,
            next_attempt_at=now,
        )  # fmt: skip
        for e in endpoints
        if e.wants(kind)
    ]


def schedule_passed(since, now) -> list[int]:
    """Articles whose embargo or expiry fell in (since, now]: their visibility may have changed."""
    window = Article.objects.filter(publish_at__gt=since, publish_at__lte=now) | (
        Article.objects.filter(unpublish_at__gt=since, unpublish_at__lte=now)
    )
    return list(window.order_by().values_list("pk", flat=True).distinct())


# How far back the periodic check looks (announcing is idempotent: overlaps cost nothing).
SCHEDULE_LOOKBACK = timedelta(days=1)
