"""Reader-page caching: one version number for everything readers see.

Publishing, unpublishing or re-importing an article changes more than its own page (the home
page, topic and provider pages, feeds, the sitemap), so every reader cache key carries this version
and a change bumps it: all reader pages are rebuilt on their next request, on every app server
that shares the cache.

The clock changes what readers see too: an embargo ends, an expiry comes. Editors' schedule
changes store the next such moment beside the version; cached pages live no longer than until
then, and the first request after it bumps the version. No cron job, no query per page.
"""

import time

from django.core.cache import cache

VERSION_KEY = "newsroom:reader-pages-version"
NEXT_CHANGE_KEY = "newsroom:reader-pages-next-schedule-change"  # a Unix time, or absent
LONGEST_PAGE_LIFE = 5 * 60  # seconds; also the bound when the next change is not known


def reader_pages_version() -> int:
    # One round trip to the cache on the hot path: every reader page asks this.
    found = cache.get_many([VERSION_KEY, NEXT_CHANGE_KEY])
    version, next_change = found.get(VERSION_KEY), found.get(NEXT_CHANGE_KEY)
    if next_change is not None and next_change <= time.time():
        reader_pages_changed(schedule_changed=True)
        version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def reader_page_timeout() -> int:
    """How long a reader page built now may be served from the cache."""
    next_change = cache.get(NEXT_CHANGE_KEY)
    if next_change is None:
        return LONGEST_PAGE_LIFE
    return max(1, min(LONGEST_PAGE_LIFE, int(next_change - time.time())))


def reader_pages_changed(schedule_changed: bool = False) -> None:
    """Call after any change readers could see; cached reader pages are then rebuilt.

    `schedule_changed`: the change may move the next embargo or expiry (publishing,
    scheduling), so look it up again (one query).
    """
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # Not in the cache (evicted or never set): start from a value no old key can carry.
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    if schedule_changed:
        from .models import Article  # models import this module

        moment = Article.objects.next_schedule_change()
        if moment is None:
            cache.delete(NEXT_CHANGE_KEY)
        else:
            cache.set(NEXT_CHANGE_KEY, moment.timestamp(), timeout=None)


def reader_schedule_changed() -> None:
    reader_pages_changed(schedule_changed=True)
