"""Whole-page caching for reader pages, keyed on the reader-pages version.

Every key carries `reader_pages_version()`, which publishing, unpublishing and importing bump, so
one change refreshes every reader page on every app server that shares the cache. The timeout is
bounded by the next embargo or expiry (see articles.cache), so what changes with the clock alone
shows up on time.

Only what every anonymous reader would see is cached: GET/HEAD, 200 responses, no Set-Cookie,
and never a page rendered as a staff preview.
"""

import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse

from .cache import reader_page_timeout, reader_pages_version

CACHED_PARAMETERS = ("page", "q", "p")  # the only query parameters reader pages read


def reader_page_key(request) -> str:
    # Only the parameters the views read: `?utm_source=...` shares the page's entry.
    # urlencode, not a join: "q=x&p=1" typed into the box is not the query q=x, p=1. The scheme
    # is in the key because canonical and share URLs on the page carry it.
    params = urlencode([(name, request.GET.get(name, "")) for name in CACHED_PARAMETERS])
    where = f"{request.scheme}://{request.get_host()}|{request.path}|{params}"
    digest = hashlib.sha256(where.encode()).hexdigest()
    return f"newsroom:reader-page:{reader_pages_version()}:{digest}"


def cache_reader_page(view):
    """Serve the page from the cache when it is there; store it when it may be shared."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = reader_page_key(request)
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if _shareable(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(
                key, (response.content, response["Content-Type"]), timeout=reader_page_timeout()
            )
        return response

    return cached_view


def _shareable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(response, "reader_preview", False)
    )
