"""The listings' fast path (`articles.listings`) lists what the ORM's querysets define, at the
moment each page is built, and the per-story rule (`one_per_story`) picks what it says: of a
story's articles in the listing, its lead if it is one of them, else the newest."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.db.compiled import ID, INLINED_ID, MOMENT, CompiledQuery
from articles.models import Article, Story
from articles.reader import listings
from articles.reader.listings import Position, listing_page
from articles.reader.story_pages import story_page
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


def _listings(when, politics, two):
    """Each listing with its id and what the ORM says it shows at `when`."""
    published = Article.objects.published(when)
    return (
        ("home", None, published),
        ("topic", politics.pk, published.filter(topics=politics)),
        ("walked topic", politics.pk, published.filter(topics=politics)),
        ("provider", two.pk, published.filter(provider=two)),
    )


@pytest.mark.parametrize("seed", range(3))
def test_the_fast_path_lists_what_the_querysets_define_at_each_moment(seed):
    moments = _random_newsroom(seed)
    politics = Tag.objects.get(name="Politics")
    two = make_provider("two.example")
    for when in moments.values():
        for listing, of, articles in _listings(when, politics, two):
            expected = _expected_entries(list(articles.select_related("story")))
            page = listing_page(listing, of, now=when)
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


def _position(pk: int) -> Position:
    return Position(Article.objects.get(pk=pk).source_published_at, pk)


def _older_than(expected: list[int], cursor: Position) -> list[int]:
    """The rule for a later page, brute force: the listing's entries (as it stands when the
    page is built) whose position is before the cursor, newest first."""
    return [pk for pk in expected if _position(pk) < cursor]


def _walked(listing, of, when) -> list[list[int]]:
    pages, page = [], listing_page(listing, of, now=when)
    while page is not None:
        pages.append([card.pk for card in page])
        page = listing_page(listing, of, older_than=page.older, now=when) if page.older else None
    return pages


@pytest.fixture
def per_page(monkeypatch):
    """Pages of `n` entries, so that a small newsroom has several."""

    def set_to(n):
        monkeypatch.setattr(listings, "ARTICLES_PER_PAGE", n)
        listings._entries.cache_clear()  # compiled with the page's length

    yield set_to
    monkeypatch.undo()
    listings._entries.cache_clear()


@pytest.mark.parametrize("seed", range(4))
def test_older_pages_walk_the_whole_listing_once_in_order(seed, per_page):
    per_page(4)
    moments = _random_newsroom(seed)
    politics = Tag.objects.get(name="Politics")
    two = make_provider("two.example")
    for when in moments.values():
        for listing, of, articles in _listings(when, politics, two):
            expected = _expected_entries(list(articles.select_related("story")))
            pages = _walked(listing, of, when)
            assert [pk for page in pages for pk in page] == expected, (listing, when)
            assert all(len(page) == 4 for page in pages[:-1])
            # Newer from a later page is the page before it (the first page: None, go there).
            for before, after in zip(pages, pages[1:], strict=False):
                newer = listing_page(listing, of, newer_than=_position(after[0]), now=when)
                shown = [card.pk for card in newer] if newer else None
                assert shown == (None if before is pages[0] else before), (listing, when)


@pytest.mark.parametrize("seed", range(8))
def test_a_change_between_two_pages_shows_the_rule_as_it_then_stands(seed, per_page):
    """Page 2 is read from page 1's last position: an article published or taken down before
    it moves nothing after it, so no entry is shown twice or skipped."""
    per_page(5)
    rng = random.Random(seed)
    when = _random_newsroom(seed)["between"]
    first = listing_page("home", now=when)
    seen = [card.pk for card in first]
    # An editor publishes or takes down one article, any one, between the two page loads.
    changed = rng.choice(list(Article.objects.all()))
    Article.objects.filter(pk=changed.pk).update(published=not changed.published)
    listed = _expected_entries(list(Article.objects.published(when).select_related("story")))
    second = listing_page("home", older_than=first.older, now=when)
    shown = [card.pk for card in second] if second else []
    assert shown == _older_than(listed, first.older)[:5]
    if changed.story_id is None:  # an entry of its own: every other entry keeps its place
        assert not set(seen) & set(shown)
        unchanged = [pk for pk in _older_than(listed, first.older) if pk != changed.pk]
        assert [pk for pk in shown if pk != changed.pk] == unchanged[
            : len(shown) - (changed.pk in shown)
        ]


def test_equal_dates_are_ordered_by_id_across_a_page_boundary(per_page):
    per_page(2)
    ids = [make_article(f"Same moment {n}", source_published_at=BASE_DATE).pk for n in range(5)]
    newest_first = sorted(ids, reverse=True)
    assert _walked("home", None, BASE_DATE + HOUR) == [newest_first[i : i + 2] for i in (0, 2, 4)]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "x",
        "1",
        "1.",
        ".1",
        "1.0",
        "01.1",
        "-0.1",
        "+1.1",
        "1.1.1",
        "1 .1",
        "١.١",
        "1.-1",
        "9" * 19 + ".1",
        "1." + "9" * 20,
        "1.9223372036854775808",
        "-" + "9" * 18 + ".1",
    ],
)
def test_a_cursor_not_written_as_the_site_writes_one_is_no_position(value):
    assert Position.from_cursor(value) is None


def test_hostile_positions_never_raise():
    make_article("Only one")
    other = make_article("On a topic", topics=("Rare",))
    extremes = [
        Position.from_cursor("253402300799999999.9223372036854775807"),  # the last of year 9999
        Position.from_cursor("-62135596800000000.1"),  # the first of year 1
        Position.from_cursor("0.1"),
        _position(other.pk),  # another listing's entry
    ]
    assert None not in extremes
    for position in extremes:
        for listing, of in (("home", None), ("provider", 2_000_000), ("walked topic", 7)):
            listing_page(listing, of, older_than=position)
            listing_page(listing, of, newer_than=position)
    assert Position.from_cursor(_position(other.pk).cursor) == _position(other.pk)
    assert Position.from_cursor("999999999999999999.1") is None  # past year 9999


def test_the_embargo_ends_between_two_pages_built_by_one_process():
    """Compiled once, the query is run again with each build's moment: an article whose
    embargo has ended is listed by the next build, without the process restarting."""
    make_article("Visible all along")
    make_article("Embargoed", publish_at=BASE_DATE + 100 * HOUR)
    early = listing_page("home", now=BASE_DATE + 99 * HOUR)
    late = listing_page("home", now=BASE_DATE + 101 * HOUR)
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


def test_an_inlined_id_is_written_into_the_sql_and_reads_what_a_bound_one_reads():
    """A listing's topic or provider is written into its SQL (PostgreSQL then keeps a plan
    for that one): each value reads its own rows, and only an integer ever reaches the text."""
    first = make_article("First", provider=make_provider("one.example"))
    second = make_article("Second", provider=make_provider("two.example"))
    by_provider = CompiledQuery(
        lambda of, after: Article.objects.filter(provider=of, pk__gt=after).values_list("title"),
        of=INLINED_ID,
        after=ID,
    )
    with CaptureQueriesContext(connection) as queries:
        assert by_provider.rows(of=first.provider_id, after=0) == [("First",)]
        assert by_provider.rows(of=second.provider_id, after=0) == [("Second",)]
        assert by_provider.rows(of=f"{second.provider_id}", after=0) == [("Second",)]
    assert f"= {first.provider_id}" in queries[0]["sql"]
    assert f"= {second.provider_id}" in queries[1]["sql"]
    with pytest.raises(ValueError):
        by_provider.rows(of="1; DROP TABLE articles_article", after=0)


def test_a_row_read_unconverted_and_converted_later_is_the_row_the_orm_gives():
    """The story page reads its links unconverted and converts the few it shows: what it
    shows must be what the ORM reads (an aware source date, on either engine)."""
    make_article("Dated", source_published_at=BASE_DATE)
    dated = CompiledQuery(
        lambda pk: Article.objects.filter(pk__gt=pk).values_list("title", "source_published_at"),
        pk=ID,
    )
    (raw,) = dated.rows(pk=0, convert=False)
    assert dated.converted(raw) == ("Dated", BASE_DATE)
    assert list(Article.objects.values_list("title", "source_published_at")) == [
        dated.converted(raw)
    ]


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
