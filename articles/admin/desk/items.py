"""How an entry of the queue (`Desk.entries`) is shown: its list item and its reading pane
(templates/django/admin/desk/_item.html, _detail.html), with links that keep the editor's
filters and the page of the queue they are on."""

from functools import cache

from django.urls import reverse

from articles.admin.article_page import preview_url
from articles.admin.desk.queue import AFTER, AT, desk_url
from articles.clustering.explain import near_misses, why
from articles.reader.markdown import http_url, render_body


def story_context(article, shown) -> dict:
    """A story entry's facts: how many wait, of how many, from which providers (of those
    shown), the others shown (`shown`, with the lead: the ones a story decision takes)."""
    providers = sorted({a.provider.name for a in shown}, key=str.lower)
    story = article.story
    return {
        "story": article.story,
        "waiting": shown[0].waiting_in_story,
        "shown": len(shown),
        "providers": providers,
        "others": [a for a in shown if a.pk != article.pk],
        "members": ",".join(str(a.pk) for a in shown),
        # Why these are one story, and what its shown members nearly joined: read only where
        # the pane shows them (a template calls a callable), from what clustering stored.
        "why": [(a, why(a.story_evidence, a.story_pinned)) for a in shown],
        "near_misses": cache(lambda: near_misses(story, shown, incoming=False)),
    }


def item_context(entry, query, can_decide, current=False, next_pk=None, after=None) -> dict:
    """What the templates of an entry (`Desk.entries`) need: its list item and its pane."""
    # Where the item is: its filters, and the page of the queue it is on (`after`).
    place = desk_url(query, **{AFTER: after}).partition("?")[2]
    article = entry["article"]
    topics = sorted(article.topics.all(), key=lambda tag: tag.name.lower())
    return {
        "article": article,
        "key": entry["key"].pk,  # its place in the queue: a story's first waiting article
        "story": story_context(article, entry["story"]) if entry["story"] else None,
        "current": current,
        "at_url": desk_url(query, **{AFTER: after, AT: entry["key"].pk}),
        "query": place,
        "next_pk": next_pk,
        "body": render_body(article.body),
        "source_url": http_url(article.web_url) or http_url(article.original_url),
        "change_url": reverse("admin:articles_article_change", args=[article.pk]),
        "preview_url": preview_url(article),
        "topics": topics,
        "related": [
            {"link": link, "url": http_url(link.url)} for link in article.related_links.all()
        ],
        "can_decide": can_decide,
        "provider_url": desk_url(query, provider=article.provider_id),
        "topic_links": [(tag.name, desk_url(query, topic=tag.pk)) for tag in topics],
    }


def items_context(entries, query, can_decide, at=None, after=None) -> list[dict]:
    """Each entry with what its templates need; the one `at` (else the first) is current."""
    current = next((e for e in entries if e["key"].pk == at), entries[0] if entries else None)
    contexts = []
    for index, entry in enumerate(entries):
        following = entries[index + 1]["key"].pk if index + 1 < len(entries) else None
        contexts.append(item_context(entry, query, can_decide, entry is current, following, after))
    return contexts
