"""The desk never answers 500 after it has written: an Undo form with an odd `next`, a saved
view's name with control characters, a story decision whose members changed."""

import pytest
from django.urls import reverse

from articles.models import Article, ReviewDecision, SavedDeskView
from tests.support.admin import CHANGELIST, log_in
from tests.support.desk import DESK, UNDO
from tests.support.factories import make_article

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
