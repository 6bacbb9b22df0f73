"""The task queue's own upkeep: finished task records do not pile up in the database."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

KEEP_FINISHED = timedelta(days=1)


@task()
def prune_finished_tasks() -> int:
    """Delete the database backend's records of tasks finished over a day ago; how many."""
    from django_tasks_db.models import DBTaskResult

    old = DBTaskResult.objects.finished().filter(finished_at__lt=timezone.now() - KEEP_FINISHED)
    return old.delete()[0]
