"""A listing's cards are remembered as markup by every value they hold
(`reader.templating.remembered_cards`): what readers see of an article changes as soon as the
article does, page cache or not, and the remembered markup is the macro's own."""

import dataclasses
import datetime as dt

import pytest
from django.core.cache import cache
from django.template import engines

from articles.reader.cards import Card
from tests.support.factories import make_article, make_provider

pytestmark = pytest.mark.django_db


def card_html():
    return engines["jinja2"].env.globals["card_html"]


def a_card(**values) -> Card:
    return Card(
        **{
            "pk": 1,
            "url": "/articles/1/harbour-reopens/",
            "title": "Harbour reopens",
            "excerpt": "Ships sail again.",
            "source_published_at": dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
            "published": "<time>1 March 2024</time>",
            "provider_name": "Coast Daily",
            "provider_url": "/providers/coast.example/",
            "language": "",
            "other_sources": 2,
            "story_url": "/stories/7/",
            "topics": [("Shipping", "/topics/shipping/")],
            **values,
        }
    )


# Every value the card macro shows, and another value for it.
SHOWN = {
    "url": "/articles/2/harbour-reopens/",
    "title": "Harbour stays shut",
    "excerpt": "Ships wait.",
    "published": "<time>2 March 2024</time>",
    "provider_name": "Coast Weekly",
    "provider_url": "/providers/weekly.example/",
    "language": "fr",
    "other_sources": 3,
    "story_url": "/stories/8/",
    "topics": [("Ports", "/topics/ports/")],
}


def test_a_remembered_card_is_the_markup_the_macro_renders():
    card = a_card()
    card_html().cache_clear()
    first = str(card_html()(card))
    assert 'href="/articles/1/harbour-reopens/">Harbour reopens</a>' in first
    assert "+2 sources" in first and "Shipping" in first
    assert str(card_html()(a_card())) == first
    assert card_html().cache_info().hits == 1  # the second time, remembered


@pytest.mark.parametrize("field", sorted(SHOWN))
def test_a_card_shows_each_new_value_at_once(field):
    before = str(card_html()(a_card()))
    after = str(card_html()(dataclasses.replace(a_card(), **{field: SHOWN[field]})))
    assert after != before


def test_an_edited_headline_a_renamed_provider_and_a_new_topic_show_on_the_next_home_page(
    client,
):
    provider = make_provider("coast.example", "Coast Daily")
    article = make_article("Harbour reopens", provider=provider, topics=["Shipping"])
    page = client.get("/").content.decode()
    assert "Harbour reopens" in page and "Coast Daily" in page

    article.editor_title = "Harbour reopens after the storm"
    article.save()
    article.topics.add("Weather")
    provider.name = "Coast Daily News"
    provider.save()
    cache.clear()  # the page cache forgets; the cards' markup is remembered by their values
    page = client.get("/").content.decode()
    assert "Harbour reopens after the storm" in page
    assert "Coast Daily News" in page
    assert 'href="/topics/weather/">Weather</a>' in page
