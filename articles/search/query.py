"""Search over published articles, with one query language on both engines.

What people type: every word must match; "quoted phrases" match as written; -word (or
-"a phrase") leaves articles with it out; `or` between two words (or phrases) accepts either.
`parse_query` turns the text into a `ParsedQuery` without touching the database, and never
raises: odd input (lone quotes or minus signs, NUL, emoji, SQL or FTS syntax) only loses the
characters that are not words. The structure then compiles to:

- SQLite: an FTS5 MATCH string over `article_fts` (migration 0011), in which every term is a
  quoted string, so nothing a reader types is ever FTS5 syntax; ranked with bm25.
- PostgreSQL: a tsquery built from bound `SearchQuery` parameters (plain and phrase queries
  combined with & | ~), matched against `Article.search_vector` (0007, refreshed by 0011).

Both fold case and accents ("societe" finds "Société" and the other way round) and stem English
words ("bridge" finds "bridges"). Titles weigh more than excerpts, excerpts more than bodies;
among equally relevant articles the newer comes first.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

from articles.models import Article

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16  # what a person types; more only makes the index work harder
SEARCH_CONFIG = "newsroom"  # PostgreSQL: english with accents folded (migration 0011)
FTS_TABLE = "article_fts"
# bm25 weights of the FTS5 columns, in their order: title, excerpt, body.
FTS_WEIGHTS = (10.0, 4.0, 1.0)

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]+")
# A token: an optional minus, then a quoted phrase (its closing quote may be missing) or a run
# of anything but spaces and quotes.
_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
# A word as both indexes see one: letters and digits (FTS5's unicode61 and PostgreSQL's parser
# both split on everything else, "_" included).
_WORD = re.compile(r"[^\W_]+")


def clean_query(raw: str | None) -> str:
    """The query as we search for it: no control characters, single spaces, at most 200 chars."""
    text = _CONTROL_CHARACTERS.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


@dataclass(frozen=True)
class Term:
    """One word, or a phrase: several words that must appear together, in this order."""

    words: tuple[str, ...]
    typed: str = field(default="", compare=False)  # as written, for a plain text match

    def fts5(self) -> str:
        # Words hold letters and digits only, so the quoted string cannot hold a quote.
        return '"' + " ".join(self.words) + '"'

    def postgres(self) -> SearchQuery:
        # The text as typed, through PostgreSQL's own parser as the documents went: it keeps
        # "3.5", "covid-19" or "bank.example.com" whole where `words` splits them. A phrase
        # query reads its input as plain text, never as tsquery syntax.
        return SearchQuery(
            self.typed or " ".join(self.words), search_type="phrase", config=SEARCH_CONFIG
        )


@dataclass(frozen=True)
class ParsedQuery:
    """All `groups` must match (a group: terms of which any one will do); no `excluded` may."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        # Exclusions alone are no search: they would list nearly everything.
        return bool(self.groups)

    @property
    def words(self) -> list[str]:
        """The words looked for (not the excluded ones), for highlighting."""
        return [word for group in self.groups for term in group for word in term.words]

    def fts5_match(self) -> str:
        """The FTS5 MATCH expression: quoted terms joined by AND, OR and NOT only."""
        required = " AND ".join(_fts5_any(group) for group in self.groups)
        if not self.excluded:
            return required
        return f"({required}) NOT {_fts5_any(self.excluded)}"

    def postgres_query(self) -> SearchQuery:
        """The tsquery: each term a bound parameter, combined with & | ~."""
        required = reduce(and_, (_postgres_any(group) for group in self.groups))
        for term in self.excluded:
            required &= ~term.postgres()
        return required


def _fts5_any(terms) -> str:
    return terms[0].fts5() if len(terms) == 1 else "(" + " OR ".join(t.fts5() for t in terms) + ")"


def _postgres_any(terms) -> SearchQuery:
    return reduce(or_, (term.postgres() for term in terms))


def parse_query(text: str) -> ParsedQuery:
    """The query language (see the module's docstring), from cleaned or raw text."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False  # the last token was `or` between two terms
    count = 0
    for minus, phrase, bare in _TOKEN.findall(clean_query(text)):
        if not minus and phrase == "" and bare.lower() == "or" and groups:
            join_next = True
            continue
        words = tuple(_WORD.findall((phrase or bare).lower()))
        if not words or count >= MAX_TERMS:
            continue
        count += 1
        term = Term(words, typed=phrase or bare)
        if minus:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return ParsedQuery(tuple(tuple(group) for group in groups), tuple(excluded))


# --- Asking the database


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
    latest = newest_matching(articles, query)
    if connection.vendor == "postgresql":
        # Title (weight A) above excerpt (B) above body (C): ts_rank's default weights.
        latest = latest.annotate(search_rank=SearchRank(F("search_vector"), query.postgres_query()))
    else:
        # bm25 is lower for better matches, so it is negated.
        weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
        latest = latest.extra(select={"search_rank": f"-bm25({FTS_TABLE}, {weights})"})
    matches = latest.values_list("id", "search_rank", "source_published_at")[:RANKED_AT_MOST]
    return SearchResults(list(matches), articles, newest_first=newest_first)


def newest_matching(articles, query: ParsedQuery):
    """Those of `articles` whose title, excerpt or body match `query` (non-empty), the most
    recently imported (highest id) first: the order both indexes keep, so the first few cost
    about the same whether a word is in six articles or in all of them. Slice it."""
    if connection.vendor == "postgresql":
        return articles.filter(index_filter(query)).order_by("-id")
    # FTS5 is a virtual table the ORM cannot join; `extra` joins it by rowid (the article's id)
    # and binds the MATCH string as a parameter. FTS5 hands out matches in rowid order, so the
    # latest come first without a sort, and a slice stops the scan.
    return articles.order_by().extra(
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = articles_article.id", f"{FTS_TABLE} MATCH %s"],
        params=[query.fts5_match()],
        order_by=[f"-{FTS_TABLE}.rowid"],
    )


def index_filter(query: ParsedQuery) -> Q:
    """A filter for the articles whose title, excerpt or body match `query` (non-empty), to
    combine with other conditions (the admin's search matches providers too)."""
    if connection.vendor == "postgresql":
        return Q(search_vector=query.postgres_query())
    match = RawSQL(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [query.fts5_match()]
    )
    return Q(pk__in=match)


def search_published(query: str | ParsedQuery, *, newest_first: bool = False):
    """Published articles matching `query`: best first, or newest first."""
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    return search(Article.objects.published(), parsed, newest_first=newest_first)
