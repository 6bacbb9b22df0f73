"""The desk never answers 500 after it has written: an Undo form with an odd `next`, a saved
view's name with control characters, a story decision whose members changed."""

import pytest
from django.urls import reverse

from articles.models import Article, ReviewDecision, SavedDeskView, Story
from tests.support.admin import CHANGELIST, log_in
from tests.support.desk import DESK, JSON, UNDO
from tests.support.factories import make_article, user_in_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("odd", ["back", "javascript:alert(1)", "/no/such/page/", "//elsewhere"])
def test_undo_with_an_odd_next_undoes_once_and_goes_back_to_the_desk(client, odd):
    first = make_article("First waiting", quality=30, published=False)
    second = make_article("Second waiting", quality=20, published=False)
    log_in(client, "editor")
    for article in (first, second):
        client.post(reverse("admin:desk_decide", args=[article.pk]), {"decision": "publish"})

    answer = client.post(UNDO, {"next": odd})  # a form, without JavaScript

    assert answer.status_code == 302 and answer.url.startswith(DESK)
    assert Article.objects.get(pk=second.pk).reviewed_at is None  # undone, once
    assert Article.objects.get(pk=first.pk).reviewed_at is not None  # still decided
    assert ReviewDecision.objects.filter(change="undo").count() == 1
    assert "Undone: 1 article" in client.get(answer.url).content.decode()


def test_undo_goes_back_to_a_page_of_this_site(client):
    article = make_article("Waiting", published=False)
    log_in(client, "editor")
    client.post(reverse("admin:desk_decide", args=[article.pk]), {"decision": "keep"})
    back = client.post(UNDO, {"next": CHANGELIST + "?review=waiting"})
    assert back.url == CHANGELIST + "?review=waiting"


@pytest.mark.parametrize("name", ["Night\x00desk", "Bell\x07", "tab\there"])
def test_a_saved_views_name_with_control_characters_is_refused_with_a_message(client, name):
    log_in(client, "editor")
    answer = client.post(reverse("admin:desk_save_view"), {"name": name, "query": ""})
    assert answer.status_code == 302
    assert "cannot hold control characters" in client.get(answer.url).content.decode()
    assert not SavedDeskView.objects.exists()


def test_a_story_decision_on_members_that_left_the_story_says_the_story_changed(client):
    lead = make_article("Harbour fire: the lead", quality=30, published=False)
    second = make_article("Harbour fire, second", quality=20, published=False)
    story = Story.objects.create()
    Article.objects.filter(pk__in=[lead.pk, second.pk]).update(story=story)
    Story.objects.filter(pk=story.pk).refresh_from_members()
    log_in(client, "editor")
    seen = f"{lead.pk},{second.pk}"  # what the desk showed
    moved = Article.objects.get(pk=lead.pk)
    Story.objects.get(pk=story.pk).split_off(moved, user_in_role("superuser"))  # meanwhile

    url = reverse("admin:desk_decide_story", args=[story.pk])
    answer = client.post(url, {"decision": "all", "members": seen}, **JSON)

    assert answer.status_code == 409
    message = answer.json()["message"]
    assert "The story changed since you saw it: 1 of its articles" in message
    assert "Nothing of this story is waiting" not in message
    assert not ReviewDecision.objects.exists()  # neither decided
