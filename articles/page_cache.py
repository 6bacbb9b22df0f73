"""Whole-page caching for reader pages, keyed on the reader-pages version.

Every key carries `reader_pages_version()`, which publishing, unpublishing and importing bump, so
one change refreshes every reader page on every app server that shares the cache. The timeout is
bounded by the next embargo or expiry (see articles.cache), so what changes with the clock alone
shows up on time.

Only what every anonymous reader would see is cached: GET/HEAD, 200 responses, no Set-Cookie,
and never a page rendered as a staff preview. Views decorated with `cache_reader_page` store
their pages; `ReaderPageCacheMiddleware` serves them.
"""

import hashlib
import logging
from functools import wraps
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse

from .cache import reader_page_timeout, reader_pages_version

logger = logging.getLogger(__name__)

CACHED_PARAMETERS = ("page", "q", "p")  # the only query parameters reader pages read


def reader_page_key(request) -> str:
    return _key_at(_page_address(request))


def _page_address(request) -> str:
    # Only the parameters the views read: `?utm_source=...` shares the page's entry.
    # urlencode, not a join: "q=x&p=1" typed into the box is not the query q=x, p=1. The scheme
    # is in the key because canonical and share URLs on the page carry it.
    params = urlencode([(name, request.GET.get(name, "")) for name in CACHED_PARAMETERS])
    where = f"{request.scheme}://{request.get_host()}|{request.path}|{params}"
    return hashlib.sha256(where.encode()).hexdigest()


def _key_at(address: str) -> str:
    return f"newsroom:reader-page:{reader_pages_version()}:{address}"


class ReaderPageCacheMiddleware:
    """Serves a stored reader page, before sessions, CSRF, authentication, messages and login
    throttling run: none of them changes a page that every reader gets, and skipping them is
    most of what a cached page costs. Security, CSP and frame headers still apply (they come
    earlier in settings.MIDDLEWARE). Pages are stored by `cache_reader_page`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            key = _key_before_rendering(request)
            stored = _from_cache(lambda: cache.get(key)) if key else None
            if stored is not None:
                content, content_type = stored
                response = HttpResponse(content, content_type=content_type)
                response["Content-Length"] = str(len(content))  # as CommonMiddleware would
                return response
        return self.get_response(request)


def cache_reader_page(view):
    """Store the page for `ReaderPageCacheMiddleware` to serve, when it may be shared."""

    @wraps(view)
    def storing_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = getattr(request, "reader_page_key", None) or _key_before_rendering(request)
        response = view(request, *args, **kwargs)
        if key and _shareable(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            _from_cache(
                lambda: cache.set(
                    key,
                    (response.content, response["Content-Type"]),
                    timeout=reader_page_timeout(),
                )
            )
        return response

    return storing_view


def _key_before_rendering(request) -> str | None:
    """The page's key, or None without a cache; kept on the request so the middleware's lookup
    and the view's store share it. Taken before the page is built: if an editor publishes
    meanwhile, the page is stored under the old version, which no reader asks for again."""
    address = _page_address(request)  # a disallowed host is a 400, not a cache failure
    request.reader_page_key = _from_cache(lambda: _key_at(address))
    return request.reader_page_key


def _from_cache(operation):
    """The operation's result, or None when the cache cannot be reached: readers then get pages
    built from the database, and /healthz reports the cache as failing."""
    try:
        return operation()
    except Exception:  # each cache backend raises its own kind of connection error
        logger.warning("Reader page cache unavailable; serving uncached pages", exc_info=True)
        return None


def _shareable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(response, "reader_preview", False)
    )
