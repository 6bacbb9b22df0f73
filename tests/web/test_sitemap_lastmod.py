"""The stories' sitemap tells nothing of what readers may not see (issue 27, item 13)."""

import datetime as dt

import pytest
from django.urls import reverse

from articles.clustering import stories
from articles.models import Story
from tests.support.factories import BASE_DATE, make_article

pytestmark = pytest.mark.django_db

HUB = ({"title": "Wire report", "url": "https://wire.example/flood"},)


def test_a_storys_lastmod_is_its_newest_visible_member_not_a_held_one(client):
    make_article("River bursts its banks", related=HUB, source_published_at=BASE_DATE)
    held_date = BASE_DATE + dt.timedelta(days=3)
    make_article("Held back telling", published=False, related=HUB, source_published_at=held_date)
    stories.cluster_new_articles()
    story = Story.objects.get()
    assert story.size == 2 and story.last_seen_at == held_date

    sitemap = client.get(reverse("articles:sitemap_section", args=["stories"])).content.decode()

    assert f"<lastmod>{BASE_DATE.date().isoformat()}" in sitemap
    assert held_date.date().isoformat() not in sitemap
