"""`manage.py cluster_stories [--rebuild] [--dry-run]`: group articles into stories."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.clustering import stories
from articles.db.locks import ImportAlreadyRunning
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Place the articles that have no story yet into stories (imports do this themselves). "
        "--rebuild clusters every article again, except those an editor placed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="forget the clusterer's stories and cluster everything again",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would be placed, writing nothing"
        )

    def handle(self, *args, rebuild, dry_run, verbosity, **options):
        progress = None
        if verbosity >= 1 and sys.stderr.isatty():
            progress = tqdm(total=Article.objects.count(), unit="article", file=sys.stderr)

        def advance(read):
            if progress is not None:
                progress.n = read
                progress.refresh()

        try:
            summary = stories.run_clustering(
                rebuild_all=rebuild, dry_run=dry_run, on_progress=advance
            )
        except ImportAlreadyRunning as error:
            # The error's message already says to try again when the import has finished.
            raise CommandError(str(error), returncode=3) from None
        finally:
            if progress is not None:
                progress.close()
        if verbosity >= 1:
            prefix = "Dry run, nothing written: " if dry_run else ""
            self.stdout.write(self.style.SUCCESS(f"{prefix}{summary}."))
