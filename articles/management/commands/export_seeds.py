"""`manage.py export_seeds OUTDIR`: write every article back out as a seed file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.ingest.export import export_seeds


class Command(BaseCommand):
    help = (
        "Write every article as a seed file into OUTDIR (the editor's published decision "
        "included). Importing the folder into an empty database gives the same articles. The "
        "files (and any folder made for them) are readable by their owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path)

    def handle(self, *args, outdir, verbosity, **options):
        if outdir.exists() and not outdir.is_dir():
            raise CommandError(f"{outdir} exists and is not a folder", returncode=2)
        count = 0
        for path in export_seeds(outdir):
            count += 1
            if verbosity >= 2:
                self.stdout.write(str(path))
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"{count} articles exported to {outdir}."))
