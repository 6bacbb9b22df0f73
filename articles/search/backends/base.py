"""What every search backend answers, whatever its engine's index: the calls search makes."""

import datetime as dt

from django.db.models import Q, QuerySet

from articles.search.query import ParsedQuery

# (article id, rank, source date): a higher rank is a better match.
Match = tuple[int, float, dt.datetime]


class SearchTooBroad(Exception):
    """The index gave up on a query that would take too long (PostgreSQL's statement timeout):
    the reader is asked to narrow it, never shown an error page."""


class SearchBackend:
    """One database engine's full-text index of articles (title, excerpt, body), asked with a
    `ParsedQuery` (non-empty). Matches come most recently imported first (highest id): the order
    both indexes keep, so the newest few cost about the same whether a word is in six articles
    or in all of them."""

    def ranked_matches(self, articles: QuerySet, query: ParsedQuery, limit: int) -> list[Match]:
        """The newest `limit` of `articles` that match, each with its rank: title words weigh
        more than excerpt words, excerpt words more than body words. May raise SearchTooBroad
        (readers' searches run under a time limit where the engine has one)."""
        raise NotImplementedError

    def newest_matching_ids(self, articles: QuerySet, query: ParsedQuery, limit: int) -> list[int]:
        """The ids of the newest `limit` of `articles` that match, newest first."""
        raise NotImplementedError

    def matches(self, query: ParsedQuery) -> Q:
        """A filter for the articles that match, to combine with other conditions (the admin's
        search also matches providers)."""
        raise NotImplementedError

    def provider_among(self, providers: QuerySet) -> Q:
        """A filter for the articles of `providers` (a queryset of their ids) that the engine
        plans well inside an OR with `matches`."""
        raise NotImplementedError
