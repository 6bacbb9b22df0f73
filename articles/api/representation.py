"""What the read API shows of an article, a story, a topic and a provider: plain functions from
rows to JSON-ready dicts, with absolute URLs under `site_url` (e.g. "https://news.example").

The one representation: the API's views answer with these dicts, its OpenAPI schemas describe
them (`articles.api.schemas`), and webhook bodies carry `article_data` as their `data`. No
framework here (no DRF, no request): a worker without a request builds the same dict.

Dates are ISO 8601 in UTC with a `Z`. Only what readers may see belongs in these dicts: pass
articles from `Article.objects.published()` (editors' fields, `secured`, `extra` and the review
record are never shown).
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from django.urls import reverse

# Editor overrides of title and excerpt (issue 26) are not in yet: `article.title` and
# `article.excerpt` are what readers see today. When they land, `_title` and `_excerpt` are
# the two places to switch to the override.


def _title(article) -> str:
    return article.title


def _excerpt(article) -> str:
    return article.excerpt


def iso(moment: datetime | None) -> str | None:
    """A moment as the API writes it: ISO 8601, UTC, `Z` (None stays None)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@functools.lru_cache(maxsize=8192)
def _path(name: str, *args) -> str:
    # A page of twenty articles asks for some eighty paths; reverse() costs ~10 µs each.
    return reverse(name, args=args)


def provider_data(provider, *, site_url: str) -> dict:
    """A provider: `id`, `name`, `domain`, `url` (its page on this site)."""
    return {
        "id": provider.pk,
        "name": provider.name,
        "domain": provider.domain,
        "url": site_url + _path("articles:provider", provider.domain),
    }


def topic_data(topic, *, site_url: str) -> dict:
    """A topic: `name`, `slug`, `url` (its page on this site; null when the name makes no slug,
    so has no page)."""
    return {
        "name": topic.name,
        "slug": topic.slug,
        "url": site_url + _path("articles:topic", topic.slug) if topic.slug else None,
    }


def article_data(article, *, site_url: str, topics=None) -> dict:
    """An article as the API shows it (and webhooks send it).

    `article` needs its `provider` (select_related it); `topics`, if given, its topics in
    hand (else `article.topics.all()`, one query unless prefetched)."""
    if topics is None:
        topics = article.topics.all()
    story = None
    if article.story_id is not None:
        story = {
            "id": article.story_id,
            "url": site_url + _path("articles:story_short", article.story_id),
        }
    return {
        "id": article.pk,
        "url": site_url + _path("articles:detail", article.pk, article.slug),
        "title": _title(article),
        "excerpt": _excerpt(article),
        "body": article.body,
        "category": article.category,
        "type": article.type,
        "published_at": iso(article.source_published_at),
        "updated_at": iso(article.updated_at),
        "source_url": article.web_url or article.original_url or article.canonical_url,
        "canonical_url": article.canonical_url,
        "image": site_url + _path("articles:share_image", article.pk),
        "provider": provider_data(article.provider, site_url=site_url),
        "topics": sorted(
            (topic_data(topic, site_url=site_url) for topic in topics),
            key=lambda topic: topic["name"].casefold(),
        ),
        "story": story,
    }


def story_data(story, *, site_url: str, visible: list) -> dict:
    """A story as readers see it, from `visible`: its articles readers may see (any order, each
    with `pk`, `title`, `quality`, `heat`, `source_published_at`). Its title is one of theirs
    (`Story.title_for_readers`), its dates and count theirs: nothing of a held article shows."""
    dates = [article.source_published_at for article in visible]
    lead = next((a for a in visible if a.pk == story.lead_id), None)
    return {
        "id": story.pk,
        "url": site_url + _path("articles:story_short", story.pk),
        "title": story.title_for_readers(visible),
        "article_count": len(visible),
        "first_published_at": iso(min(dates)),
        "last_published_at": iso(max(dates)),
        "lead_article": lead.pk if lead is not None else None,
    }
