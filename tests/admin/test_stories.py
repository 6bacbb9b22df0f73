"""Stories in the admin: an article's story on the list and its page; a story's page with its
articles; merge, move out and choose the lead, for editors only."""

import pytest
from django.urls import reverse

from articles.clustering import stories
from articles.models import Article, Story, StoryCorrection
from tests.support.factories import make_article, user_in_role

pytestmark = pytest.mark.django_db

LINK = ({"title": "x", "url": "https://hub.example/a"},)
OTHER_LINK = ({"title": "x", "url": "https://hub.example/b"},)


@pytest.fixture
def story():
    make_article("Harbour bridge opens", related=LINK, quality=9)
    make_article("Crowds cross the new span", related=LINK, quality=1)
    stories.cluster_new_articles()
    return Story.objects.get()


def change_url(story):
    return reverse("admin:articles_story_change", args=[story.pk])


def test_the_article_list_and_page_show_the_story(client, story):
    client.force_login(user_in_role("editor"))
    listing = client.get(reverse("admin:articles_article_changelist"))
    assert change_url(story).encode() in listing.content
    assert b"(2 articles)" in listing.content
    article = story.articles.first()
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert change_url(story).encode() in page.content


def test_an_editor_sees_the_members_with_their_corrections(client, story):
    client.force_login(user_in_role("editor"))
    page = client.get(change_url(story)).content.decode()
    assert "Harbour bridge opens" in page and "Crowds cross the new span" in page
    assert "(lead)" in page
    assert "Move out of this story" in page and "Make lead" in page


def test_staff_who_may_not_publish_see_the_story_but_cannot_correct_it(client, story):
    client.force_login(user_in_role("staff"))
    page = client.get(change_url(story))
    assert page.status_code == 200 and b"Move out" not in page.content
    article = story.articles.exclude(pk=story.lead_id).get()
    response = client.post(reverse("admin:articles_story_split", args=[story.pk, article.pk]))
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).story_id == story.pk


def test_moving_an_article_out_and_choosing_the_lead(client, story):
    editor = user_in_role("editor")
    client.force_login(editor)
    follower = story.articles.exclude(pk=story.lead_id).get()
    response = client.post(reverse("admin:articles_story_lead", args=[story.pk, follower.pk]))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.lead == follower and story.lead_chosen_by_editor

    assert (
        client.get(reverse("admin:articles_story_split", args=[story.pk, follower.pk])).status_code
        == 405
    )
    response = client.post(reverse("admin:articles_story_split", args=[story.pk, follower.pk]))
    follower.refresh_from_db()
    assert follower.story_id != story.pk and follower.story_pinned
    assert response["Location"] == change_url(story)  # back to the story being corrected
    changes = set(StoryCorrection.objects.values_list("change", "editor"))
    assert changes == {("lead", editor.pk), ("split", editor.pk)}


def test_an_editor_merges_stories_from_the_list(client, story):
    make_article("Tram line approved", related=OTHER_LINK)
    stories.cluster_new_articles()
    client.force_login(user_in_role("editor"))
    response = client.post(
        reverse("admin:articles_story_changelist"),
        {
            "action": "merge_selected",
            "_selected_action": list(Story.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert b"2 stories merged" in response.content
    assert Story.objects.get().size == 3


def test_a_correction_another_editor_made_moot_is_refused_with_a_message(
    client, story, monkeypatch
):
    from articles.editorial.story_corrections import StoryCorrections

    client.force_login(user_in_role("editor"))
    follower = story.articles.exclude(pk=story.lead_id).get()
    elsewhere = Story.objects.create()
    lock = StoryCorrections._lock_stories

    def another_editor_moves_it_first(self, locked):
        # Another editor's correction commits between this page's read and its lock.
        Article.objects.filter(pk=follower.pk).update(story=elsewhere, story_pinned=True)
        lock(self, locked)

    monkeypatch.setattr(StoryCorrections, "_lock_stories", another_editor_moves_it_first)
    url = reverse("admin:articles_story_lead", args=[story.pk, follower.pk])
    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "Another editor changed these stories meanwhile" in response.content.decode()
    story.refresh_from_db()
    assert story.lead_id != follower.pk and not story.lead_chosen_by_editor
    assert not StoryCorrection.objects.exists()
