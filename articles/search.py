"""Search over published articles: PostgreSQL full-text search, or a simple SQLite fallback.

Whatever a reader types gets a normal results page: the query is trimmed, stripped of control
characters (PostgreSQL refuses NUL) and capped, and websearch syntax never raises on odd input.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

from .models import Article

MAX_QUERY_LENGTH = 200
MAX_FALLBACK_TERMS = 8
SEARCH_CONFIG = "english"

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]+")

# On PostgreSQL, `Article.search_vector` holds title (weight A), excerpt (B) and body (C) as
# an English text vector, kept up to date by a trigger and GIN-indexed (migration 0007).


def clean_query(raw: str | None) -> str:
    """The query as we search for it: no control characters, single spaces, at most 200 chars."""
    text = _CONTROL_CHARACTERS.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def search_published(query: str):
    """Published articles matching `query` (already cleaned), best first."""
    articles = Article.objects.published()
    if not query:
        return articles.none()
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            articles.filter(search_vector=search_query)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", "-source_published_at", "-id")
        )
    return _search_fallback(articles, query)


def _search_fallback(articles, query: str):
    """Every word must appear in the title, excerpt or body; title matches rank first."""
    terms = [term.strip("\"'") for term in query.split()][:MAX_FALLBACK_TERMS]
    terms = [term for term in terms if term]
    if not terms:
        return articles.none()
    for term in terms:
        articles = articles.filter(
            Q(title__icontains=term) | Q(excerpt__icontains=term) | Q(body__icontains=term)
        )
    in_title = Q()
    for term in terms:
        in_title &= Q(title__icontains=term)
    rank = Case(When(in_title, then=Value(2)), default=Value(1), output_field=IntegerField())
    return articles.annotate(rank=rank).order_by("-rank", "-source_published_at", "-id")
