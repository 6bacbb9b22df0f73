"""How a reader listing's view reads its place from the URL (a cursor, an old page number) and
answers: the page asked for, or a redirect to the listing's first page; never a 500."""

from functools import wraps

from django.http import Http404
from django.shortcuts import redirect, render

from articles.canonical_values import page_number
from articles.reader.cursors import ListingPage, Position
from articles.reader.listings import listing_page

NO_SUCH_PAGE = "No such page."


def page_asked(request) -> int | None:
    """The page number in the URL (1 without one), or None unless it is written canonically:
    "01" or "+1" would otherwise build page 1 again under another cache key."""
    value = page_number(request.GET.get("page", ""))
    return None if value is None else int(value or 1)


class ToFirstPage(Exception):
    """The reader is better served by the listing's first page (a redirect)."""


def cursors_asked(request) -> tuple[Position | None, Position | None]:
    """The cursor in the URL: `?before=` (older entries) or `?after=` (newer), at most one. A
    cursor that is no position is a 404; an old `?page=N` address goes to the first page."""
    if "page" in request.GET:
        raise ToFirstPage
    before, after = request.GET.get("before"), request.GET.get("after")
    if before is not None and after is not None:
        raise Http404(NO_SUCH_PAGE)
    older = Position.from_cursor(before) if before is not None else None
    newer = Position.from_cursor(after) if after is not None else None
    if (before is not None and older is None) or (after is not None and newer is None):
        raise Http404(NO_SUCH_PAGE)
    return older, newer


def page_asked_of(request, listing: str, of: int | None = None) -> ListingPage:
    """A page of a listing (`reader.listings`), one entry per story, from the cursor in the
    URL (`cursors_asked`); a cursor with nothing beyond it goes to the first page."""
    older, newer = cursors_asked(request)
    page = listing_page(listing, of, older_than=older, newer_than=newer)
    if page is None:
        if of is not None and not listing_page(listing, of).cards:
            # As its first page would: nothing published here reads as nothing here at all.
            raise Http404(NO_SUCH_PAGE)
        raise ToFirstPage
    return page


def listing_response(request, template: str, page: ListingPage, **context):
    response = render(request, template, {"page": page, **context})
    if not page.stored:
        response.reader_page_not_stored = True  # any position could fill the cache otherwise
    return response


def listing_view_of(view):
    """Answers `ToFirstPage` with a redirect to the listing's own address, no parameters."""

    @wraps(view)
    def listing_view(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ToFirstPage:
            response = redirect(request.path)
            response.reader_page_not_stored = True  # a redirect for any cursor: never stored
            return response

    return listing_view
