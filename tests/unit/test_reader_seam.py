"""The article page's fast path (`articles.reader.article_page`) answers what the ORM answers:
the same model instances, the same values, the same visibility. If it drifted, the article page
would show what the listings (ORM-built) do not, or the preview would differ from the page."""

import datetime as dt

import pytest
from django.http import Http404
from taggit.models import Tag

from articles.models import Article, RelatedLink
from articles.reader.article_page import ARTICLE_FIELDS, article_page
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

LATER = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)


def _orm_page(pk):
    """What the page shows, read the ordinary way."""
    article = Article.objects.select_related("provider").get(pk=pk)
    topics = list(
        Tag.objects.filter(articles_taggedarticle_items__content_object=pk).order_by(
            "articles_taggedarticle_items__id"
        )
    )
    links = list(RelatedLink.objects.filter(article=pk).select_related("provider"))
    visible_urls = {
        a.canonical_url: a.get_absolute_url()
        for a in Article.objects.published().filter(canonical_url__in=[x.url for x in links])
    }
    return article, topics, links, visible_urls


def test_the_fast_path_returns_the_orms_instances_and_values():
    make_article("Our own telling", url="https://ours.example/a")
    make_article("Held back", url="https://ours.example/b", published=False)
    article = make_article(
        "Flood defences hold on the river",
        excerpt="Water stayed below the wall.",
        body="Most **streets** stayed dry.",
        topics=("Weather", "Rivers", "Éire"),
        related=(
            {"title": "Ours", "url": "https://ours.example/a", "provider": ("Ours", "ours.ex")},
            {"title": "Held", "url": "https://ours.example/b"},
            {"title": "Elsewhere", "url": "https://else.example/c", "when": LATER},
        ),
    )

    page = article_page(article.pk)
    orm_article, orm_topics, orm_links, visible_urls = _orm_page(article.pk)

    assert type(page.article) is Article
    for name in ARTICLE_FIELDS:
        assert getattr(page.article, name) == getattr(orm_article, name), name
    assert page.article.source_published_at.tzinfo is not None  # converted as the ORM does
    assert page.article.provider == orm_article.provider
    assert page.article.provider.name == orm_article.provider.name
    # Columns the page does not read are deferred, and load when asked, as with `.only()`.
    assert "secured" in page.article.get_deferred_fields()
    assert page.article.secured == orm_article.secured

    assert [(t.pk, t.name, t.slug) for t in page.topics] == [
        (t.pk, t.name, t.slug) for t in orm_topics
    ]
    assert [t.name for t in page.topics] == ["Weather", "Rivers", "Éire"]

    assert [link.pk for link in page.related] == [link.pk for link in orm_links]
    for mine, theirs in zip(page.related, orm_links, strict=True):
        assert type(mine) is RelatedLink
        assert (mine.title, mine.url, mine.source_published_at, mine.provider) == (
            theirs.title,
            theirs.url,
            theirs.source_published_at,
            theirs.provider,
        )
        assert mine.hosted_url == visible_urls.get(mine.url, "")
    assert [bool(link.hosted_url) for link in page.related] == [True, False, False]


@pytest.mark.parametrize(
    "schedule",
    [
        {"published": False},
        {"publish_at": LATER + dt.timedelta(days=10_000)},
        {"unpublish_at": LATER - dt.timedelta(days=10_000)},
    ],
    ids=["unpublished", "embargoed", "expired"],
)
def test_what_readers_may_not_see_is_404_but_staff_may_preview_it(schedule):
    article = make_article("Not for readers yet", published=schedule.get("published", True))
    Article.objects.filter(pk=article.pk).update(
        publish_at=schedule.get("publish_at"), unpublish_at=schedule.get("unpublish_at")
    )
    assert not Article.objects.published().filter(pk=article.pk).exists()

    with pytest.raises(Http404):
        article_page(article.pk)
    assert article_page(article.pk, preview=True).article.title == "Not for readers yet"


def test_an_unknown_article_is_404_even_for_a_preview():
    with pytest.raises(Http404):
        article_page(987654, preview=True)
