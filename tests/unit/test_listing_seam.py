"""The listings' fast path (`articles.listings`) lists what the ORM's querysets define, at the
moment each page is built, and the per-story rule (`one_per_story`) picks what it says: of a
story's articles in the listing, its lead if it is one of them, else the newest."""

import datetime as dt
import random

import pytest
from django.core.paginator import InvalidPage
from django.db.models import Value
from taggit.models import Tag

from articles.db.compiled import ID, MOMENT, CompiledQuery
from articles.models import Article, Story
from articles.reader.listings import listing_page, story_page
from tests.support.factories import BASE_DATE, make_article, make_provider

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def _random_newsroom(seed: int) -> dict:
    """Articles in a few stories, some held, embargoed or expired, on two topics and two
    providers, with equal dates among them (the tie goes to the higher id); leads chosen at
    random, sometimes held themselves. Returns the moments worth looking at."""
    rng = random.Random(seed)
    providers = [make_provider("one.example"), make_provider("two.example")]
    stories = [Story.objects.create(title=f"Story {n}") for n in range(4)]
    for number in range(36):
        embargo = rng.random() < 0.15
        expiry = rng.random() < 0.15
        make_article(
            f"Item {number}",
            published=rng.random() < 0.8,
            provider=rng.choice(providers),
            topics=rng.sample(["Economy", "Politics"], rng.randint(0, 2)),
            story=rng.choice([None, *stories]),
            source_published_at=BASE_DATE + rng.randint(0, 12) * HOUR,
            publish_at=BASE_DATE + 5 * HOUR if embargo else None,
            unpublish_at=BASE_DATE + 9 * HOUR if expiry else None,
        )
    for story in stories:
        members = list(Article.objects.filter(story=story))
        story.lead = rng.choice(members) if members else None
        story.save()
    return {"before the embargo": BASE_DATE, "between": BASE_DATE + 6 * HOUR}


def _expected_entries(articles: list[Article]) -> list[int]:
    """The rule, in Python: per story, its lead if listed, else the newest listed."""
    chosen, by_story = [], {}
    for article in articles:
        if article.story_id is None:
            chosen.append(article)
        else:
            by_story.setdefault(article.story_id, []).append(article)
    for members in by_story.values():
        lead_id = members[0].story.lead_id
        lead = next((a for a in members if a.pk == lead_id), None)
        chosen.append(lead or max(members, key=lambda a: (a.source_published_at, a.pk)))
    chosen.sort(key=lambda a: (a.source_published_at, a.pk), reverse=True)
    return [a.pk for a in chosen]


@pytest.mark.parametrize("seed", range(6))
def test_one_entry_per_story_is_its_listed_lead_else_its_newest(seed):
    moments = _random_newsroom(seed)
    for when in moments.values():
        for listing in (
            Article.objects.published(when),
            Article.objects.published(when).filter(topics__name="Politics"),
            Article.objects.published(when).filter(provider__domain="two.example"),
        ):
            expected = _expected_entries(list(listing.select_related("story")))
            assert list(listing.one_per_story().values_list("pk", flat=True)) == expected
            assert listing.count_per_story() == len(expected)


@pytest.mark.parametrize("seed", range(3))
def test_the_fast_path_lists_what_the_querysets_define_at_each_moment(seed):
    moments = _random_newsroom(seed)
    politics = Tag.objects.get(name="Politics")
    two = make_provider("two.example")
    for when in moments.values():
        for listing, of, articles in (
            ("home", None, Article.objects.published(when)),
            ("topic", politics.pk, Article.objects.published(when).filter(topics=politics)),
            ("provider", two.pk, Article.objects.published(when).filter(provider=two)),
        ):
            expected = _expected_entries(list(articles.select_related("story")))
            page = listing_page(listing, 1, of, now=when)
            assert page.paginator.count == len(expected), (listing, when)
            assert [card.pk for card in page] == expected[:20], (listing, when)
            for card in page:
                article = Article.objects.get(pk=card.pk)
                # Sources of the whole story readers may see, not only those in this listing.
                visible = Article.objects.published(when)
                siblings = visible.filter(story=article.story_id).exclude(pk=article.pk)
                others = siblings.count() if article.story_id else 0
                assert (card.other_sources or 0) == others
                assert card.title == article.title
                assert card.url == article.get_absolute_url()
                assert [name for name, _ in card.topics] == [t.name for t in article.topics.all()]


def test_a_page_past_the_end_is_not_a_page():
    make_article("Only one")
    assert [card.title for card in listing_page("home", 1)] == ["Only one"]
    with pytest.raises(InvalidPage):
        listing_page("home", 2)


def test_the_embargo_ends_between_two_pages_built_by_one_process():
    """Compiled once, the query is run again with each build's moment: an article whose
    embargo has ended is listed by the next build, without the process restarting."""
    make_article("Visible all along")
    make_article("Embargoed", publish_at=BASE_DATE + 100 * HOUR)
    early = listing_page("home", 1, now=BASE_DATE + 99 * HOUR)
    late = listing_page("home", 1, now=BASE_DATE + 101 * HOUR)
    assert [card.title for card in early] == ["Visible all along"]
    assert [card.title for card in late] == ["Embargoed", "Visible all along"]


def test_a_value_that_changes_the_sql_cannot_be_a_slot():
    """Only a query parameter can be re-bound: a value compiled into the SQL's text (here a
    slice) would be frozen at its first value, so compiling refuses it loudly."""
    sliced = CompiledQuery(lambda n: Article.objects.values_list("pk")[: n % 1000], n=ID)
    with pytest.raises(ValueError, match="not a parameter"):
        sliced.rows(n=5)
    unused = CompiledQuery(
        lambda now: Article.objects.annotate(x=Value(1)).values_list("x"), now=MOMENT
    )
    with pytest.raises(ValueError, match="not a parameter"):
        unused.rows(now=BASE_DATE)


@pytest.mark.parametrize("seed", range(3))
def test_a_story_page_lists_the_storys_articles_readers_may_see_at_each_moment(seed):
    moments = _random_newsroom(seed)
    for when in moments.values():
        for story in Story.objects.all():
            visible = list(
                Article.objects.published(when)
                .filter(story=story)
                .order_by("-source_published_at", "-id")
            )
            page = story_page(story.pk, now=when)
            if not visible:
                assert page is None
                continue
            assert [card.pk for card in page.coverage] == [a.pk for a in visible]
            assert page.story.title == story.title_for_readers(visible)
            assert page.story.title in {a.title for a in visible}
