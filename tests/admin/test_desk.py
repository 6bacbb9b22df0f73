"""The review desk over HTTP (no browser): the queue it shows, decisions without JavaScript and
as desk.js posts them, undo, two editors on one item, who may decide, filters and saved views.
The keys themselves are tried in Chromium in tests/browser/test_desk.py."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.admin.desk.queue import PAGE_SIZE
from articles.models import Article, ReviewDecision, SavedDeskView
from tests.support.admin import CHANGELIST, action, log_in
from tests.support.desk import DESK, JSON, UNDO, current_id, listed_ids
from tests.support.factories import make_article, make_provider, user_in_role
from tests.support.seeds import run_import, sample_fields

pytestmark = pytest.mark.django_db


def decide_url(article):
    return reverse("admin:desk_decide", args=[article.pk])


@pytest.fixture
def queue():
    """Three waiting articles (best first: high, mid, low) and one already decided."""
    high = make_article("High quality story", quality=35, heat=10, published=False)
    mid = make_article("Mid quality story", quality=20, heat=90, published=True)
    low = make_article("Low quality story", quality=5, heat=None, published=False)
    decided = make_article("Already reviewed", quality=40, published=True)
    Article.objects.filter(pk=decided.pk).set_published(True, None)
    return high, mid, low


def test_the_desk_lists_waiting_items_best_first_with_the_first_in_the_pane(client, queue):
    high, mid, low = queue
    log_in(client, "editor")
    response = client.get(DESK)
    assert response.status_code == 200
    assert listed_ids(response) == [high.pk, mid.pk, low.pk]
    assert current_id(response) == high.pk
    page = response.content.decode()
    assert "Live, not reviewed" in page  # mid: published by its seed, no editor yet
    assert f'action="{decide_url(high)}"' in page


def test_without_javascript_publish_records_and_returns_to_the_desk_at_the_next_item(client, queue):
    high, mid, low = queue
    editor = log_in(client, "editor")
    desk = client.get(DESK)
    assert current_id(desk) == high.pk
    response = client.post(decide_url(high), {"decision": "publish", "next": mid.pk, "query": ""})
    assert response.status_code == 302
    back = client.get(response.url)
    assert current_id(back) == mid.pk
    assert listed_ids(back) == [mid.pk, low.pk]
    assert "“High quality story”: published." in back.content.decode()
    high.refresh_from_db()
    assert high.published and high.reviewed_by == editor
    decision = high.decisions.get()
    assert (decision.change, decision.via) == (ReviewDecision.Change.PUBLISH, "desk")


def test_keep_unpublished_is_a_recorded_decision_and_the_item_leaves_the_queue(client, queue):
    high, mid, low = queue
    log_in(client, "editor")
    client.post(decide_url(mid), {"decision": "keep"})
    client.post(decide_url(low), {"decision": "keep"})
    mid.refresh_from_db()
    low.refresh_from_db()
    assert not mid.published and mid.reviewed_at is not None
    assert not low.published and low.reviewed_at is not None
    assert mid.decisions.get().change == ReviewDecision.Change.UNPUBLISH
    assert low.decisions.get().change == ReviewDecision.Change.CONFIRM_UNPUBLISHED
    assert listed_ids(client.get(DESK)) == [high.pk]


def test_undo_restores_exactly_the_state_before_and_readers_see_it_again(
    client, queue, django_capture_on_commit_callbacks
):
    high, mid, low = queue
    log_in(client, "editor")
    assert client.get(mid.get_absolute_url()).status_code == 200  # live, cached
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(decide_url(mid), {"decision": "keep"}, **JSON)
    assert answer.json()["ok"] is True
    assert client.get(mid.get_absolute_url()).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        undone = client.post(UNDO, {}, **JSON).json()
    assert undone["ids"] == [mid.pk]
    assert f'data-article-id="{mid.pk}"' in undone["html"]  # desk.js puts it back
    mid.refresh_from_db()
    assert mid.published and mid.reviewed_at is None and mid.reviewed_by is None
    assert client.get(mid.get_absolute_url()).status_code == 200
    assert [d.change for d in mid.decisions.all()] == ["undo", "unpublish"]
    assert mid.pk in listed_ids(client.get(DESK))


def test_undo_gives_back_the_schedule_a_decision_on_the_article_page_set(client, queue):
    high, mid, low = queue  # mid: live, no schedule
    editor = log_in(client, "editor")
    embargo = timezone.now() + datetime.timedelta(days=3)
    Article.objects.filter(pk=mid.pk).set_published(
        True, editor, via="page", schedule=(embargo, None)
    )
    mid.refresh_from_db()
    assert not mid.is_visible()  # held until the embargo

    assert client.post(UNDO, {}, **JSON).json()["ids"] == [mid.pk]
    mid.refresh_from_db()
    assert (mid.publish_at, mid.unpublish_at) == (None, None)
    assert mid.is_visible() and mid.reviewed_at is None
    assert client.get(mid.get_absolute_url()).status_code == 200


def test_undo_goes_back_one_decision_at_a_time_and_then_says_there_is_nothing(client, queue):
    high, mid, low = queue
    log_in(client, "editor")
    client.post(decide_url(high), {"decision": "publish"})
    client.post(decide_url(low), {"decision": "keep"})
    assert client.post(UNDO, {}, **JSON).json()["ids"] == [low.pk]
    assert client.post(UNDO, {}, **JSON).json()["ids"] == [high.pk]
    nothing = client.post(UNDO, {}, **JSON).json()
    assert nothing["ids"] == [] and "Nothing to undo" in nothing["message"]
    assert Article.objects.waiting_for_review().count() == 3


def test_undo_takes_back_only_the_editors_own_decisions(client, queue):
    high, mid, low = queue
    other = user_in_role("superuser")
    Article.objects.filter(pk=high.pk).decide_waiting(True, other, via="desk")
    log_in(client, "editor")
    answer = client.post(UNDO, {}, **JSON).json()
    assert answer["ids"] == []
    high.refresh_from_db()
    assert high.published and high.reviewed_by == other


def test_undo_leaves_an_article_someone_decided_since(client, queue):
    high, mid, low = queue
    editor = log_in(client, "editor")
    client.post(decide_url(high), {"decision": "publish"})
    other = user_in_role("superuser")
    Article.objects.filter(pk=high.pk).set_published(False, other)
    assert client.post(UNDO, {}, **JSON).json()["ids"] == []
    high.refresh_from_db()
    assert not high.published and high.reviewed_by == other
    assert not ReviewDecision.objects.filter(editor=editor, change="undo").exists()


def test_a_second_editor_gets_a_clear_message_and_no_second_decision(client, queue):
    high, mid, low = queue
    first = user_in_role("superuser")
    log_in(client, "editor")
    desk = client.get(DESK)  # the second editor's desk still shows high
    assert high.pk in listed_ids(desk)
    Article.objects.filter(pk=high.pk).decide_waiting(True, first, via="desk")

    state = client.get(reverse("admin:desk_state"), {"ids": f"{high.pk},{mid.pk}"}).json()
    assert list(state["decided"]) == [str(high.pk)]
    assert "Already decided by superuser" in state["decided"][str(high.pk)]

    answer = client.post(decide_url(high), {"decision": "keep"}, **JSON)
    assert answer.status_code == 409
    assert "Already decided by superuser" in answer.json()["message"]
    assert "not recorded" in answer.json()["message"]
    # Without JavaScript: the same message on the desk.
    response = client.post(decide_url(high), {"decision": "keep"}, follow=True)
    assert "Already decided by superuser" in response.content.decode()
    high.refresh_from_db()
    assert high.published and high.reviewed_by == first
    assert high.decisions.count() == 1


@pytest.mark.parametrize("role", ["staff", "plain"])
def test_staff_without_the_publish_permission_cannot_decide_on_any_path(client, queue, role):
    high, mid, low = queue
    editor = user_in_role("editor")
    Article.objects.filter(pk=low.pk).decide_waiting(False, editor, via="desk")
    log_in(client, role)
    desk = client.get(DESK)
    schedule = reverse("admin:desk_schedule", args=[high.pk])
    if role == "staff":
        assert desk.status_code == 200
        page = desk.content.decode()
        assert high.title in page and "Publish <kbd>" not in page
        assert "deciding needs the permission to publish" in page
    else:
        assert desk.status_code == 403
    posts = [
        (decide_url(high), {"decision": "publish"}),
        (decide_url(mid), {"decision": "keep"}),
        (UNDO, {}),
        (schedule, {"publish_at": "2030-01-01T10:00"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
        assert client.post(url, data, **JSON).status_code == 403, url
    assert not ReviewDecision.objects.filter(editor__username=role).exists()
    assert Article.objects.waiting_for_review().count() == 2


def test_the_desk_needs_a_login(client, queue):
    high, _, _ = queue
    assert client.get(DESK).status_code == 302
    assert client.post(decide_url(high), {"decision": "publish"}).status_code == 302
    assert not Article.objects.filter(pk=high.pk, reviewed_at__isnull=False).exists()


def test_odd_input_is_refused_plainly(client, queue):
    high, _, _ = queue
    log_in(client, "editor")
    assert client.post(decide_url(high), {"decision": "maybe"}).status_code == 400
    assert client.post("/admin/desk/٣/decide/", {"decision": "publish"}).status_code == 404
    big = "9" * 30
    assert client.post(f"/admin/desk/{big}/decide/", {"decision": "publish"}).status_code == 404
    assert client.get(DESK, {"at": big, "after": "x", "quality_band": "\x00"}).status_code == 200
    assert client.get(DESK).status_code == 200


def test_a_schedule_is_a_decision_to_go_live_then_and_undo_takes_it_back(client, queue):
    high, mid, _ = queue
    log_in(client, "editor")
    client.post(decide_url(mid), {"decision": "publish"}, **JSON)  # an earlier decision
    url = reverse("admin:desk_schedule", args=[high.pk])
    answer = client.post(url, {"publish_at": "2030-01-01 10:00", "unpublish_at": ""}, **JSON)
    assert answer.json() == {"ok": True, "message": "Goes live 1 Jan 2030 10:00 UTC."}
    high.refresh_from_db()
    assert high.published and high.publish_at.year == 2030 and high.reviewed_at  # decided
    assert not high.is_visible()  # until then
    assert high not in Article.objects.waiting_for_review()
    # `z` right after takes back this decision, schedule and all, not the one before.
    undone = client.post(UNDO, {}, **JSON).json()
    assert undone["ids"] == [high.pk]
    high.refresh_from_db()
    mid.refresh_from_db()
    assert (high.published, high.publish_at, high.reviewed_at) == (False, None, None)
    assert mid.reviewed_at is not None


def test_z_takes_back_a_schedule_change_made_after_the_last_decision(client, queue):
    high, mid, _ = queue  # mid: live, no schedule
    editor = log_in(client, "editor")
    client.post(decide_url(high), {"decision": "publish"}, **JSON)
    embargo = timezone.now() + datetime.timedelta(days=2)
    Article.objects.filter(pk=mid.pk).set_schedule(embargo, None, editor, via="page")
    first = client.post(UNDO, {}, **JSON).json()
    assert first["ids"] == [mid.pk] and "rescheduled" in first["message"]
    mid.refresh_from_db()
    high.refresh_from_db()
    assert mid.publish_at is None and high.reviewed_at is not None  # the decision stands
    second = client.post(UNDO, {}, **JSON).json()  # then the decision before it
    assert second["ids"] == [high.pk]


@pytest.mark.parametrize(
    "posted, said",
    [
        ({"publish_at": "12/20/2030 8:00 AM"}, "is not a date and time: type it as 2026-12-20"),
        ({"publish_at": ""}, "Type when it goes live"),
        ({"publish_at": "2020-01-01 10:00"}, "has passed"),
        ({"publish_at": "2030-01-02 10:00", "unpublish_at": "2030-01-01 10:00"}, "must be after"),
    ],
)
def test_a_bad_schedule_is_said_in_words_and_decides_nothing(client, queue, posted, said):
    high, _, _ = queue
    log_in(client, "editor")
    url = reverse("admin:desk_schedule", args=[high.pk])
    wrong = client.post(url, posted, **JSON)
    assert wrong.status_code == 400 and said in wrong.json()["message"]
    response = client.post(url, posted)  # without JavaScript: back to the item, with a message
    assert response.status_code == 302 and f"at={high.pk}" in response.url
    assert not high.decisions.exists()


def test_a_bulk_action_in_the_list_offers_undo(client, queue):
    high, mid, low = queue
    log_in(client, "editor")
    response = action(client, "publish_selected", high, low, url=CHANGELIST + "?review=waiting")
    page = response.content.decode()
    assert "2 articles published." in page
    decision = re.search(r'name="decision" value="(\d+)"', page).group(1)
    back = client.post(UNDO, {"decision": decision, "next": CHANGELIST + "?review=waiting"})
    assert back.status_code == 302 and back.url == CHANGELIST + "?review=waiting"
    for article in (high, low):
        article.refresh_from_db()
        assert not article.published and article.reviewed_at is None
    # A hostile "next" goes back to the desk instead.
    action(client, "publish_selected", high)
    away = client.post(UNDO, {"next": "https://elsewhere.example/"})
    assert away.url.startswith(DESK)


def test_filters_narrow_the_queue_with_the_list_filters_rules(client, queue):
    high, mid, low = queue
    port = make_provider("port.example", "Port Gazette")
    harbour = make_article(
        "Harbour news", provider=port, quality=25, published=False, topics=["Sea"]
    )
    log_in(client, "editor")
    assert listed_ids(client.get(DESK, {"quality_band": "high"})) == [high.pk]
    assert listed_ids(client.get(DESK, {"live": "1"})) == [mid.pk]
    assert listed_ids(client.get(DESK, {"provider": port.pk})) == [harbour.pk]
    sea = harbour.topics.get()
    assert listed_ids(client.get(DESK, {"topic": sea.pk})) == [harbour.pk]
    assert listed_ids(client.get(DESK, {"disagrees": "yes"})) == [mid.pk]
    assert listed_ids(client.get(DESK, {"q": "gazette"})) == [harbour.pk]
    page = client.get(DESK, {"provider": port.pk}).content.decode()
    assert "Provider: Port Gazette" in page


def test_the_desk_search_is_the_article_admins_own(client, queue, monkeypatch):
    from articles.admin.articles import ArticleAdmin

    high, mid, low = queue
    seen = []

    def search(self, request, queryset, term):
        seen.append(term)
        return queryset.filter(pk=low.pk), False

    monkeypatch.setattr(ArticleAdmin, "get_search_results", search)
    log_in(client, "editor")
    assert listed_ids(client.get(DESK, {"q": "anything"})) == [low.pk]
    assert seen == ["anything"]


def test_more_items_continue_the_queue_without_gaps_or_repeats(client):
    for number in range(PAGE_SIZE * 2 + 3):
        make_article(quality=number % 4 or None, heat=number % 3 or None, published=False)
    log_in(client, "editor")
    first = listed_ids(client.get(DESK))
    assert len(first) == PAGE_SIZE
    # Deciding some of them meanwhile must not shift the next page.
    Article.objects.filter(pk__in=first[:5]).set_published(True, None)
    more = client.get(reverse("admin:desk_items"), {"after": first[-1]})
    assert more["X-Desk-More"] == "1"
    second = listed_ids(more)
    rest = client.get(reverse("admin:desk_items"), {"after": second[-1]})
    assert rest["X-Desk-More"] == "0"
    everything = first + second + listed_ids(rest)
    expected = list(Article.objects.order_by(*_queue_order()).values_list("pk", flat=True))
    assert everything == expected


def _queue_order():
    from django.contrib.admin import site

    return site.get_model_admin(Article).get_ordering(None)


def test_an_editor_saves_a_view_and_sees_its_count_of_waiting_items(client, queue):
    high, mid, low = queue
    editor = log_in(client, "editor")
    response = client.post(
        reverse("admin:desk_save_view"),
        {"name": "Good ones", "query": "quality_band=high&secured__startswith=a"},
    )
    assert response.status_code == 302
    view = SavedDeskView.objects.get(owner=editor)
    assert view.query == "quality_band=high"  # only the desk's own parameters
    page = client.get(DESK).content.decode()
    assert re.search(r'Good ones <span class="desk-count">1</span>', page)
    # Others do not see it.
    client.force_login(user_in_role("superuser"))
    assert "Good ones" not in client.get(DESK).content.decode()


def test_the_first_load_and_a_decision_cost_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    for number in range(60):
        make_article(
            quality=number % 40,
            topics=["Sea", "Port"],
            related=(
                {"title": "More", "url": "https://x.example/", "provider": ("X", "x.example")},
            ),
            published=False,
        )
    editor = log_in(client, "editor")
    SavedDeskView.objects.create(owner=editor, name="High", query="quality_band=high")
    SavedDeskView.objects.create(owner=editor, name="Live", query="live=1")
    client.get(DESK)  # the category choices are cached from here on
    with django_assert_max_num_queries(10):
        client.get(DESK)
    article = Article.objects.waiting_for_review().first()
    # Session, user and permissions: 4; the decision: 3 (lock and read, update, history); a
    # savepoint and its release (a transaction's BEGIN and COMMIT outside tests). Reader pages
    # are refreshed on commit, which the test transaction never reaches: one query more.
    with django_assert_max_num_queries(9):
        client.post(decide_url(article), {"decision": "publish"}, **JSON)


def test_hold_new_articles_keeps_them_unpublished_showing_the_seed_suggestion(
    settings, write_seed, seed_dir
):
    settings.HOLD_NEW_ARTICLES = True
    fields = sample_fields() | {"published": True}
    write_seed("a.txt", fields)
    assert run_import(seed_dir).code == 0
    article = Article.objects.get()
    assert article.source_published and not article.published
    assert article in Article.objects.waiting_for_review()

    settings.HOLD_NEW_ARTICLES = False
    other = "https://example.com/other-story"
    write_seed("b.txt", fields | {"webUrl": other, "originalUrl": other})
    assert run_import(seed_dir).code == 0
    assert Article.objects.filter(published=True).count() == 1


def test_a_saved_views_count_stops_at_the_cap(client, queue, monkeypatch):
    from articles.admin.desk import queue as desk

    monkeypatch.setattr(desk, "COUNT_CAP", 2)
    editor = log_in(client, "editor")
    SavedDeskView.objects.create(owner=editor, name="Everything", query="")
    SavedDeskView.objects.create(owner=editor, name="Live", query="live=1")
    page = client.get(DESK).content.decode()
    assert re.search(r'Everything <span class="desk-count">2\+</span>', page)
    assert re.search(r'Live <span class="desk-count">1</span>', page)


def test_without_javascript_the_second_page_of_the_queue_stays_put(client):
    for number in range(PAGE_SIZE + 4):
        make_article(quality=100 - number, published=False)
    log_in(client, "editor")
    first = client.get(DESK)
    more = re.search(r'class="desk-more"><a href="([^"]+)"', first.content.decode()).group(1)
    second = client.get(more.replace("&amp;", "&"))
    ids = listed_ids(second)
    assert len(ids) == 4 and current_id(second) == ids[0]
    # An item's link and a decision on it keep the editor on this page.
    link = re.search(
        r'href="([^"]+)">\s*<span class="desk-item-title">[^<]*</span>', second.content.decode()
    )
    assert "after=" in link.group(1)
    decide_form = r'class="desk-decide">.*?name="query" value="([^"]*)"'
    query = re.search(decide_form, second.content.decode(), re.S).group(1)
    response = client.post(
        decide_url(Article.objects.get(pk=ids[0])),
        {"decision": "publish", "next": ids[1], "query": query.replace("&amp;", "&")},
    )
    back = client.get(response.url)
    assert listed_ids(back) == ids[1:] and current_id(back) == ids[1]


def test_an_editor_removes_only_their_own_saved_views(client):
    owner = user_in_role("editor")
    view = SavedDeskView.objects.create(owner=owner, name="Mine", query="live=1")
    client.force_login(user_in_role("superuser"))
    delete = reverse("admin:desk_delete_view", args=[view.pk])
    client.post(delete)
    assert SavedDeskView.objects.filter(pk=view.pk).exists()
    client.force_login(owner)
    client.post(delete)
    assert not SavedDeskView.objects.filter(pk=view.pk).exists()


def test_the_today_filter_keeps_what_arrived_since_midnight(client, queue):
    high, mid, low = queue
    yesterday = timezone.now() - datetime.timedelta(days=2)
    Article.objects.filter(pk__in=[high.pk, low.pk]).update(created_at=yesterday)
    log_in(client, "editor")
    response = client.get(DESK, {"today": "1"})
    assert listed_ids(response) == [mid.pk]
    assert 'name="today" value="1" checked' in response.content.decode()
