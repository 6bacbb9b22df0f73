"""`manage.py demo_newsroom`: a demo newsroom to try (articles/ingest/demo.py); `make demo`
runs it."""

from django.core.management.base import BaseCommand, CommandError

from articles.db.locks import ImportAlreadyRunning
from articles.ingest.demo import DEMO_ITEMS, NotADemoDatabase, make_demo


class Command(BaseCommand):
    help = (
        "Fill the database with a demo newsroom: about 2,000 generated news items imported, the "
        "better half published, and a demo editor whose new password is shown on a terminal. "
        "Safe to run again; refuses, unless --force, with DEBUG off or on a database that holds "
        "user accounts or articles other than the demo's."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--items",
            type=int,
            default=DEMO_ITEMS,
            help="how many generated items to import (default: %(default)s)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even with DEBUG off, or beside accounts and articles not the demo's",
        )

    def handle(self, *args, items, force, verbosity, **options):
        if items < 1:
            raise CommandError("--items must be positive", returncode=2)
        try:
            # A password goes to a person at a terminal, never into a log.
            demo = make_demo(items, force=force, new_password=self.stdout.isatty())
        except NotADemoDatabase as error:
            raise CommandError(str(error), returncode=2) from None
        except ImportAlreadyRunning as error:
            raise CommandError(str(error), returncode=3) from None
        imported = demo.imported
        if verbosity >= 1:
            self.stdout.write(
                f"Imported {imported.seen:,} files: {imported.created:,} new, "
                f"{imported.updated:,} changed, {imported.unchanged:,} unchanged, "
                f"{imported.rejected:,} rejected."
            )
            self.stdout.write(
                f"Readers see {demo.visible:,} of the demo's {demo.articles:,} articles: the demo "
                f"editor published {demo.newly_published:,} and took down "
                f"{demo.newly_unpublished:,} that their seed files had put live; "
                f"{demo.waiting_for_review:,} articles wait in the review "
                "queue."
            )
        # Always said: without it nobody can log in.
        username = demo.editor.username
        if not demo.editor.is_active:
            self.stdout.write(
                self.style.WARNING(f"The demo editor {username} is deactivated")
                + ", and stays so: an administrator reactivates it in /admin/ if they mean to."
            )
        elif demo.password:
            self.stdout.write(
                self.style.SUCCESS("Demo editor (in the Editors group), for /admin/:")
                + f"\n  username: {username}\n  password: {demo.password}\n"
                "  (a new password on every run)"
            )
        else:
            self.stdout.write(
                f"Demo editor {username} (in the Editors group), for /admin/: its password is "
                "shown only on a terminal, never into a log. Set one with\n"
                f"  manage.py changepassword {username}"
            )
