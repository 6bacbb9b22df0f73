"""Helpers for reader-site tests: articles made directly, and a fresh cache for each test."""

import datetime as dt
import itertools

import pytest
from django.core.cache import cache

from articles import page_cache
from articles.models import Article, Provider, RelatedLink

_numbers = itertools.count(1)
BASE_DATE = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Reader pages are cached; no test may see a page another test rendered."""
    cache.clear()
    yield
    cache.clear()


def make_article(
    title: str = "Council approves river bridge",
    *,
    published: bool = True,
    provider: tuple[str, str] = ("Example News", "example.com"),
    topics: tuple[str, ...] = (),
    related: tuple[dict, ...] = (),
    excerpt: str = "",
    body: str = "",
    heat: int | None = None,
    when: dt.datetime | None = None,
    url: str | None = None,
) -> Article:
    """An article as an import would leave it; `related` items: {title, url, provider?, when?}."""
    number = next(_numbers)
    name, domain = provider
    provider_row, _ = Provider.objects.get_or_create(domain=domain, defaults={"name": name})
    url = url or f"https://{domain}/news/{number}"
    article = Article.objects.create(
        title=title,
        slug=Article.slug_for(title),
        excerpt=excerpt,
        body=body,
        heat=heat,
        source_published_at=when or BASE_DATE + dt.timedelta(hours=number),
        web_url=url,
        original_url=url,
        canonical_url=url,
        provider=provider_row,
        published=published,
        secured="c2VjcmV0LXBheWxvYWQ=;AAAAAAAAAAAAAAAAAAAAAA==",
    )
    if topics:
        article.topics.add(*topics)
    for position, link in enumerate(related):
        link_provider = None
        if link.get("provider"):
            link_provider, _ = Provider.objects.get_or_create(
                domain=link["provider"][1], defaults={"name": link["provider"][0]}
            )
        RelatedLink.objects.create(
            article=article,
            position=position,
            title=link["title"],
            url=link["url"],
            provider=link_provider,
            source_published_at=link.get("when"),
        )
    # As an import does once it commits (tests run inside a transaction that never does).
    page_cache.reader_pages_changed(Article.objects.next_schedule_change())
    return article
