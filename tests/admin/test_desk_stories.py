"""The review desk grouped by story (issue 14, "Editors"), over HTTP: one entry per story with
its size and providers, its waiting articles in the pane, a story decided in one stroke (the
lead published and the rest kept, or all published), undone in one stroke, another editor's
decision respected, staff refused, and the same without JavaScript. The keys in Chromium are in
tests/browser/test_desk_stories.py."""

import re

import pytest
from django.urls import reverse

from articles.admin.desk import queue
from articles.admin.desk.queue import PAGE_SIZE, STORY_MEMBERS_SHOWN
from articles.models import Article, ReviewDecision, SavedDeskView, Story
from tests.support.desk import DESK, JSON, UNDO, current_id, listed_ids
from tests.support.factories import make_article, make_provider, user_in_role

pytestmark = pytest.mark.django_db


def story_url(story):
    return reverse("admin:desk_decide_story", args=[story.pk])


def make_story(*articles) -> Story:
    story = Story.objects.create()
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(story=story)
    Story.objects.filter(pk=story.pk).refresh_from_members()
    story.refresh_from_db()
    return story


@pytest.fixture
def desk_with_a_story():
    """A story of three waiting articles from three providers (the lead has the best quality),
    an article alone in its story, and one without a story, in between by quality."""
    lead = make_article("Harbour fire: the lead", quality=30, published=False)
    second = make_article(
        "Harbour fire, second", quality=20, provider=("Coast Daily", "coast.example")
    )
    third = make_article(
        "Harbour fire, third", quality=10, provider=("Bay Times", "bay.example"), published=False
    )
    story = make_story(lead, second, third)
    alone = make_article("Alone in its story", quality=25, published=False)
    make_story(alone)
    plain = make_article("No story at all", quality=15, published=False)
    return story, lead, second, third, alone, plain


def members_of(page) -> str:
    return re.search(r'name="members" value="([^"]+)"', page).group(1)


def test_the_desk_lists_a_story_once_with_its_size_and_providers(client, desk_with_a_story):
    story, lead, second, third, alone, plain = desk_with_a_story
    log_in_editor(client)
    response = client.get(DESK)
    # By default (a story has several articles): the story once, where its best article is.
    assert listed_ids(response) == [lead.pk, alone.pk, plain.pk]
    page = response.content.decode()
    assert re.search(rf'data-article-id="{lead.pk}"[^>]* data-story-id="{story.pk}"', page)
    assert "Story · 3 waiting · 1 live · Bay Times, Coast Daily, Example News" in page
    # Its pane: the lead, then the others waiting with their providers.
    assert current_id(response) == lead.pk
    pane = page[page.index('class="desk-pane-article"') :]
    assert "Harbour fire: the lead" in pane
    assert re.search(r"Harbour fire, second</a> · Coast Daily", pane)
    assert re.search(r"Harbour fire, third</a> · Bay Times", pane)
    assert "Publish the lead, keep the rest <kbd>p</kbd>" in pane
    assert "Publish all 3 <kbd>a</kbd>" in pane
    # Turned off, every article as before; the choice stays in the desk's links.
    ungrouped = client.get(DESK + "?group=none")
    assert listed_ids(ungrouped) == [lead.pk, alone.pk, second.pk, plain.pk, third.pk]
    assert "Group by story" in ungrouped.content.decode()
    assert "group=none" in re.search(r'class="desk-item-link" href="([^"]+)"', ungrouped.text)[1]
    # Searched, the story is still one entry.
    assert listed_ids(client.get(DESK + "?q=harbour")) == [lead.pk]


def test_the_grouped_queue_pages_by_keyset_without_repeating_a_story(client):
    stories = []
    for number in range(PAGE_SIZE + 5):
        pair = [make_article(quality=100 - number, published=False) for _ in range(2)]
        stories.append(make_story(*pair))
    log_in_editor(client)
    first = client.get(DESK)
    assert len(listed_ids(first)) == PAGE_SIZE
    more = re.search(r'class="desk-more"><a href="([^"]+)"', first.content.decode()).group(1)
    second = client.get(more.replace("&amp;", "&"))
    assert len(listed_ids(second)) == 5
    shown = re.findall(r'data-story-id="(\d+)"', first.text + second.text)
    assert sorted(map(int, shown)) == sorted(story.pk for story in stories)


def test_a_story_of_one_waiting_article_shows_as_that_article(client, desk_with_a_story):
    story, lead, second, third, alone, plain = desk_with_a_story
    Article.objects.filter(pk__in=[second.pk, third.pk]).set_published(False, None)
    log_in_editor(client)
    response = client.get(DESK + "?group=story")
    assert listed_ids(response) == [lead.pk, alone.pk, plain.pk]
    assert "data-story-id" not in response.content.decode()
    # Without a story of several articles the desk does not group unless asked.
    Article.objects.filter(pk=third.pk).update(story=None)
    Article.objects.filter(pk=second.pk).update(story=None)
    Story.objects.filter(pk=story.pk).refresh_from_members()
    assert "One entry per article" in client.get(DESK).content.decode()


def log_in_editor(client):
    editor = user_in_role("editor")
    client.force_login(editor)
    return editor


def test_p_publishes_the_lead_keeps_the_rest_and_one_undo_takes_it_all_back(
    client, desk_with_a_story
):
    story, lead, second, third, *_ = desk_with_a_story
    editor = log_in_editor(client)
    members = members_of(client.get(DESK).content.decode())
    response = client.post(story_url(story), {"decision": "publish", "members": members}, **JSON)
    assert response.status_code == 200 and response.json()["ok"]
    decided = {
        d.article_id: d
        for d in ReviewDecision.objects.filter(editor=editor, via=ReviewDecision.Via.DESK)
    }
    assert {pk: d.published for pk, d in decided.items()} == {
        lead.pk: True,
        second.pk: False,  # its seed had it live: kept unpublished, as coverage
        third.pk: False,
    }
    assert not Article.objects.waiting_for_review().filter(story=story).exists()
    assert client.get(DESK).content.decode().count("data-story-id") == 0

    undone = client.post(UNDO, {"query": ""}, **JSON).json()
    assert sorted(undone["ids"]) == sorted([lead.pk, second.pk, third.pk])
    assert "3 articles back as they were before you decided on them" in undone["message"]
    assert f'data-story-id="{story.pk}"' in undone["html"]  # back as one entry
    for article, was_published in ((lead, False), (second, True), (third, False)):
        article.refresh_from_db()
        assert article.reviewed_at is None and article.published == was_published
    # One stroke: nothing of the story is left to undo.
    assert client.post(UNDO, **JSON).json()["ok"] is False


def test_a_publishes_all_without_javascript_back_at_the_next_entry(client, desk_with_a_story):
    story, lead, second, third, alone, plain = desk_with_a_story
    log_in_editor(client)
    page = client.get(DESK).content.decode()
    form = re.search(r'class="desk-decide desk-decide-story">.*?</form>', page, re.S).group(0)
    fields = dict(re.findall(r'name="(query|members|next)" value="([^"]*)"', form))
    response = client.post(story_url(story), {**fields, "decision": "all"})
    assert response.status_code == 302
    back = client.get(response.url)
    assert listed_ids(back) == [alone.pk, plain.pk] and current_id(back) == alone.pk
    assert "published all of the story." in back.content.decode()
    assert set(Article.objects.filter(story=story).values_list("published", flat=True)) == {True}
    assert ReviewDecision.objects.filter(article__story=story, published=True).count() == 3


def test_another_editors_decision_on_a_member_is_respected(client, desk_with_a_story):
    story, lead, second, third, *_ = desk_with_a_story
    log_in_editor(client)
    members = members_of(client.get(DESK).content.decode())
    other = user_in_role("superuser")
    Article.objects.filter(pk=third.pk).decide_waiting(True, other, via="desk")
    response = client.post(story_url(story), {"decision": "publish", "members": members}, **JSON)
    assert response.status_code == 409
    assert "Already decided by superuser" in response.json()["message"]
    assert "not recorded" in response.json()["message"]
    third.refresh_from_db()
    assert third.published and third.reviewed_by == other  # as the other editor left it
    assert ReviewDecision.objects.count() == 1  # only theirs
    # An article that joined the story after the editor looked is not decided with it.
    late = make_article("Harbour fire, late", quality=40, published=False)
    Article.objects.filter(pk=late.pk).update(story=story)
    seen = f"{lead.pk},{second.pk}"
    client.post(story_url(story), {"decision": "publish", "members": seen}, **JSON)
    late.refresh_from_db()
    assert late.reviewed_at is None
    lead.refresh_from_db()
    assert lead.published  # the lead the editor saw, not the better one that came later


@pytest.mark.parametrize("role", ["staff", "plain"])
def test_staff_can_read_a_story_entry_but_not_decide_it(client, desk_with_a_story, role):
    story, lead, *_ = desk_with_a_story
    client.force_login(user_in_role(role))
    data = {"decision": "all", "members": str(lead.pk)}
    if role == "staff":
        page = client.get(DESK).content.decode()
        assert "Story · 3 waiting" in page and "desk-decide-story" not in page
    assert client.post(story_url(story), data).status_code == 403
    assert client.post(story_url(story), data, **JSON).status_code == 403
    assert not ReviewDecision.objects.exists()


def test_bad_story_posts_are_refused_clearly(client, desk_with_a_story):
    story, lead, *_ = desk_with_a_story
    log_in_editor(client)
    assert client.post(story_url(story), {"decision": "some", "members": "1"}).status_code == 400
    assert client.post(story_url(story), {"decision": "all", "members": "x"}).status_code == 400
    missing = reverse("admin:desk_decide_story", args=["999999"])
    assert client.post(missing, {"decision": "all", "members": "1"}).status_code == 404
    assert not ReviewDecision.objects.exists()


def test_the_grouped_desk_keeps_its_query_budget(client, django_assert_max_num_queries):
    for number in range(20):
        articles = [
            make_article(
                quality=number,
                topics=["Sea"],
                provider=make_provider(f"p{size}.example", f"P{size}"),
                related=({"title": "More", "url": "https://x.example/"},),
                published=False,
            )
            for size in range(3)
        ]
        make_story(*articles)
    editor = log_in_editor(client)
    SavedDeskView.objects.create(owner=editor, name="High", query="quality_band=high")
    SavedDeskView.objects.create(owner=editor, name="Flat", query="group=none")
    client.get(DESK)  # the category choices and "stories exist" are cached from here on
    with django_assert_max_num_queries(11):  # 10, and one for what of each story is live
        response = client.get(DESK)
    assert len(listed_ids(response)) == 20
    assert "Story · 3 waiting · P0, P1, P2" in response.content.decode()


@pytest.mark.parametrize("big_story", [200, 10])  # listed by a subquery per row, or a window
def test_a_huge_story_shows_a_bounded_number_of_others_and_decides_those(
    client, monkeypatch, big_story
):
    # A story of 5,000 waiting articles made each desk load read and list them all (7.5 s).
    monkeypatch.setattr(queue, "BIG_STORY", big_story)
    alone = make_article("Not in a story", quality=30, published=False)
    articles = [
        make_article(f"Huge story, telling {n}", quality=n, published=False) for n in range(60)
    ]
    story = make_story(*articles)
    log_in_editor(client)
    response = client.get(DESK)
    assert listed_ids(response) == [articles[-1].pk, alone.pk]  # the story once, at its best
    page = response.content.decode()
    pane = page[page.index('class="desk-pane-article"') :]
    assert "Story · 60 waiting" in page
    assert "Huge story, telling 59" in pane  # the lead, best quality
    others = re.findall(r"<li data-member-id=", pane)
    assert len(others) == STORY_MEMBERS_SHOWN - 1
    assert f"Publish these {STORY_MEMBERS_SHOWN} <kbd>a</kbd>" in pane
    form = re.search(r'class="desk-decide desk-decide-story">.*?</form>', page, re.S).group(0)
    fields = dict(re.findall(r'name="(query|members|next)" value="([^"]*)"', form))
    # So big a stroke is asked first: nothing is decided until the editor says yes.
    asked = client.post(story_url(story), {**fields, "decision": "all"}, **JSON)
    assert asked.status_code == 409
    assert "Publish all of this story, 25 articles?" in asked.json()["message"]
    assert not Article.objects.filter(story=story, published=True).exists()
    client.post(story_url(story), {**fields, "decision": "all", "confirmed": "1"})
    # What the editor saw, the best 25, is published; the rest still waits.
    published = Article.objects.filter(story=story, published=True)
    assert sorted(published.values_list("quality", flat=True)) == list(range(35, 60))
    assert Article.objects.waiting_for_review().filter(story=story).count() == 35


def test_a_story_whose_lead_is_live_says_so_and_p_says_what_it_did(client, desk_with_a_story):
    story, lead, second, third, alone, plain = desk_with_a_story
    editor = log_in_editor(client)
    lead.set_published(True, editor, via="desk")  # the real lead is live and decided
    Article.objects.filter(pk=plain.pk).update(source_published_at="2020-03-01T10:00Z")
    page = client.get(DESK).content.decode()
    entry = re.search(rf'data-article-id="{second.pk}".*?</a>', page, re.S).group(0)
    # The entry carries the story's headline, not its first waiting article's title.
    assert "Harbour fire: the lead" in entry and "2 live, its lead too" in entry
    assert "1 Mar 2020" in page  # another year's date says its year
    assert "Its lead is already live." in page
    assert "Publish this one too, keep the rest" in page
    answer = client.post(
        story_url(story),
        {"decision": "publish", "members": f"{second.pk},{third.pk}"},
        **JSON,
    ).json()
    assert answer["message"] == (
        "Published this one beside the story's live lead; the rest kept unpublished."
    )
