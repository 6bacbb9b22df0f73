"""Webhooks without a worker: which events a decision, an undo, an embargo and an expiry owe
(each transition once), the body and its signature, SSRF refusals, and `add_webhook`."""

import http.server
import json
import threading
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

from articles.clustering.stories import cluster_new_articles
from articles.models import Article, ReviewDecision, Story, WebhookDelivery, WebhookEndpoint
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


def enqueued_announces(callbacks) -> list[tuple]:
    """The announce tasks a commit's callbacks enqueue, by their arguments."""
    ran = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tasks, "announce", SimpleNamespace(enqueue=lambda *a: ran.append(a)))
        for callback in callbacks:
            callback()
    return ran


def run_twice(callbacks):
    """Run the announce tasks a commit enqueued (nothing is sent: no worker runs `deliver`)."""
    ran = enqueued_announces(callbacks)
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


def test_a_redirect_is_not_followed(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    hits = []

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/in"
        outcome = sending.send(url, "whsec_" + "A" * 44, "msg_1", "{}", timezone.now())
    finally:
        server.shutdown()
        server.server_close()
    assert (outcome.ok, outcome.status, hits) == (False, 302, ["/in"])


def test_a_story_whose_visible_membership_changes_owes_story_updated(endpoint):
    story = Story.objects.create()
    article = make_article(published=True, story=story)
    announcing.announce([article.pk])
    story_events = WebhookDelivery.objects.filter(event_type="story.updated")
    assert [json.loads(d.body)["data"]["id"] for d in story_events] == [story.pk]
    assert json.loads(story_events.get().body)["data"]["article_count"] == 1


def test_the_clusterer_placing_a_live_article_in_a_live_story_owes_story_updated(
    endpoint, django_capture_on_commit_callbacks
):
    link = ({"title": "x", "url": "https://hub.example/bridge"},)
    first = make_article("Harbour bridge opens", related=link, published=True)
    cluster_new_articles()
    story = Article.objects.get(pk=first.pk).story
    WebhookDelivery.objects.all().delete()
    waiting = make_article("Crowds cross the new span", related=link, published=False)
    live = make_article("The span carries its first trams", related=link, published=True)

    with django_capture_on_commit_callbacks() as enqueued:
        cluster_new_articles()
    run_twice(enqueued)

    assert Article.objects.filter(pk__in=[waiting.pk, live.pk], story=story).count() == 2
    # Only the live one changed what readers see of the story (each run owes it again).
    assert owed() == [("story.updated", story.pk)] * 2
    assert json.loads(WebhookDelivery.objects.first().body)["data"]["article_count"] == 2


def test_an_editors_merge_and_split_owe_story_updated_for_both_stories(
    endpoint, editor, django_capture_on_commit_callbacks
):
    kept, merged = Story.objects.create(), Story.objects.create()
    make_article("Tram line approved", story=kept, published=True)
    moving = make_article("Council backs trams", story=merged, published=True)
    hidden = Story.objects.create()
    make_article("Not yet reviewed", story=hidden, published=False)

    merged_id = merged.pk  # the merge deletes it
    with django_capture_on_commit_callbacks() as enqueued:
        kept.merge(merged, editor)
    run_twice(enqueued)
    assert sorted(set(owed())) == [("story.updated", kept.pk), ("story.updated", merged_id)]
    gone = [json.loads(d.body)["data"] for d in WebhookDelivery.objects.all()]
    assert {"id": merged_id, "url": None, "article_count": 0} in gone

    WebhookDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks() as enqueued:
        new = kept.split_off(Article.objects.get(pk=moving.pk), editor)
    run_twice(enqueued)
    assert sorted(set(owed())) == [("story.updated", kept.pk), ("story.updated", new.pk)]

    # A story readers cannot see is not announced when an editor changes its lead.
    WebhookDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks() as enqueued:
        hidden.set_lead(hidden.articles.get(), editor)
    for args in enqueued_announces(enqueued):
        announcing.announce(*args)
    assert owed() == []


def test_an_article_live_before_the_endpoint_existed_is_announced_when_it_expires(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    start = timezone.now()
    expiring = make_article(published=True, unpublish_at=start + timedelta(minutes=20))
    add_endpoint("http://127.0.0.1:9/hook")  # receivers start from what the API lists now
    tasks.announce.call([expiring.pk], [])  # re-announced without a change: nothing new
    assert owed() == []
    with time_machine.travel(start + timedelta(minutes=20, seconds=30), tick=False):
        tasks.announce_schedule.call()
    assert owed() == [("article.unpublished", expiring.pk)]
