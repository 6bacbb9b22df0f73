"""Reader-page caching: one version number for everything readers see.

Publishing, unpublishing or re-importing an article changes more than its own page (the home
page, topic and provider pages, feeds, the sitemap), so every reader cache key carries this version
and a change bumps it: all reader pages are rebuilt on their next request, on every app server
that shares the cache.
"""

import time

from django.core.cache import cache

VERSION_KEY = "newsroom:reader-pages-version"


def reader_pages_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def reader_pages_changed() -> None:
    """Call after any change readers could see; cached reader pages are then rebuilt."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # Not in the cache (evicted or never set): start from a value no old key can carry.
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
