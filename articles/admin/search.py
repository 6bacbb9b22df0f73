"""The article list's search box, over the same full-text index as the reader's search.

The query language is the reader's (articles/search.py): every word must match, "phrases",
-exclusions, `or`. A word also matches an article by its provider's name or domain ("farm.ex"
finds Farm Weekly's articles), looked up in the small provider table, not across a join.
"""

from django.db.models import Q

from ..models import Provider
from ..search import ParsedQuery, Term, index_filter, parse_query


def _matches(term: Term) -> Q:
    """In the article's text (through the index), or its provider's name or domain."""
    typed = term.typed or " ".join(term.words)
    providers = Provider.objects.filter(Q(name__icontains=typed) | Q(domain__icontains=typed))
    return index_filter(ParsedQuery(groups=((term,),))) | Q(provider__in=providers.values("pk"))


class IndexedSearchMixin:
    """For ModelAdmins of Article: `get_search_results` through the full-text index. The review
    desk calls it too, so both search alike."""

    def get_search_results(self, request, queryset, search_term):
        parsed = parse_query(search_term)
        for group in parsed.groups:
            either = Q()
            for term in group:
                either |= _matches(term)
            queryset = queryset.filter(either)
        for term in parsed.excluded:
            queryset = queryset.exclude(index_filter(ParsedQuery(groups=((term,),))))
        return queryset, False
