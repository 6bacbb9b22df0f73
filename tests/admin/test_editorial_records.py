"""A schedule that comes down before it goes live is refused with one message, whichever way
the editor sets it (a decision with a schedule, a schedule alone, the article page's form, the
desk's schedule key), and the refusal changes and records nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ReviewDecision
from tests.support.admin import log_in
from tests.support.factories import make_article, user_in_role

pytestmark = pytest.mark.django_db

MESSAGE = "The time to come down must be after the time to go live."


def set_published(article, editor, go_live, come_down):
    article.set_published(True, editor, schedule=(go_live, come_down))


def set_schedule(article, editor, go_live, come_down):
    Article.objects.filter(pk=article.pk).set_schedule(go_live, come_down, editor)


def article_form_check(article, editor, go_live, come_down):
    article.publish_at, article.unpublish_at = go_live, come_down
    article.clean()


@pytest.mark.parametrize("set_it", [set_published, set_schedule, article_form_check])
def test_a_schedule_out_of_order_is_refused_with_the_one_message(set_it):
    article = make_article(published=False)
    go_live = timezone.now() + dt.timedelta(hours=2)
    with pytest.raises(ValidationError) as refused:
        set_it(article, user_in_role("editor"), go_live, go_live - dt.timedelta(hours=1))
    assert refused.value.messages == [MESSAGE]
    article.refresh_from_db()
    assert (article.published, article.publish_at, article.unpublish_at) == (False, None, None)
    assert article.reviewed_at is None and not ReviewDecision.objects.exists()


def test_the_desk_answers_a_schedule_out_of_order_with_that_message(client):
    log_in(client, "editor")
    article = make_article(published=False)
    answer = client.post(
        reverse("admin:desk_schedule", args=[article.pk]),
        {"publish_at": "2030-01-02T10:00", "unpublish_at": "2030-01-01T10:00"},
        HTTP_ACCEPT="application/json",
    )
    assert (answer.status_code, answer.json()) == (400, {"ok": False, "message": MESSAGE})
    assert not article.decisions.exists()
