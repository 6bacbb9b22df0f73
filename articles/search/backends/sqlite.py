"""SQLite: FTS5's `article_fts` (migrations 0012, 0018), an external-content index of the
articles' title, excerpt and body, and the editor's headline and excerpt over them, whose rowid
is the article's id, kept right by triggers.

Every term of a query is a quoted FTS5 string, so nothing a reader types is ever FTS5 syntax.
Queries start from the index: FTS5 hands out matches in rowid order, so the newest come first
without a sort and a LIMIT stops the scan; each match is then looked up among the articles asked
for. Ranked with bm25.
"""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value

from articles.models import Article
from articles.search.backends.base import Match, SearchBackend
from articles.search.query import ParsedQuery, Term

FTS_TABLE = "article_fts"
# bm25 weights of the FTS5 columns, in their order: title, excerpt, body, and the editor's
# headline and excerpt, weighed as the source's.
FTS_WEIGHTS = (10.0, 4.0, 1.0, 10.0, 4.0)


def fts5_match(query: ParsedQuery) -> str:
    """The FTS5 MATCH expression: quoted terms joined by AND, OR and NOT only."""
    required = " AND ".join(_any_of(group) for group in query.groups)
    if not query.excluded:
        return required
    return f"({required}) NOT {_any_of(query.excluded)}"


def _quoted(term: Term) -> str:
    # Words hold letters and digits only, so the quoted string cannot hold a quote.
    return '"' + " ".join(term.words) + '"'


def _any_of(terms) -> str:
    if len(terms) == 1:
        return _quoted(terms[0])
    return "(" + " OR ".join(_quoted(term) for term in terms) + ")"


class _WholeRow(models.TextField):
    """FTS5's hidden column named after its table: the left side of MATCH, and the first
    argument of its ranking functions."""


@_WholeRow.register_lookup
class _Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        row, row_params = self.process_lhs(compiler, connection)
        match, match_params = self.process_rhs(compiler, connection)
        return f"{row} MATCH {match}", [*row_params, *match_params]


class ArticleIndexRow(models.Model):
    """A row of `article_fts`, read-only: the index as a table the ORM can start a query from
    (it cannot join a table no model describes). Its app label is no installed app's, so no
    migration describes it: 0012 makes the table and its triggers fill it."""

    article_id = models.IntegerField(primary_key=True, db_column="rowid")
    whole_row = _WholeRow(db_column=FTS_TABLE)

    class Meta:
        app_label = "article_search_index"
        db_table = FTS_TABLE
        managed = False

    def __str__(self) -> str:
        return f"index row of article {self.article_id}"


class _Relevance(models.Func):
    """bm25 with FTS_WEIGHTS, negated: bm25 is lower for better matches, a rank higher."""

    function = "bm25"
    template = "-%(function)s(%(expressions)s)"
    output_field = models.FloatField()

    def __init__(self):
        super().__init__(F("whole_row"), *(Value(weight) for weight in FTS_WEIGHTS))


# An index row's article's date, by id alone: `_newest` has kept only the articles asked for.
_SOURCE_DATE = Subquery(
    Article.objects.filter(pk=OuterRef("article_id")).order_by().values("source_published_at")
)


class Fts5Backend(SearchBackend):
    def _newest(self, articles, query: ParsedQuery):
        """The index rows that match, newest first, of those of `articles`."""
        among = Exists(articles.filter(pk=OuterRef("article_id")))
        matching = ArticleIndexRow.objects.filter(among, whole_row__match=fts5_match(query))
        return matching.order_by("-article_id")

    def ranked_matches(self, articles, query, limit) -> list[Match]:
        ranked = self._newest(articles, query).annotate(rank=_Relevance(), date=_SOURCE_DATE)
        return list(ranked.values_list("article_id", "rank", "date")[:limit])

    def newest_matching_ids(self, articles, query, limit) -> list[int]:
        return list(self._newest(articles, query).values_list("article_id", flat=True)[:limit])

    def matches(self, query) -> Q:
        index = ArticleIndexRow.objects.filter(whole_row__match=fts5_match(query))
        return Q(pk__in=index.values("article_id"))

    def provider_among(self, providers) -> Q:
        return Q(provider__in=providers)
