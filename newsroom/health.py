"""`/healthz`: can this app server answer readers? For load balancers and monitoring.

Checks the database and the cache, the two services every page needs; answers 200 when both
work and 503 otherwise, naming what failed (not why: the reason goes to the log, not to whoever
asks). Never cached, and it touches no session.
"""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from articles.page_cache import cache_answers

logger = logging.getLogger(__name__)


def _database_works() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        # Any failure here means "not healthy"; the traceback is in the log.
        logger.exception("healthz: database check failed")
        return False


@never_cache
def healthz(request):
    checks = {
        "database": "ok" if _database_works() else "failing",
        "cache": "ok" if cache_answers() else "failing",
    }
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", **checks}, status=200 if healthy else 503
    )
