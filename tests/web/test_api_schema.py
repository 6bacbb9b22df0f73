"""The OpenAPI document validates and says what the answers hold; the browsable docs are
served from the site itself (no CDN) and linked from the README."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

from articles.models import Story
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        ("application/json", "application/vnd.oai.openapi+json")
    )
    return response.json()


def test_the_openapi_document_validates_and_lists_every_endpoint(document):
    validate(document)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/v1/articles/",
        "/api/v1/articles/{id}/",
        "/api/v1/stories/",
        "/api/v1/stories/{id}/",
        "/api/v1/topics/",
        "/api/v1/providers/",
    }
    listed = document["paths"]["/api/v1/articles/"]["get"]
    assert {p["name"] for p in listed["parameters"]} == {
        "topic",
        "provider",
        "story",
        "since",
        "q",
        "cursor",
    }
    assert {"200", "400", "429"} <= set(listed["responses"])


def _properties(document, name):
    return set(document["components"]["schemas"][name]["properties"])


def test_the_document_describes_exactly_what_the_answers_hold(client, document):
    story = Story.objects.create()
    article = make_article("Described", topics=("Weather",), story=story)
    story.refresh()
    answer = client.get(f"/api/v1/articles/{article.pk}/").json()
    assert set(answer) == _properties(document, "Article")
    assert set(answer["provider"]) == _properties(document, "Provider")
    assert set(answer["topics"][0]) == _properties(document, "Topic")
    assert set(answer["story"]) == _properties(document, "StoryLink")
    assert set(client.get("/api/v1/articles/").json()) == _properties(document, "ArticleList")
    story_answer = client.get(f"/api/v1/stories/{story.pk}/").json()
    assert set(story_answer) == _properties(document, "Story")
    topic = client.get("/api/v1/topics/").json()["results"][0]
    assert set(topic) == _properties(document, "CountedTopic")
    provider = client.get("/api/v1/providers/").json()["results"][0]
    assert set(provider) == _properties(document, "CountedProvider")


def test_the_docs_page_loads_only_the_sites_own_scripts_and_styles(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>" not in html  # no inline script: the CSP allows 'self' only
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/"), asset  # no CDN
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
    script = next(a for a in assets if "script" in a and "static" not in a)
    init = client.get(script)
    assert init.status_code == 200 and b"/api/v1/openapi.json" in init.content
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_the_readme_links_the_docs():
    readme = (ROOT / "README.md").read_text()
    assert "/api/v1/docs/" in readme and "/api/v1/openapi.json" in readme
