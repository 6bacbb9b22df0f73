"""`manage.py add_webhook URL [--events ...]`: register an endpoint; prints its secret last."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.models import EVENTS
from articles.webhooks.endpoints import add_endpoint


class Command(BaseCommand):
    help = "Register a webhook endpoint. The signing secret (whsec_...) is the last line printed."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument(
            "--events", nargs="+", default=[], choices=EVENTS, help="default: all events"
        )
        parser.add_argument("--description", default="")

    def handle(self, *args, url, events, description, **options):
        try:
            endpoint = add_endpoint(url, events, description)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Webhook {endpoint.pk} added: {endpoint.url}")
        self.stdout.write(f"Events: {', '.join(endpoint.events) or 'all'}")
        self.stdout.write("Signing secret (shown once; keep it with the receiver):")
        self.stdout.write(endpoint.secret)
