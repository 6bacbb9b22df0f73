"""`/healthz`: can this app server answer readers? For load balancers and monitoring.

Checks the database and the cache. Only the database is needed to answer readers: the cache
is an accelerator (articles/page_cache.py), so a cache that does not answer is reported as
"degraded" with a 200, and only a database that cannot be reached is a 503 (a load balancer
taking every app server out for a cache outage would turn a slowdown into a site outage). The
answer names what failed, not why: the reason goes to the log, not to whoever asks. Never
cached, and it touches no session. While this process skips a cache that stalled
(articles/cache_breaker.py), the cache check costs nothing.
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
    database = "ok" if _database_works() else "failing"
    cache = "ok" if cache_answers() else "degraded"
    if database != "ok":
        status = "failing"
    else:
        status = "ok" if cache == "ok" else "degraded"
    return JsonResponse(
        {"status": status, "database": database, "cache": cache},
        status=503 if status == "failing" else 200,
    )
