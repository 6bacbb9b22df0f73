"""Webhook endpoints and deliveries in the admin: the secret shown once, a private address
refused with a message, a disabled endpoint's reason shown, and "send again"."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleAnnouncement, WebhookDelivery, WebhookEndpoint
from articles.webhooks import addresses
from tests.support.admin import log_in
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_webhookendpoint_add")
ENDPOINTS = reverse("admin:articles_webhookendpoint_changelist")
DELIVERIES = reverse("admin:articles_webhookdelivery_changelist")


@pytest.fixture
def public_dns(monkeypatch):
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.215.14"])


def test_a_new_endpoint_shows_its_secret_once(client, public_dns):
    log_in(client, "superuser")
    response = client.post(
        ADD, {"url": "https://hooks.example.com/in", "events": ["article.published"],
              "active": "on"}, follow=True,
    )  # fmt: skip
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["article.published"]
    assert endpoint.secret in response.content.decode()
    again = client.get(reverse("admin:articles_webhookendpoint_change", args=[endpoint.pk]))
    assert endpoint.secret not in again.content.decode()


def test_an_endpoint_added_or_enabled_again_starts_from_what_readers_see(client, public_dns):
    live, waiting = make_article(published=True), make_article(published=False)
    log_in(client, "superuser")
    client.post(ADD, {"url": "https://hooks.example.com/in", "active": "on"})
    known = dict(ArticleAnnouncement.objects.values_list("article_id", "visible"))
    assert known == {live.pk: True}  # its expiry will be announced; `waiting` is not known

    # Disabled, then enabled again after an unpublish nobody was told of: it starts afresh.
    endpoint = WebhookEndpoint.objects.get()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)
    Article.objects.filter(pk=live.pk).update(published=False)
    Article.objects.filter(pk=waiting.pk).update(published=True)
    change = reverse("admin:articles_webhookendpoint_change", args=[endpoint.pk])
    client.post(change, {"url": endpoint.url, "active": "on", "description": ""})
    known = dict(ArticleAnnouncement.objects.values_list("article_id", "visible"))
    assert known == {waiting.pk: True}


def test_a_private_destination_is_refused_with_a_message(client, monkeypatch, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["169.254.169.254"])
    log_in(client, "superuser")
    response = client.post(ADD, {"url": "https://metadata.example.com/", "active": "on"})
    assert response.status_code == 200
    assert "169.254.169.254" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_disabled_endpoint_says_why_and_a_delivery_can_be_sent_again(client, public_dns):
    endpoint = WebhookEndpoint.objects.create(
        url="https://hooks.example.com/in",
        active=False,
        disabled_reason="Disabled: 500 twelve times",
    )
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_type="article.published", subject="article:1", body="{}",
        created_at=now, next_attempt_at=now, state="failed", attempts=12, response_code=500,
    )  # fmt: skip
    log_in(client, "superuser")
    assert "Disabled: 500 twelve times" in client.get(ENDPOINTS).content.decode()
    listing = client.get(DELIVERIES).content.decode()
    assert "article.published" in listing and "500" in listing
    response = client.post(
        DELIVERIES, {"action": "send_again_action", "_selected_action": [delivery.pk]}, follow=True
    )
    assert "1 deliveries queued to be sent again" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.state == "pending" and delivery.message_id.startswith("msg_")


@pytest.mark.parametrize("role", ["editor", "staff"])
def test_only_a_superuser_manages_webhooks(client, role):
    log_in(client, role)
    assert client.get(ENDPOINTS).status_code == 403
