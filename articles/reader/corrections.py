"""/corrections/: every public correction note, newest first, of the articles readers may see
(`Correction.objects.public()`), twenty a page. A reader page like the others: cached through
`page_cache.cache_reader_page`, rebuilt when an editor's correction bumps the pages' version."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from articles.canonical_values import page_number
from articles.models import Correction
from articles.page_cache import cache_reader_page

CORRECTIONS_PER_PAGE = 20
CORRECTIONS_READS = {"page": page_number}


def public_corrections():
    """What the page lists: each with its article (headline, slug) and the provider's name."""
    return (
        Correction.objects.public()
        .select_related("article__provider")
        .only(
            "made_at",
            "note",
            "article__id",
            "article__slug",
            "article__title",
            "article__editor_title",
            "article__provider__name",
            "article__provider__domain",
        )
        .order_by("-made_at", "-id")
    )


@require_safe
@cache_reader_page(reads=CORRECTIONS_READS)
def corrections(request):
    asked = page_number(request.GET.get("page", ""))
    if asked is None:
        return redirect("articles:corrections")  # "01", "+1": one address per page
    paginator = Paginator(public_corrections(), CORRECTIONS_PER_PAGE)
    try:
        page = paginator.page(int(asked or 1))  # the first page, empty or not, always
    except InvalidPage:
        raise Http404("No such page.") from None
    return render(request, "articles/corrections.html", {"page": page})
