"""How an entry of the queue (`Desk.entries`) is shown: its list item and its reading pane
(templates/django/admin/desk/_item.html, _detail.html), with links that keep the editor's
filters and the page of the queue they are on."""

from functools import cache

from django.urls import reverse

from articles.admin.article_page import preview_url
from articles.admin.desk.queue import AFTER, AT, desk_url
from articles.admin.schedule_field import EXAMPLE, zone_name
from articles.clustering.explain import near_misses, why
from articles.reader.markdown import http_url, render_body

# A story decision that takes more articles than this, or articles over more days than this,
# is asked once before `a` or `x` decides all of it (finding 5 of issue 26: one `x`, 14 articles).
ASK_BEYOND_ARTICLES = 8
ASK_BEYOND_DAYS = 3


def big_stroke(count: int, first, last) -> str:
    """What a story decision on `count` articles published from `first` to `last` would take,
    in words, if it is big enough to ask first ("14 articles over 6 days"); else ""."""
    days = (last - first).days if first and last else 0
    if count <= ASK_BEYOND_ARTICLES and days <= ASK_BEYOND_DAYS:
        return ""
    return f"{count} articles" + (f" over {days} days" if days > ASK_BEYOND_DAYS else "")


def story_context(article, shown, live=(0, False)) -> dict:
    """A story entry's facts: its headline, how many wait, of how many, how many readers see
    now and whether its lead is one of them, from which providers (of those shown), the others
    shown (`shown`, with the lead: the ones a story decision takes)."""
    providers = sorted({a.provider.name for a in shown}, key=str.lower)
    story = article.story
    dates = [a.source_published_at for a in shown if a.source_published_at]
    return {
        "story": story,
        "headline": story.title or article.headline,
        "live": live[0],
        # The story's lead is live already: `p` publishes this one beside it.
        "lead_live": live[1] and story.lead_id != article.pk,
        "big": big_stroke(len(shown), min(dates, default=None), max(dates, default=None)),
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
        "story": story_context(article, entry["story"], entry.get("live", (0, False)))
        if entry["story"]
        else None,
        "current": current,
        "flag": entry.get("flag", ""),  # an import rule's (flags.flag_marks)
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
        "zone": zone_name(),
        "example": EXAMPLE,
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
