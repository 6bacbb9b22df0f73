"""The article and story as the API shows them (and webhooks send them): what a client can
rely on, and nothing readers may not see."""

import json

import pytest

from articles.api.representation import article_data, story_data
from articles.models import Article, Story
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

SITE = "https://news.example"


def test_an_article_has_its_links_provider_and_topics():
    article = make_article(
        "Rivers rise in the north",
        excerpt="Water everywhere.",
        body="# Flood\n\nMore *rain*.",
        topics=("Weather", "floods"),
        provider=("North Post", "north.example"),
    )
    data = article_data(Article.objects.select_related("provider").get(), site_url=SITE)

    assert data["id"] == article.pk
    assert data["url"] == f"{SITE}/articles/{article.pk}/{article.slug}/"
    assert data["title"] == "Rivers rise in the north"
    assert data["excerpt"] == "Water everywhere."
    assert data["body"] == "# Flood\n\nMore *rain*."
    assert data["published_at"].endswith("Z")
    assert data["provider"] == {
        "id": article.provider_id,
        "name": "North Post",
        "domain": "north.example",
        "url": f"{SITE}/providers/north.example/",
    }
    assert [t["name"] for t in data["topics"]] == ["floods", "Weather"]
    assert data["topics"][1]["url"] == f"{SITE}/topics/weather/"
    assert data["story"] is None
    json.dumps(data)  # JSON-ready as it is


def test_editor_and_upstream_fields_are_not_shown():
    make_article("Secret payload", extra={"internal": 1})
    data = article_data(Article.objects.get(), site_url=SITE)
    shown = json.dumps(data)
    assert "secured" not in data and "extra" not in data and "published" not in data
    assert "c2VjcmV0" not in shown  # the opaque upstream payload


def test_a_story_never_takes_a_held_articles_title_or_dates():
    story = Story.objects.create()
    held = make_article("Held lead with the best quality", quality=99, published=False, story=story)
    seen = make_article("Bridge closed after the storm", quality=1, story=story)
    make_article("Bridge closed after storm damage", quality=2, published=False, story=story)
    story.refresh()
    assert story.lead_id == held.pk
    visible = list(Article.objects.published().filter(story=story))

    data = story_data(story, site_url=SITE, visible=visible)

    assert data["title"] == seen.title
    assert data["article_count"] == 1
    assert data["url"] == f"{SITE}/stories/{story.pk}/"
    assert data["first_published_at"] == data["last_published_at"]
    assert data["lead_article"] is None  # the lead is held
