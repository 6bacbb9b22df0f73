"""Registering an endpoint (the admin's form and `manage.py add_webhook` alike): its URL checked
against `addresses` and its events against the known ones."""

from django.core.exceptions import ValidationError

from articles.models import EVENTS, WebhookEndpoint
from articles.webhooks.addresses import RefusedDestination, check_url
from articles.webhooks.announcing import start_from_what_readers_see


def check_destination(url: str) -> None:
    try:
        check_url(url)
    except RefusedDestination as refused:
        raise ValidationError(f"This address is refused: {refused}.") from refused


def check_events(events) -> list[str]:
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise ValidationError(f"Unknown events: {', '.join(unknown)} (known: {', '.join(EVENTS)}).")
    return [e for e in EVENTS if e in events]


def add_endpoint(url: str, events=(), description: str = "") -> WebhookEndpoint:
    endpoint = WebhookEndpoint(url=url, events=check_events(events), description=description)
    endpoint.full_clean()
    check_destination(url)
    endpoint.save()
    start_from_what_readers_see(endpoint)
    return endpoint
