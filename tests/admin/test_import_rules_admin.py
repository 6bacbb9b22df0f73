"""An import rule's page: its preview shows what it would have matched in the last 7 days, and
saves nothing; Save from the preview saves the rule as previewed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ImportRule
from tests.support.factories import make_article, user_in_role

pytestmark = pytest.mark.django_db


def rule_form(**changes):
    data = {
        "name": "hold wire",
        "position": "0",
        "enabled": "on",
        "providers": "wire.example",
        "topics": "",
        "category": "",
        "type": "",
        "quality_min": "",
        "quality_max": "",
        "heat_min": "",
        "heat_max": "",
        "words": "",
        "pattern": "",
        "action": "hold",
        "topic": "",
        "desk_view": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def editor_client(client):
    client.force_login(user_in_role("editor"))
    return client


def test_the_rule_page_states_how_rules_apply_and_offers_a_preview(editor_client):
    response = editor_client.get(reverse("admin:articles_importrule_add"))
    page = response.content.decode()
    assert "The first rule that matches applies" in page
    assert "Preview: what it would have matched in the last 7 days" in page
    # What flagging does, where the action is chosen.
    assert "the chosen view on the review desk lists it" in page
    assert "Flagged by a rule" in page


def test_the_preview_lists_recent_matches_and_saves_nothing(editor_client):
    make_article("Wire story", provider=("Wire", "wire.example"))
    make_article("Other story", provider=("Other", "other.example"))
    old = make_article("Old wire story", provider=("Wire", "wire.example"))
    Article.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))

    response = editor_client.post(reverse("admin:articles_importrule_preview"), rule_form())

    page = response.content.decode()
    assert response.status_code == 200
    assert "would have matched <strong>1</strong>" in page
    assert "Wire story" in page and "Other story" not in page and "Old wire story" not in page
    assert not ImportRule.objects.exists()
    # Save from the preview keeps the rule as previewed.
    response = editor_client.post(reverse("admin:articles_importrule_add"), rule_form())
    assert response.status_code == 302
    assert ImportRule.objects.get().providers == "wire.example"


def test_a_bad_pattern_is_shown_on_the_preview_and_cannot_be_saved(editor_client):
    response = editor_client.post(
        reverse("admin:articles_importrule_preview"), rule_form(pattern="(oops")
    )
    assert "Not a valid pattern" in response.content.decode()
    assert not ImportRule.objects.exists()


@pytest.mark.parametrize("role, code", [("staff", 403), ("editor", 200)])
def test_only_rule_keepers_may_preview(client, role, code):
    client.force_login(user_in_role(role))
    response = client.post(reverse("admin:articles_importrule_preview"), rule_form())
    assert response.status_code == code
