"""Why the clusterer grouped articles, and the stories it nearly joined: stored at clustering
time (`Article.story_evidence`), shown on the Story admin and the desk, and never a story an
editor split apart."""

import datetime as dt

import pytest
from django.urls import reverse

from articles.clustering import limits, stories
from articles.clustering.explain import near_misses, why
from articles.clustering.index import NEAR_MISS_MARGIN, Item, StoryIndex
from articles.clustering.words import terms
from articles.models import Article, Story, StoryCorrection
from tests.support.factories import make_article, user_in_role

LINK = ({"title": "x", "url": "https://hub.example/a"},)
WHEN = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)


def item(number, title, **fields):
    return Item(
        id=number,
        date=WHEN + dt.timedelta(minutes=number),
        url=f"https://example.com/{number}",
        terms=fields.pop("terms", None) or terms(title),
        related=frozenset(),
        story_id=None,
        title=title,
        **fields,
    )


@pytest.mark.django_db
def test_a_shared_link_is_the_reason_given():
    make_article("Harbour bridge opens", related=LINK)
    make_article("Crowds cross the new span", related=LINK)
    stories.cluster_new_articles()
    second = Article.objects.get(title="Crowds cross the new span")
    assert second.story_evidence == {"how": "link", "url": "https://hub.example/a"}
    assert why(second.story_evidence) == "shares a related link: https://hub.example/a"


@pytest.mark.django_db
def test_the_words_and_similarity_given_are_those_the_join_used():
    make_article("Volcano erupts near Reykjavik airport, flights cancelled")
    make_article("Reykjavik airport flights cancelled as volcano erupts")
    make_article("Orchestra tours Japan")
    stories.cluster_new_articles()
    joined = Article.objects.get(title__startswith="Reykjavik")
    first = Article.objects.get(title__startswith="Volcano")
    assert joined.story_id == first.story_id
    evidence = joined.story_evidence
    assert evidence["how"] == "text"
    assert evidence["score"] >= stories.TEXT_THRESHOLD
    # Every word named is one both headlines have.
    both = set(terms(joined.title)) & set(terms(first.title))
    assert evidence["words"] and set(evidence["words"]) <= both
    assert {"volcano", "reykjavik"} <= set(evidence["words"])
    assert f"similarity {evidence['score']:.2f}" in why(evidence)
    assert first.story_evidence["how"] == "new"


def test_a_story_just_under_the_threshold_is_kept_as_a_near_miss(monkeypatch):
    # Nothing joins by text (and a shared headline eases no threshold here).
    monkeypatch.setattr(limits, "HEADLINE_EASING", 0.0)
    index = StoryIndex(lexical_threshold=1.01)
    index.add(item(1, "Volcano erupts near Reykjavik airport"))
    far = item(2, "Orchestra tours Japan")
    index.add(far)
    near = item(3, "Volcano erupts near Reykjavik airport")
    assert index.add(near)[1] == "new"
    assert near.evidence["near"]["article"] == 1
    assert near.evidence["near"]["score"] >= 1.01 - NEAR_MISS_MARGIN
    assert "near" not in far.evidence


def _story(*titles):
    articles = [make_article(title) for title in titles]
    story = Story.objects.create(title=titles[0], lead=articles[0], size=len(titles))
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(story=story)
    Story.objects.filter(pk=story.pk).refresh_from_members()
    story.refresh_from_db()
    return story, [Article.objects.get(pk=a.pk) for a in articles]


def _near(article, other, score=0.41):
    Article.objects.filter(pk=article.pk).update(
        story_evidence={"how": "new", "near": {"article": other.pk, "score": score}}
    )


@pytest.mark.django_db
def test_a_near_miss_is_offered_and_one_click_merges_it_as_a_correction(client):
    older, (lead, _) = _story("Harbour bridge opens", "Crowds cross the span")
    newer, (late,) = _story("Bridge opening draws crowds")
    _near(late, lead)
    assert [miss.story for miss in near_misses(newer)] == [older]
    assert [miss.story for miss in near_misses(older)] == [newer]  # both ways
    editor = user_in_role("editor")
    client.force_login(editor)
    page = client.get(reverse("admin:articles_story_change", args=[newer.pk])).content.decode()
    assert "Might be the same story" in page and "Harbour bridge opens" in page
    merge = reverse("admin:articles_story_merge", args=[newer.pk, older.pk])
    assert merge in page
    response = client.post(merge, {"next": "https://elsewhere.example/"})
    assert response.status_code == 302 and "elsewhere" not in response["Location"]
    assert Article.objects.filter(story=newer).count() == 3
    assert not Story.objects.filter(pk=older.pk).exists()
    correction = StoryCorrection.objects.get(story=newer)
    assert correction.change == StoryCorrection.Change.MERGE and correction.editor == editor
    assert near_misses(newer) == []
    page = client.get(reverse("admin:articles_story_change", args=[newer.pk])).content.decode()
    assert "kept there by an editor&#x27;s correction" in page or "kept there by an editor" in page


@pytest.mark.django_db
def test_stories_an_editor_split_apart_are_never_suggested(client):
    story, (lead, other, moved) = _story("Harbour bridge opens", "Crowds cross", "Bridge toll")
    editor = user_in_role("editor")
    new = story.split_off(moved, editor)
    # The clusterer, later, finds each close to the other: neither way is offered.
    _near(moved, lead)
    _near(other, moved)
    assert near_misses(new) == []
    assert near_misses(story) == []
    assert near_misses(story, incoming=False) == []
    # A third story, never split from either, still is.
    third, (stray,) = _story("Bridge toll debated")
    _near(stray, lead)
    assert [miss.story for miss in near_misses(third)] == [story]


@pytest.mark.django_db
def test_staff_who_may_not_publish_cannot_merge_a_near_miss(client):
    older, (lead, _) = _story("Harbour bridge opens", "Crowds cross the span")
    newer, (late,) = _story("Bridge opening draws crowds")
    client.force_login(user_in_role("staff"))
    response = client.post(reverse("admin:articles_story_merge", args=[newer.pk, older.pk]))
    assert response.status_code == 403
    assert Story.objects.filter(pk=older.pk).exists()


@pytest.mark.django_db
def test_the_desk_story_entry_says_why_and_offers_the_near_miss(client):
    from tests.support.desk import DESK

    make_article("Volcano erupts near Reykjavik airport", quality=30, published=False)
    make_article("Reykjavik airport shut as volcano erupts", quality=20, published=False)
    stories.cluster_new_articles()
    story = Story.objects.get()
    older, (lead, _) = _story("Ash cloud grounds flights", "Flights grounded by ash")
    _near(story.articles.get(story_evidence__how="new"), lead)
    client.force_login(user_in_role("editor"))
    page = client.get(DESK).content.decode()
    assert "Why these are one story" in page
    assert "shared words: " in page and "reykjavik" in page
    assert "Might be the same story" in page and "Ash cloud grounds flights" in page
    merge = reverse("admin:articles_story_merge", args=[story.pk, older.pk])
    assert f'action="{merge}"' in page and 'aria-keyshortcuts="m"' in page
    response = client.post(merge, {"next": DESK})
    assert response.status_code == 302 and response["Location"] == DESK
    assert Article.objects.filter(story=story).count() == 4


def test_near_misses_look_as_far_as_the_window():
    from articles.clustering import explain, index

    assert explain.NEAR_SPAN == index.WINDOW
