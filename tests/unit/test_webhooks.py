"""Webhooks without a worker: which events a decision, an undo, an embargo and an expiry owe
(each transition once), the body and its signature, SSRF refusals, and `add_webhook`."""

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from articles.models import ReviewDecision, WebhookDelivery, WebhookEndpoint
from articles.tasks import webhooks as tasks
from articles.webhooks import addresses, announcing, sending
from articles.webhooks.endpoints import add_endpoint
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    return add_endpoint("http://127.0.0.1:9/hook")


@pytest.fixture
def editor():
    return User.objects.create_user("editor-w", is_staff=True)


def owed():
    return [
        (d.event_type, json.loads(d.body)["data"]["id"])
        for d in WebhookDelivery.objects.order_by("id")
    ]


def run_twice(callbacks):
    """Run the announce tasks a commit enqueued (nothing is sent: no worker runs `deliver`)."""
    ran = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tasks, "announce", SimpleNamespace(enqueue=lambda *a: ran.append(a)))
        for callback in callbacks:
            callback()
    assert ran
    for args in ran + ran:
        announcing.announce(*args)


def test_a_publish_and_its_undo_each_owe_one_event(
    endpoint, editor, django_capture_on_commit_callbacks
):
    article = make_article(published=False)
    with django_capture_on_commit_callbacks() as enqueued:
        article.set_published(True, editor, via="desk")
    run_twice(enqueued)  # as a worker would, and again as a task run again would
    with django_capture_on_commit_callbacks() as enqueued:
        ReviewDecision.objects.undo_last(editor, via="desk")
    run_twice(enqueued)
    assert owed() == [("article.published", article.pk), ("article.unpublished", article.pk)]
    body = json.loads(WebhookDelivery.objects.first().body)
    assert set(body) == {"type", "timestamp", "data"}
    assert body["data"]["title"] == article.title and body["data"]["url"].endswith(
        article.get_absolute_url()
    )


def test_no_webhook_no_task(editor, django_capture_on_commit_callbacks, monkeypatch):
    ran = []
    monkeypatch.setattr(tasks, "announce", SimpleNamespace(enqueue=lambda *a: ran.append(a)))
    with django_capture_on_commit_callbacks(execute=True):
        make_article(published=False).set_published(True, editor)
    assert ran == []


def test_an_embargo_and_an_expiry_are_announced_when_they_pass(endpoint, editor):
    start = timezone.now()
    embargoed = make_article(published=True, publish_at=start + timedelta(minutes=10))
    expiring = make_article(published=True, unpublish_at=start + timedelta(minutes=20))
    tasks.announce.call([expiring.pk], [])  # announced live when it went live
    WebhookDelivery.objects.all().delete()
    with time_machine.travel(start + timedelta(minutes=9, seconds=59), tick=False):
        tasks.announce_schedule.call()
        assert owed() == []
    with time_machine.travel(start + timedelta(minutes=10, seconds=30), tick=False):
        tasks.announce_schedule.call()
        tasks.announce_schedule.call()  # the next tick: already announced
        assert owed() == [("article.published", embargoed.pk)]
    with time_machine.travel(start + timedelta(minutes=20, seconds=30), tick=False):
        tasks.announce_schedule.call()
        assert owed()[1:] == [("article.unpublished", expiring.pk)]


def test_a_reimport_of_a_live_article_owes_article_updated(endpoint):
    article = make_article(published=True)
    tasks.announce.call([article.pk], [])
    tasks.announce.call([article.pk], [article.pk])
    assert owed() == [("article.published", article.pk), ("article.updated", article.pk)]


def test_the_signature_verifies_with_the_standard_library(endpoint):
    at = timezone.now()
    headers = sending.signed_headers(endpoint.secret, "msg_1", at, '{"a": 1}')
    assert Webhook(endpoint.secret).verify('{"a": 1}', headers) == {"a": 1}
    assert endpoint.secret.startswith("whsec_")


@pytest.mark.parametrize(
    "address", ["10.0.0.1", "169.254.169.254", "::1", "127.0.0.1", "224.0.0.1"]
)
def test_a_name_resolving_to_a_private_address_is_refused_when_saved_and_at_delivery(
    address, monkeypatch, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    monkeypatch.setattr(addresses, "resolve", lambda host, port: [address])
    with pytest.raises(ValidationError, match="refused"):
        add_endpoint("https://hooks.example.com/in")
    outcome = sending.send(
        "https://hooks.example.com/in", "whsec_" + "A" * 44, "msg_1", "{}", timezone.now()
    )
    assert not outcome.ok and "refused" in outcome.error and outcome.status is None


def test_a_public_address_is_accepted(monkeypatch, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.215.14"])
    assert add_endpoint("https://hooks.example.com/in").pk


def test_add_webhook_prints_the_secret_last(capsys, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    call_command("add_webhook", "http://127.0.0.1:8999/in", "--events", "article.published")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    endpoint = WebhookEndpoint.objects.get()
    assert last == endpoint.secret and last.startswith("whsec_")
    assert endpoint.events == ["article.published"]
    with pytest.raises(CommandError, match="http and https"):
        call_command("add_webhook", "ftp://example.com/x")


@override_settings(WEBHOOK_ALLOW_PRIVATE_NETWORKS=True)
def test_a_delivery_given_up_disables_its_endpoint(endpoint):
    article = make_article()
    [pk] = tasks.announcing.announce([article.pk])
    delivery = WebhookDelivery.objects.get(pk=pk)
    delivery.attempts = len(tasks.BACKOFF)
    tasks.record(delivery, sending.Outcome(False, 500, "answered 500"), timezone.now())
    endpoint.refresh_from_db()
    assert delivery.state == "failed" and not endpoint.active
    assert "failed 12 times" in endpoint.disabled_reason
