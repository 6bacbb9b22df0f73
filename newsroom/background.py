"""Background work's settings, from the environment (imported by newsroom/settings.py).

Django's Tasks API (the `django-tasks` backport on Django 5.2) with one of two backends:

- `TASKS_BACKEND=database` (the default): tasks are rows in this site's own database
  (`django-tasks-db`). Nothing to start but `manage.py run_worker`.
- `TASKS_BACKEND=redis`: RQ over Redis (`django-tasks-rq`), for several workers on several
  machines. `TASKS_REDIS_URL` (else `REDIS_URL`, else redis://127.0.0.1:6379/0).

Either way `manage.py run_worker` runs a worker in the foreground (articles/tasks/worker.py).
"""

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
}
QUEUE = "default"


def task_settings(env) -> dict:
    """TASKS (and, for Redis, RQ_QUEUES) and the apps they need, as settings."""
    backend = env.str("TASKS_BACKEND", default="database").strip().lower()
    if backend not in BACKENDS:
        raise ImproperlyConfigured(
            f"TASKS_BACKEND must be one of {', '.join(BACKENDS)} (got {backend!r})."
        )
    found = {
        "TASKS_BACKEND": backend,
        "TASKS": {"default": {"BACKEND": BACKENDS[backend], "QUEUES": [QUEUE]}},
        # The database backend's table exists whichever backend runs (one schema everywhere).
        "TASK_APPS": ["django_tasks", "django_tasks_db"],
        # Seconds between a worker's looks for due periodic work (articles/tasks/periodic.py).
        "TASKS_TICK_SECONDS": env.float("TASKS_TICK_SECONDS", default=5.0),
        # Seconds an idle database worker waits before looking for tasks again.
        "TASKS_POLL_SECONDS": env.float("TASKS_POLL_SECONDS", default=0.5),
        # Webhooks: seconds a receiver gets to answer; private networks allowed (dev, tests).
        "WEBHOOK_TIMEOUT": env.float("WEBHOOK_TIMEOUT", default=5.0),
        "WEBHOOK_BACKOFF_SCALE": env.float("WEBHOOK_BACKOFF_SCALE", default=1.0),  # tests: less
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS": env.bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=False),
    }
    if backend == "redis":
        url = env.str("TASKS_REDIS_URL", default="") or env.str(
            "REDIS_URL", default="redis://127.0.0.1:6379/0"
        )
        found["RQ_QUEUES"] = {QUEUE: {"URL": url, "DEFAULT_TIMEOUT": 600}}
        found["TASK_APPS"].append("django_rq")
    return found
