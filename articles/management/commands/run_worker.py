"""`manage.py run_worker [--burst]`: run a background worker in the foreground."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.tasks import worker


class Command(BaseCommand):
    help = (
        "Run a background worker (webhook deliveries, periodic checks) until SIGTERM, whichever "
        "TASKS_BACKEND is set. SIGTERM stops it after the task in hand."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst", action="store_true", help="run what is queued, then exit (no scheduler)"
        )

    def handle(self, *args, burst, verbosity, **options):
        if verbosity >= 1:
            logging.getLogger("django_tasks").setLevel(logging.INFO)
            logging.getLogger("django_tasks_db").setLevel(logging.INFO)
        self.stderr.write(f"worker: {settings.TASKS_BACKEND} backend, queue default")
        worker.run(burst=burst)
