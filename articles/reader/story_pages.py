"""The story page's read (`story_page()`): the story, the articles of it readers may see as
cards, newest first, the one leading it for readers, and the links its coverage cites most.
Three queries compiled once per process (`articles.db.compiled`), as the listings'; the page is
cut twenty at a time by the listings' cursor rule (`listings.story_part`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from articles.db.compiled import ID, MOMENT, CompiledQuery
from articles.ingest.seeds import canonical_url
from articles.models import Article, RelatedLink, Story
from articles.reader.cards import CARD_COLUMNS, CardMaker, CoverageCard
from articles.reader.markdown import http_url

# The story page's "Elsewhere" shows the links its coverage cites most, not all of them: a big
# story cites over a hundred, a wall no reader scans (and most of the page's cost). Each
# article's own page still lists all of its links.
ELSEWHERE_SHOWN = 12


class Link(NamedTuple):
    """A related link as the story page lists it."""

    href: str  # the URL if it is http(s), else "" (`http_url`): shown as text, not linked
    title: str
    provider_name: str | None
    published: str  # the date as shown, or ""


@dataclass
class StoryPage:
    story: Story  # its title the one readers may see (`Story.title_for_readers`)
    coverage: list[CoverageCard]  # the story's articles readers may see, newest first
    lead: CoverageCard  # the one of them leading the story for readers (`Story.lead_for_readers`)
    links: list[Link]  # the links those articles cite most (ELSEWHERE_SHOWN), then newest
    links_elsewhere: int  # how many they cite in all: each URL once, ours not


_STORY = CompiledQuery(
    lambda pk: Story.objects.filter(pk=pk).values_list("id", "title", "lead")[:1], pk=ID
)
_COVERAGE = CompiledQuery(
    lambda now, pk: (
        Article.objects.published(now)
        .filter(story=pk)
        .order_by("-source_published_at", "-id")
        .values_list(*CARD_COLUMNS, "canonical_url", "provider", "quality", "heat")
    ),
    now=MOMENT,
    pk=ID,
)
_STORY_LINKS = CompiledQuery(
    lambda now, pk: (
        RelatedLink.objects.filter(article__in=Article.objects.published(now).filter(story=pk))
        .order_by("-source_published_at", "article", "position")
        .values_list("url", "title", "provider__name", "source_published_at")
    ),
    now=MOMENT,
    pk=ID,
)


def story_page(pk: int, *, now=None, links=True) -> StoryPage | None:
    """The story `pk` as readers see it, or None when readers may see none of its articles (a
    story readers cannot see says nothing about its unpublished articles). Three queries, two
    without `links` (its address and share image need none)."""
    now = now or timezone.now()
    found = _STORY.rows(pk=pk)
    coverage_rows = _COVERAGE.rows(now=now, pk=pk) if found else []
    if not coverage_rows:
        return None
    maker = CardMaker()
    coverage = []
    for row in coverage_rows:
        canonical, provider, quality, heat = row[len(CARD_COLUMNS) :]
        coverage.append(
            maker.make(
                CoverageCard,
                row,
                canonical_url=canonical,
                provider_id=provider,
                quality=quality,
                heat=heat,
            )
        )
    story = Story.from_db(connection.alias, ["id", "title", "lead_id"], found[0])
    # Readers get the title (and so the address and share image) of an article they may see:
    # the lead may be held, embargoed or taken down. Not saved: editors keep the lead's title.
    lead = story.lead_for_readers(coverage)
    story.title = lead.headline
    ours = {card.canonical_url for card in coverage}
    cited: dict[str, list] = {}  # each URL once (its newest row), with how many cite it
    # Unconverted: a big story cites hundreds of links and shows 12 (their dates converted).
    for row in _STORY_LINKS.rows(now=now, pk=pk, convert=False) if links else ():
        identity = canonical_url(row[0])
        if identity in cited:
            cited[identity][0] += 1
        elif identity not in ours:
            cited[identity] = [1, row]
    most_cited = sorted(cited.values(), key=lambda entry: -entry[0])[:ELSEWHERE_SHOWN]
    shown_links = [
        Link(http_url(address), title, provider_name, maker.date_html(date))
        for address, title, provider_name, date in (
            _STORY_LINKS.converted(row) for _, row in most_cited
        )
    ]
    return StoryPage(story, coverage, lead, shown_links, len(cited))
