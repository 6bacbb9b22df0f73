"""PostgreSQL: `Article.search_vector` (migration 0007, refreshed by the triggers of 0012, 0018
and 0023), a tsvector of title and the editor's headline (weight A), excerpt and the editor's
excerpt (B) and body (C) in its language's configuration (migration 0023: `newsroom_french` for
an article in French, ...; `newsroom`, English, for the others; accents folded in all), behind
a GIN index. A query is a tsquery of bound `SearchQuery` parameters combined with & | ~, so
nothing a reader types is ever tsquery syntax; it is read in each language's configuration and
the readings ORed, so "élections" finds an article in French that says "élection" and
"elections" one in English that says "election". Ranked with ts_rank.

A reader's search runs under STATEMENT_TIMEOUT_MS (`SET LOCAL statement_timeout`, in a
transaction of its own): a query too costly to answer in time is cancelled by PostgreSQL and
becomes SearchTooBroad, which the results page turns into "narrow it".
"""

from contextlib import contextmanager
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField, F, Func, Q

from articles.search.backends.base import Match, SearchBackend, SearchTooBroad
from articles.search.query import ParsedQuery, Term

SEARCH_CONFIG = "newsroom"  # english with accents folded (migration 0012)
# An article's language (its primary subtag) -> the configuration its text was indexed in
# (migration 0023's STEMMED: a test holds the two equal); any other language: SEARCH_CONFIG.
LANGUAGE_CONFIGS = {
    "fr": "newsroom_french",
    "de": "newsroom_german",
    "es": "newsroom_spanish",
    "it": "newsroom_italian",
    "pt": "newsroom_portuguese",
    "nl": "newsroom_dutch",
}
QUERY_CONFIGS = (SEARCH_CONFIG, *LANGUAGE_CONFIGS.values())
# A reader's search costs a few milliseconds to about a hundred (docs/PERFORMANCE.md); ten
# times that is a query nobody should wait for, costing a worker and a core meanwhile.
STATEMENT_TIMEOUT_MS = 1000
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by its timeout


def tsquery(query: ParsedQuery) -> SearchQuery:
    """The tsquery: each term a bound parameter, combined with & | ~. The wanted terms are read
    in each language's configuration and the readings ORed, each whole (a word that is a stop
    word in one language drops out of that reading only); an excluded term is excluded in every
    reading of it."""
    required = reduce(or_, (_wanted(query, config) for config in QUERY_CONFIGS))
    for term in query.excluded:
        for config in QUERY_CONFIGS:  # not in any reading: !a & !b
            required &= ~_term(term, config)
    return required


def _wanted(query: ParsedQuery, config: str) -> SearchQuery:
    return reduce(
        and_, (reduce(or_, (_term(term, config) for term in group)) for group in query.groups)
    )


def _term(term: Term, config: str = SEARCH_CONFIG) -> SearchQuery:
    # The text as typed, through PostgreSQL's own parser as the documents went: it keeps
    # "3.5", "covid-19" or "bank.example.com" whole where `words` splits them. A phrase
    # query reads its input as plain text, never as tsquery syntax.
    return SearchQuery(term.typed or " ".join(term.words), search_type="phrase", config=config)


class _EqualsAny(Func):
    """`column = ANY(ARRAY(subquery))`: the subquery runs once, and PostgreSQL can use the
    column's index for the result, inside an OR too (with `IN (subquery)` it cannot)."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()


@contextmanager
def _time_limit(milliseconds: int):
    """Statements inside run under `statement_timeout`, in a transaction (or savepoint) of
    their own; a cancelled one raises SearchTooBroad, and the connection stays usable."""
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # set_config(..., true) is SET LOCAL with a bound value.
                cursor.execute(
                    "SELECT current_setting('statement_timeout'), "
                    "set_config('statement_timeout', %s, true)",
                    [f"{int(milliseconds)}ms"],
                )
                before = cursor.fetchone()[0]
            yield
            if not outermost:
                # A released savepoint keeps a SET LOCAL to the end of the outer transaction.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != QUERY_CANCELED:
            raise
        raise SearchTooBroad(str(error)) from error


class TsvectorBackend(SearchBackend):
    def _newest(self, articles, query: ParsedQuery):
        return articles.filter(self.matches(query)).order_by("-id")

    def rank(self, query: ParsedQuery):
        """How well an article matches: title (weight A) above excerpt (B) above body (C),
        ts_rank's default weights."""
        return SearchRank(F("search_vector"), tsquery(query))

    def ranked_matches(self, articles, query, limit) -> list[Match]:
        ranked = self._newest(articles, query).annotate(search_rank=self.rank(query))
        values = ranked.values_list("id", "search_rank", "source_published_at")[:limit]
        with _time_limit(STATEMENT_TIMEOUT_MS):
            return list(values)

    def newest_matching_ids(self, articles, query, limit) -> list[int]:
        return list(self._newest(articles, query).values_list("pk", flat=True)[:limit])

    def matches(self, query) -> Q:
        return Q(search_vector=tsquery(query))

    def provider_among(self, providers) -> Q:
        # Else PostgreSQL tests the text of every article along the list's order, looking for
        # the few that match a rare word: a second at 100,000 articles.
        return Q(_EqualsAny(F("provider_id"), ArraySubquery(providers)))
