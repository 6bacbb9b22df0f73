"""Every use of the cache, in one leaf module: reader pages, their version, and remembered values.

It imports nothing from the app. The domain tells it when readers' view changed
(`reader_pages_changed`, called only from `articles.editorial.writes.readers_see_changes`); views
store pages with `cache_reader_page`; `ReaderPageCacheMiddleware` serves them. Every cache call
goes through `_guarded` (the circuit breaker), so a cache that cannot be reached makes pages
slower, never wrong or failing.

One version covers all readers see (a publish changes home, topic and provider pages, feeds,
the sitemap): every reader page key carries it; a change bumps it for all app servers. A server
that reads a newer database version (`database_version_of_pages`, once a second) than the cache
was bumped for bumps it too: a bump lost in an outage shows within a second. The next embargo
or expiry is kept beside it: pages live no longer, and the first request after it bumps the
version and asks `look_up_schedule_with` for the following one.

Only what every anonymous reader would see is cached: GET/HEAD, 200 responses (and a short
address's 302), no Set-Cookie, and never a page rendered as a staff preview.
"""

import functools
import hashlib
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve

from articles import cache_breaker, database_version_of_pages
from articles.browser_cache import for_browsers
from articles.canonical_values import Canonical

VERSION_KEY = "newsroom:reader-pages-version"
DATABASE_SEEN_KEY = "newsroom:reader-pages-database-version"
# (database version, a Unix time or NO_CHANGE_AHEAD). Absent or for another version means
# unknown (never stored, evicted, lost in an outage): looked up again, so a cull can never make
# a page outlive an embargo or expiry.
NEXT_CHANGE_KEY = "newsroom:reader-pages-next-schedule-change"
NO_CHANGE_AHEAD = float("inf")
LONGEST_PAGE_LIFE = 5 * 60  # seconds; also the bound when the next change is not known


CACHE_UNREACHABLE = cache_breaker.CACHE_UNREACHABLE


def _guarded(operation: Callable, default=None):
    """`operation()`, or `default` when the cache cannot be reached (`cache_breaker`: after one
    failure the cache is left alone for a while, so a hung cache costs one timeout, not one per
    call). When it answers again, the version and next scheduled change it holds may be stale
    (writes made meanwhile did not reach it): both are renewed before anything is read."""
    return cache_breaker.guarded(operation, default, on_reachable_again=_start_afresh)


def _start_afresh() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)  # a value no old page key carries
    cache.delete(NEXT_CHANGE_KEY)  # looked up again on the next read


# --- What readers see changed


def _nothing_to_look_up():
    return None


_next_schedule_change: Callable[[], datetime | None] = _nothing_to_look_up


def look_up_schedule_with(lookup: Callable[[], datetime | None]) -> None:
    """Where the next embargo or expiry comes from (the app registers it at start-up)."""
    global _next_schedule_change
    _next_schedule_change = lookup


def reader_pages_changed(
    next_schedule_change: datetime | None, database_version: int | None = None
) -> None:
    """Every cached reader page is rebuilt on its next request; pages built from now on live
    no longer than until `next_schedule_change` (the next embargo end or expiry, or None),
    looked up at `database_version` (which the app bumped first: that one reaches readers
    even when this cannot reach the cache)."""

    if database_version is not None:  # this process's own change shows in it at once
        database_version_of_pages.remember(database_version)

    def bump():
        _bump_version(database_version)
        _store_next_change(database_version, next_schedule_change)

    _guarded(bump)


def _bump_version(database_version: int | None) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # Not in the cache (evicted or never set): start from a value no old key can carry.
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    if database_version is not None and database_version > (cache.get(DATABASE_SEEN_KEY) or 0):
        cache.set(DATABASE_SEEN_KEY, database_version, timeout=None)


def _store_next_change(database_version: int | None, moment: datetime | None) -> float:
    # With the database version it was looked up at: after an outage's unseen change, stale.
    next_change = NO_CHANGE_AHEAD if moment is None else moment.timestamp()
    cache.set(NEXT_CHANGE_KEY, (database_version, next_change), timeout=None)
    return next_change


def _next_change_for(stored, database_version: int | None) -> float | None:
    """The stored moment, or None if unknown: absent, or looked up at another database version
    (a moment stored with None, by a caller that knows no version (tests), holds for any)."""
    if not isinstance(stored, tuple):
        return None
    stored_version, next_change = stored
    if None not in (database_version, stored_version) and stored_version != database_version:
        return None
    return next_change


def _no_cache() -> bool:
    # No cache configured (CACHE_URL=dummycache://): nothing is stored, so there is no version
    # to read, and no next scheduled change to look up on every page.
    return isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache)


def _versions(database_version: int | None) -> tuple[int | None, int] | None:
    """(`database_version`, the cache's version), or None without a cache; bumps the cache's
    once the next scheduled change has come. A stored moment is taken only if it was looked up
    at `database_version` (any, for None)."""

    if _no_cache():
        return None

    def read():
        # One round trip to the cache on the hot path: every reader page asks this.
        found = cache.get_many([VERSION_KEY, NEXT_CHANGE_KEY, DATABASE_SEEN_KEY])
        version = found.get(VERSION_KEY)
        if database_version is not None and database_version > found.get(DATABASE_SEEN_KEY, -1):
            _bump_version(database_version)  # a change the cache missed: new pages from now
            version = cache.get(VERSION_KEY)
        next_change = _next_change_for(found.get(NEXT_CHANGE_KEY), database_version)
        if next_change is None:
            # Looked up, then added only if still missing: an editor's schedule change that
            # commits and stores its moment meanwhile is fresher than this lookup, and wins.
            looked_up = _next_schedule_change()
            looked_up = NO_CHANGE_AHEAD if looked_up is None else looked_up.timestamp()
            stored = None
            # Stored only at a known version (the admin reads at none: it uses its lookup).
            if database_version is not None and not cache.add(
                NEXT_CHANGE_KEY, (database_version, looked_up), timeout=None
            ):
                stored = _next_change_for(cache.get(NEXT_CHANGE_KEY), database_version)
                if stored is None:  # a moment for another version: this lookup replaces it
                    cache.set(NEXT_CHANGE_KEY, (database_version, looked_up), timeout=None)
            next_change = looked_up if stored is None else stored
        if next_change <= time.time():
            reader_pages_changed(_next_schedule_change(), database_version)
            version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
            version = cache.get(VERSION_KEY)
        return database_version, version

    return _guarded(read)


def reader_pages_version() -> int | None:
    """The cache's reader-pages version (None without a cache, or while it is away); bumps it
    once the next scheduled change has come. Reads no database (the admin keys on it)."""
    versions = _versions(None)
    return None if versions is None else versions[1]


def reader_page_timeout() -> int:
    """How long a reader page built now may be served from the cache."""
    stored = _guarded(lambda: cache.get(NEXT_CHANGE_KEY))
    next_change = _next_change_for(stored, database_version_of_pages.known())
    if next_change is None or next_change == NO_CHANGE_AHEAD:
        return LONGEST_PAGE_LIFE
    return max(1, min(LONGEST_PAGE_LIFE, int(next_change - time.time())))


# --- Health


HEALTH_KEY = "newsroom:healthz"


def cache_answers() -> bool:
    """A round trip through the shared cache, for /healthz: a write that cannot be read back is
    a failure."""
    token = secrets.token_hex(8)

    def round_trip():
        cache.set(HEALTH_KEY, token, timeout=30)
        return cache.get(HEALTH_KEY) == token

    return _guarded(round_trip, default=False)


# --- Values the admin remembers between requests


def remembered(key: str, compute: Callable, timeout: int):
    """`compute()`, kept under `key` for `timeout` s; computed afresh if the cache is down."""
    found = _guarded(lambda: cache.get(key))
    if found is not None:
        return found
    value = compute()
    _guarded(lambda: cache.set(key, value, timeout=timeout))
    return value


def forget(key: str) -> None:
    """Drop what `remembered` keeps under `key` (nothing if the cache is down)."""
    _guarded(lambda: cache.delete(key))


def remembered_for_readers(name: str, compute: Callable):
    """`compute()` (something readers see, e.g. the indexes' counts), kept under the versions
    reader page keys carry (the database's as this request's page key read it), so it goes with
    the pages after any change, an outage's included; computed afresh without a cache."""
    versions = None if _no_cache() else _versions(database_version_of_pages.known())
    if versions is None:
        return compute()
    key = f"newsroom:for-readers:{name}:{versions[1]}"
    return remembered(key, compute, reader_page_timeout())


# --- Whole reader pages


def _page_address(request, reads: dict[str, Canonical]) -> str | None:
    """What identifies the page: scheme, host, path and the canonical values of the parameters
    its view reads, and no others (`?utm_source=...` shares the page's entry). None when one of
    them is not in a canonical form."""
    values = []
    for name, canonical in sorted(reads.items()):
        value = canonical(request.GET.get(name, ""))
        if value is None:
            return None
        values.append((name, value))
    # urlencode, not a join: "q=x&p=1" typed into the box is not the query q=x, p=1. The scheme
    # is in the key because canonical and share URLs on the page carry it.
    where = f"{request.scheme}://{request.get_host()}|{request.path}|{urlencode(values)}"
    return hashlib.sha256(where.encode()).hexdigest()


def _key_before_rendering(request, reads: dict[str, Canonical]) -> str | None:
    """The page's key, or None (no cache, or a parameter out of its canonical form); kept on the
    request so the middleware's lookup and the view's store share it. Taken before the page is
    built: if an editor publishes meanwhile, the page is stored under the old version, which no
    reader asks for again."""
    address = _page_address(request, reads)  # a disallowed host is a 400, not a cache failure
    versions = None
    if address and not _no_cache():
        # The database's version first: a next scheduled change looked up after it is newer.
        versions = _versions(database_version_of_pages.current())
    request.reader_page_key = None
    if versions is not None:
        # The cache's version alone (the database's folds into it): one key, one build a change.
        request.reader_page_key = f"newsroom:reader-page:{versions[1]}:{address}"
    return request.reader_page_key


def _reads(request) -> dict[str, Canonical] | None:
    """The parameters the requested view reads, if it is a cached reader page; else None."""
    return _reads_at(request.path_info, getattr(request, "urlconf", None) or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=4096)
def _reads_at(path: str, urlconf: str) -> dict[str, Canonical] | None:
    # Remembered: resolving a path costs about 25 µs, a twentieth of serving a cached page.
    try:
        view = resolve(path, urlconf).func
    except Resolver404:
        return None
    return getattr(view, "reader_page_reads", None)


# One build per page and version: after a change, the first request for a page builds it and
# the others wait for it, not each building a copy (a stampede on every listing, with a desk
# publishing every few seconds). They wait for the NEW version's page only.
BUILD_LOCK_SECONDS = 10  # a builder that died frees the page after this long
LONGEST_WAIT = 2.0  # seconds a request waits for another's build before building it itself
_WAIT_STEP = 0.005


KEPT_HEADERS = ("Last-Modified",)  # stored with a page that has them (the API's answers)


def _served(stored) -> HttpResponse:
    content, content_type, *more = stored  # a redirect's target, then the kept headers
    headers = more.pop() if more and isinstance(more[-1], dict) else {}
    kind, first = (HttpResponseRedirect, more) if more else (HttpResponse, [])
    response = kind(*first, content=content, content_type=content_type, headers=headers)
    response["Content-Length"] = str(len(content))  # as CommonMiddleware would
    response["X-Cache"] = "hit"  # a documented header (docs/DEPLOYMENT.md, "Cache")
    return response


def _built_by_another(key: str):
    """The page under `key` once the request building it has stored it, or None if this
    request should build it: nobody else is building it, the wait ran out, or the cache is away."""
    if _guarded(lambda: cache.add(f"{key}:building", 1, timeout=BUILD_LOCK_SECONDS), True):
        return None
    deadline = time.monotonic() + LONGEST_WAIT
    while time.monotonic() < deadline:
        time.sleep(_WAIT_STEP)
        stored = _guarded(lambda: cache.get(key))
        if stored is not None:
            return stored
        if not _guarded(lambda: cache.has_key(f"{key}:building")):
            return None  # the builder gave up (an error, a page not to be shared)
    return None


class ReaderPageCacheMiddleware:
    """Serves a stored reader page, before sessions, CSRF, authentication, messages and login
    throttling run: none of them changes a page that every reader gets, and skipping them is
    most of what a cached page costs. Security, CSP and frame headers still apply (they come
    earlier in settings.MIDDLEWARE). Pages are stored by `cache_reader_page`; one request
    builds a missing page while others asking for it wait (`_built_by_another`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reads = _reads(request) if request.method in ("GET", "HEAD") else None
        key = _key_before_rendering(request, reads) if reads is not None else None
        if not key:
            return self.get_response(request)
        stored = _guarded(lambda: cache.get(key))
        if stored is None:
            stored = _built_by_another(key)
        if stored is not None:
            return for_browsers(request, _served(stored))
        try:
            response = self.get_response(request)
        finally:
            _guarded(lambda: cache.delete(f"{key}:building"))
        response["X-Cache"] = "miss"  # built for this request (docs/DEPLOYMENT.md, "Cache")
        return response


def cache_reader_page(view=None, *, reads: dict[str, Canonical] | None = None):
    """Store the page for `ReaderPageCacheMiddleware` to serve, when it may be shared.

    `reads`: the query parameters the view reads, each with its canonical form; every other
    parameter is left out of the page's key.
    """
    if view is None:
        return lambda view: cache_reader_page(view, reads=reads)
    reads = reads or {}

    @functools.wraps(view)
    def storing_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if hasattr(request, "reader_page_key"):
            key = request.reader_page_key  # taken by the middleware
        else:
            key = _key_before_rendering(request, reads)
        response = view(request, *args, **kwargs)
        if key and _shareable(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            stored = (response.content, response["Content-Type"])
            if response.status_code == 302:
                stored += (response["Location"],)
            if kept := {name: response[name] for name in KEPT_HEADERS if name in response}:
                stored += (kept,)
            _guarded(lambda: cache.set(key, stored, timeout=reader_page_timeout()))
            return for_browsers(request, response)
        return response

    storing_view.reader_page_reads = reads
    return storing_view


def _shareable(response) -> bool:
    # A 302 is a page's address every reader is sent on from (a story's short address); a view
    # marks what must not be stored (a staff preview, a cursor of no listed entry).
    unstorable = ("reader_preview", "reader_page_not_stored")
    return (
        response.status_code in (200, 302)
        and not response.streaming
        and not response.cookies
        and not any(getattr(response, flag, False) for flag in unstorable)
    )
