"""The article list's search box, over the same full-text index as the reader's search.

The query language is the reader's (articles/search/query.py): every word must match, "phrases",
-exclusions, `or`. A word also matches an article by its provider's name or domain ("farm.ex"
finds Farm Weekly's articles), looked up in the small provider table, not across a join.
"""

from django.db.models import Q

from articles.models import Provider
from articles.search.backends import search_backend
from articles.search.query import ParsedQuery, Term, parse_query

# A searched list holds the newest this many matches, and says when more match.
LISTED_AT_MOST = 1000


def _providers_named(term: Term) -> Q:
    typed = term.typed or " ".join(term.words)
    return Q(name__icontains=typed) | Q(domain__icontains=typed)


def _in_text(term: Term) -> Q:
    return search_backend().matches(ParsedQuery(groups=((term,),)))


def _matches(term: Term) -> Q:
    """In the article's text (through the index), or its provider's name or domain, matched
    in the small provider table rather than across a join."""
    providers = Provider.objects.filter(_providers_named(term)).values("pk")
    return _in_text(term) | search_backend().provider_among(providers)


def _search(queryset, parsed: ParsedQuery):
    for group in parsed.groups:
        either = Q()
        for term in group:
            either |= _matches(term)
        queryset = queryset.filter(either)
    for term in parsed.excluded:
        queryset = queryset.exclude(_in_text(term))
    return queryset


def _names_a_provider(parsed: ParsedQuery) -> bool:
    named = Q()
    for group in parsed.groups:
        for term in group:
            named |= _providers_named(term)
    return Provider.objects.filter(named).exists()


class IndexedSearchMixin:
    """For ModelAdmins of Article: `get_search_results` through the full-text index. The review
    desk calls it too, so both search alike."""

    def get_search_results(self, request, queryset, search_term):
        return _search(queryset, parse_query(search_term)), False

    def newest_search_results(self, queryset, search_term, limit):
        """The ids of the newest `limit` (highest ids) of the `queryset` articles that
        `get_search_results` keeps, newest first; None for a search without words (it only
        excludes, or is empty), which is not capped."""
        parsed = parse_query(search_term)
        if not parsed:
            return None
        if _names_a_provider(parsed):
            # Rare (a provider's name typed): the text or the provider, every match tested.
            newest = _search(queryset, parsed).order_by("-pk")
            return list(newest.values_list("pk", flat=True)[:limit])
        # Only the text can match: the index hands out the newest first and stops there.
        return search_backend().newest_matching_ids(queryset, parsed, limit)
