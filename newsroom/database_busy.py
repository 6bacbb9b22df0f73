"""A request that waited for the database's write lock and gave up answers 503, not 500.

On SQLite one writer holds the lock at a time: while an import writes a batch, a desk decision
waits up to `SQLITE_TIMEOUT` seconds, then SQLite says "database is locked". On PostgreSQL a
`lock_timeout` (SQLSTATE 55P03) is the same case. Nothing was written (the transaction never
began, or rolled back), so trying again is right: the answer says so, with `Retry-After`, as
JSON for desk.js (which shows `message`) and as a short page otherwise. Any other database
error stays a 500.
"""

import logging

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape

logger = logging.getLogger(__name__)

MESSAGE = "The database is busy: an import is writing. Nothing was recorded; try again."
RETRY_AFTER = 5  # seconds: about one import batch
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's lock_timeout


def is_database_busy(error: BaseException) -> bool:
    """Whether `error` is a wait for a lock that timed out (not a broken database)."""
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
        return True
    text = str(error)
    return "database is locked" in text or "database table is locked" in text


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        logger.warning("database busy: %s %s (%s)", request.method, request.path, exception)
        if "application/json" in request.headers.get("Accept", ""):
            response = JsonResponse({"ok": False, "message": MESSAGE}, status=503)
        else:
            response = HttpResponse(
                "<!doctype html><html lang=en><meta charset=utf-8>"
                "<title>The database is busy</title>"
                f"<h1>The database is busy</h1><p>{escape(MESSAGE)}</p>",
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER)
        add_never_cache_headers(response)
        return response
