"""Which published articles match a search, and in what order: best first (the newer first
among equally relevant ones) or newest first, at most RANKED_AT_MOST, as a sequence a Paginator
pages through. The index is the backend's (articles/search/backends/)."""

from collections.abc import Sequence

from articles.models import Article
from articles.search.backends import search_backend
from articles.search.query import ParsedQuery, parse_query

# Ranking costs time in proportion to the articles that match: tens of thousands for a common
# word in a large archive. Above this many matches, results come from the most recently
# imported ones (by id: the order both indexes keep), ranked among themselves.
RANKED_AT_MOST = 500


class SearchResults(Sequence):
    """The articles that matched, in order, for a Paginator: their ids, ranks and dates come in
    one query and are ordered here; a page's articles are fetched by id when it is shown."""

    def __init__(self, matches, articles, *, newest_first: bool):
        # (id, rank, date); rank is higher for a better match.
        if newest_first:
            matches = sorted(matches, key=lambda m: (m[2], m[0]), reverse=True)
        else:
            matches = sorted(matches, key=lambda m: (m[1], m[2], m[0]), reverse=True)
        self.ids = [match[0] for match in matches]
        self.articles = articles
        # More may match than were ranked: the page says the list holds the latest.
        self.capped = len(self.ids) >= RANKED_AT_MOST

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = self.ids[index]
        found = self.articles.in_bulk(ids) if ids else {}
        return [found[pk] for pk in ids if pk in found]


def search(articles, query: ParsedQuery, *, newest_first: bool = False) -> SearchResults:
    """Those of `articles` that match `query` (none for an empty query), at most
    RANKED_AT_MOST: best first (the newer first among equals), or newest first. `articles`
    also fetches each page, so its select_related/prefetch_related/defer apply."""
    if not query:
        return SearchResults([], articles, newest_first=newest_first)
    matches = search_backend().ranked_matches(articles, query, RANKED_AT_MOST)
    return SearchResults(matches, articles, newest_first=newest_first)


def search_published(query: str | ParsedQuery, *, newest_first: bool = False) -> SearchResults:
    """Published articles matching `query`: best first, or newest first."""
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    return search(Article.objects.published(), parsed, newest_first=newest_first)
