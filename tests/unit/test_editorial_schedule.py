"""What readers see (published flag within its schedule) and how decisions are recorded."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article, ReviewDecision
from articles.page_cache import reader_pages_version
from tests.support.factories import make_article, user_in_role

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def visible_titles():
    return set(Article.objects.published().values_list("title", flat=True))


def test_without_a_schedule_readers_see_exactly_the_published_articles():
    make_article(title="on", published=True)
    make_article(title="off", published=False)
    assert visible_titles() == {"on"}


def test_an_embargo_hides_a_published_article_until_its_time():
    now = timezone.now()
    make_article(title="embargoed", published=True, publish_at=now + HOUR)
    make_article(title="embargo over", published=True, publish_at=now - HOUR)
    make_article(title="unpublished, embargo over", published=False, publish_at=now - HOUR)

    assert visible_titles() == {"embargo over"}
    assert set(Article.objects.published(now=now + 2 * HOUR).values_list("title", flat=True)) == {
        "embargoed",
        "embargo over",
    }


def test_an_expiry_takes_a_published_article_down_at_its_time():
    now = timezone.now()
    make_article(title="expires later", published=True, unpublish_at=now + HOUR)
    make_article(title="expired", published=True, unpublish_at=now - HOUR)
    make_article(title="window", published=True, publish_at=now - HOUR, unpublish_at=now + HOUR)

    assert visible_titles() == {"expires later", "window"}
    assert not Article.objects.published(now=now + 2 * HOUR).exists()


def test_the_database_refuses_an_expiry_before_the_embargo():
    now = timezone.now()
    with pytest.raises(IntegrityError):
        make_article(publish_at=now, unpublish_at=now - HOUR)


def test_the_form_check_names_the_field():
    now = timezone.now()
    article = make_article()
    article.publish_at, article.unpublish_at = now, now - HOUR
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "unpublish_at" in error.value.message_dict


def test_next_schedule_change_is_the_nearest_embargo_or_expiry():
    now = timezone.now()
    make_article(published=True, publish_at=now + 3 * HOUR)
    make_article(published=True, unpublish_at=now + 2 * HOUR)
    make_article(published=False, publish_at=now + HOUR)  # not published: changes nothing
    make_article(published=True, unpublish_at=now - HOUR)  # already past
    assert Article.objects.next_schedule_change(now) == now + 2 * HOUR
    assert Article.objects.filter(published=False).next_schedule_change(now) is None


def test_set_published_records_one_decision_per_changed_article():
    editor = user_in_role("editor")
    off = [make_article(published=False) for _ in range(3)]
    already = make_article(published=True, reviewed_at=timezone.now())

    changed = Article.objects.filter(pk__in=[a.pk for a in [*off, already]]).set_published(
        True, editor
    )

    assert changed == 3
    decisions = ReviewDecision.objects.order_by("article_id")
    assert [d.article_id for d in decisions] == [a.pk for a in off]
    assert {(d.change, d.was_published, d.published, d.via) for d in decisions} == {
        ("publish", False, True, "shell")
    }
    assert all(d.editor == editor for d in decisions)
    assert Article.objects.filter(reviewed_by=editor).count() == 3


def test_confirming_a_never_reviewed_article_marks_it_reviewed_without_counting_a_change():
    editor = user_in_role("editor")
    suggested = make_article(published=True, source_published=True)  # the import applied it

    assert Article.objects.filter(pk=suggested.pk).set_published(True, editor) == 0

    suggested.refresh_from_db()
    assert suggested.reviewed_by == editor and suggested.reviewed_at is not None
    decision = ReviewDecision.objects.get()
    assert decision.change == ReviewDecision.Change.CONFIRM_PUBLISHED
    # Asked again, nothing more happens.
    assert Article.objects.filter(pk=suggested.pk).set_published(True, editor) == 0
    assert ReviewDecision.objects.count() == 1


def test_the_model_helper_records_the_path_it_came_by():
    editor = user_in_role("editor")
    article = make_article(published=False)
    assert article.set_published(True, editor, via=ReviewDecision.Via.CHANGE_PAGE) is True
    assert article.published is True
    assert ReviewDecision.objects.get().via == "page"


def test_scheduling_is_recorded_and_bumps_the_reader_pages(django_capture_on_commit_callbacks):
    editor = user_in_role("editor")
    article = make_article(published=True, reviewed_at=timezone.now())
    go_live = timezone.now() + HOUR
    before = reader_pages_version()

    with django_capture_on_commit_callbacks(execute=True):
        changed = Article.objects.filter(pk=article.pk).set_schedule(go_live, None, editor)

    assert changed == 1
    assert reader_pages_version() != before
    article.refresh_from_db()
    assert article.publish_at == go_live
    assert not article.is_visible()
    decision = ReviewDecision.objects.get()
    assert (decision.change, decision.publish_at, decision.unpublish_at) == (
        "schedule",
        go_live,
        None,
    )
    # The same schedule again changes nothing and records nothing.
    assert Article.objects.filter(pk=article.pk).set_schedule(go_live, None, editor) == 0
    assert ReviewDecision.objects.count() == 1


def test_a_decision_with_a_schedule_is_one_record(django_capture_on_commit_callbacks):
    editor = user_in_role("editor")
    waiting = make_article(published=False)
    decided = make_article(published=True, reviewed_at=timezone.now())
    go_live = timezone.now() + HOUR
    before = reader_pages_version()

    with django_capture_on_commit_callbacks(execute=True):
        waiting.set_published(True, editor, schedule=(go_live, None))
        # Already published and reviewed: only the schedule is new, and it is still recorded.
        decided.set_published(True, editor, schedule=(None, go_live))

    assert reader_pages_version() != before
    assert (waiting.published, waiting.publish_at) == (True, go_live)
    assert decided.unpublish_at == go_live
    assert list(ReviewDecision.objects.order_by("id").values_list("change", "publish_at")) == [
        ("publish", go_live),
        ("keep-on", None),
    ]
    # The same decision and schedule again: nothing to record.
    assert waiting.set_published(True, editor, schedule=(go_live, None)) is False
    assert ReviewDecision.objects.count() == 2
    with pytest.raises(ValidationError):
        waiting.set_published(True, editor, schedule=(go_live, go_live - HOUR))


def test_set_schedule_refuses_an_expiry_before_the_embargo():
    now = timezone.now()
    with pytest.raises(ValidationError):
        Article.objects.all().set_schedule(now, now - HOUR, user_in_role("editor"))


def test_the_article_pages_visibility_check_agrees_with_published_in_every_case():
    """`Article.is_visible` (the article page's check on a row in hand) and `published()`
    (every listing's SQL) must never disagree, or a page would show what listings hide."""
    now = timezone.now()
    moments = {"none": None, "past": now - HOUR, "future": now + HOUR}
    for flag in (True, False):
        for start_name, start in moments.items():
            for end_name, end in moments.items():
                if start and end and end <= start:
                    continue  # refused by a constraint
                make_article(
                    title=f"{flag}-{start_name}-{end_name}",
                    published=flag,
                    publish_at=start,
                    unpublish_at=end,
                )
    by_python = {article.title for article in Article.objects.all() if article.is_visible(now)}
    by_sql = set(Article.objects.published(now=now).values_list("title", flat=True))
    assert by_python == by_sql == {"True-none-none", "True-past-none", "True-none-future",
                                   "True-past-future"}  # fmt: skip
