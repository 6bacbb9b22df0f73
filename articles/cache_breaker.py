"""The circuit breaker every cache call goes through (`page_cache._guarded` is its one caller).

A cache that cannot be reached is an outage, not an error: the call's default is returned and
pages are built from the database. A cache that hangs (a stalled Redis accepts connections and
answers nothing) costs a whole socket timeout per call, so after one failure this process skips
the cache for `RETRY_AFTER` seconds and serves uncached at database speed; then one call tries
again. One warning when the outage starts and one line when the cache answers again, per
process, never one per request.

It imports nothing of the app (like `page_cache`, whose leaf it is).
"""

import logging
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

RETRY_AFTER = 15.0  # seconds this process leaves the cache alone after it failed to answer


def _connection_errors() -> tuple[type[BaseException], ...]:
    # What a cache that cannot be reached raises: the file cache an OSError, Redis its own
    # RedisError family (not a subclass of OSError). Anything else is a bug and propagates.
    errors: tuple[type[BaseException], ...] = (OSError,)
    try:
        from redis.exceptions import RedisError
    except ImportError:  # redis is in requirements.txt; a deployment may still lack it
        return errors
    return (*errors, RedisError)


CACHE_UNREACHABLE = _connection_errors()

# This process's view of the cache. Plain module state: a race between threads costs at most
# one extra attempt, never a wrong answer.
_unreachable = False
_skip_until = 0.0  # time.monotonic(); before it, calls are not attempted


def reset() -> None:
    """Forget any outage (for tests that stop and start a cache of their own)."""
    global _unreachable, _skip_until
    _unreachable, _skip_until = False, 0.0


def cache_skipped() -> bool:
    """True while this process leaves the cache alone after a failure."""
    return _unreachable and time.monotonic() < _skip_until


def guarded(operation: Callable, default, on_reachable_again: Callable[[], None]):
    """`operation()`, or `default` when the cache cannot be reached or is being skipped.

    When the cache answers again after an outage, `on_reachable_again()` runs first (writes
    made meanwhile did not reach the cache: what it holds may be stale)."""
    global _unreachable, _skip_until
    if cache_skipped():
        return default
    try:
        if _unreachable:
            on_reachable_again()
            _unreachable = False
            logger.warning("Cache reachable again; reader pages are rebuilt")
        return operation()
    except CACHE_UNREACHABLE as error:
        _skip_until = time.monotonic() + RETRY_AFTER
        if not _unreachable:
            _unreachable = True
            logger.warning(
                "Cache unreachable (%s); reader pages are built uncached until it answers "
                "(tried again every %g s)",
                error,
                RETRY_AFTER,
            )
        return default
