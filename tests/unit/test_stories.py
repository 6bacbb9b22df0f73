"""Stories: the clustering rules on tiny hand-made cases, the lead rule, editors' corrections
and how they survive re-imports and rebuilds."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from articles.clustering import reading, stories
from articles.clustering.index import COMMON_LINK_FLOOR
from articles.models import Article, ReviewDecision, Story, StoryCorrection
from tests.support.factories import BASE_DATE, make_article, user_in_role
from tests.support.seeds import run_import, sample_fields

pytestmark = pytest.mark.django_db


def at(hours: float) -> dt.datetime:
    return BASE_DATE + dt.timedelta(hours=hours)


def cluster():
    return stories.cluster_new_articles()


def story_of(article) -> int | None:
    return Article.objects.get(pk=article.pk).story_id


def test_an_explicit_link_joins_articles_whose_words_differ():
    first = make_article("Lenovo to invest $1B in AI", url="https://a.example/1")
    second = make_article(
        "Chinese PC maker widens spending plan",
        related=({"title": "x", "url": "https://a.example/1"},),
    )
    cluster()
    assert story_of(first) == story_of(second) is not None


def test_articles_that_list_the_same_coverage_join():
    shared = ({"title": "Elsewhere", "url": "https://elsewhere.example/scoop"},)
    first = make_article("Quarterly figures beat forecasts", related=shared)
    second = make_article("Shares jump on results day", related=shared)
    cluster()
    assert story_of(first) == story_of(second)


def test_similar_headlines_within_the_window_join_and_unrelated_ones_do_not():
    one = make_article(
        "Volcano erupts on Iceland's Reykjanes peninsula, Grindavik evacuated",
        source_published_at=at(0),
    )
    two = make_article(
        "Grindavik evacuated as volcano erupts on Reykjanes peninsula",
        source_published_at=at(5),
    )
    other = make_article("Central bank holds interest rates steady", source_published_at=at(6))
    cluster()
    assert story_of(one) == story_of(two)
    assert story_of(other) != story_of(one)


def test_the_same_headline_outside_the_window_is_another_story():
    early = make_article(
        "Volcano erupts on Reykjanes peninsula near Grindavik", source_published_at=at(0)
    )
    late = make_article(
        "Volcano erupts on Reykjanes peninsula near Grindavik", source_published_at=at(24 * 10)
    )
    cluster()
    assert story_of(early) != story_of(late)


def test_a_chain_of_near_misses_does_not_weld_two_events():
    # Each headline shares most words with the one before, but the last has nothing in common
    # with the first: joined by the story as a whole, the chain breaks.
    headlines = [
        "Storm Ciaran floods Cornwall coast villages",
        "Storm Ciaran floods Cornwall coast, railway closed",
        "Cornwall railway closed, ferry services cancelled",
        "Ferry services cancelled, Brittany ports shut by strike",
        "Brittany ports shut by dockers strike over pensions",
    ]
    for position, title in enumerate(headlines):
        make_article(title, source_published_at=at(position))
    # Unrelated articles in the window, so that the words above are rare, as in real news.
    for number in range(30):
        make_article(f"Filler item {number} about gardening tips", source_published_at=at(10))
    cluster()
    first, second, *_, last = (Article.objects.get(title=title) for title in headlines)
    assert first.story_id == second.story_id  # text does join
    assert first.story_id != last.story_id


def test_the_lead_is_the_best_quality_then_the_hottest_then_the_earliest():
    link = ({"title": "x", "url": "https://hub.example/story"},)
    make_article("Low quality", quality=1, heat=90, related=link, source_published_at=at(0))
    make_article("Good, cold", quality=9, heat=1, related=link, source_published_at=at(1))
    make_article("Good, hot, late", quality=9, heat=5, related=link, source_published_at=at(3))
    make_article("Good, hot, early", quality=9, heat=5, related=link, source_published_at=at(2))
    cluster()
    story = Story.objects.get()
    assert story.lead.title == story.title == "Good, hot, early"
    assert story.size == 4
    assert (story.first_seen_at, story.last_seen_at) == (at(0), at(3))


def test_an_unchanged_re_import_does_no_clustering_work(write_seed, seed_dir):
    write_seed("a.txt", sample_fields())
    run_import(seed_dir)
    assert Article.objects.get().story_id is not None
    calls, embedded = [], []
    original = stories.StoryIndex.add
    stories.StoryIndex.add = lambda self, item: calls.append(item) or original(self, item)
    original_embed = reading.embed
    reading.embed = lambda texts: embedded.append(texts) or original_embed(texts)
    try:
        result = run_import(seed_dir)
    finally:
        stories.StoryIndex.add = original
        reading.embed = original_embed
    assert "1 unchanged" in result.out
    assert calls == [] and embedded == []  # nor embeds a headline


def test_an_import_places_new_articles_with_the_coverage_they_list(write_seed, seed_dir):
    fields = sample_fields()
    linked = fields["related"][0]
    write_seed("a.txt", fields)
    write_seed(
        "b.txt",
        {
            **fields,
            "title": "Targeting artificial intelligence",
            "webUrl": linked["webUrl"],
            "originalUrl": linked["webUrl"],
            "related": [],
        },
    )
    run_import(seed_dir)
    assert Article.objects.values("story").distinct().count() == 1


@pytest.fixture
def editor():
    return user_in_role("editor")


def _two_stories():
    link_a = ({"title": "x", "url": "https://hub.example/a"},)
    link_b = ({"title": "x", "url": "https://hub.example/b"},)
    a1 = make_article("Harbour bridge opens", related=link_a, source_published_at=at(0))
    a2 = make_article("Crowds cross new span", related=link_a, source_published_at=at(1))
    b1 = make_article("Tram line approved", related=link_b, source_published_at=at(2))
    cluster()
    return [Article.objects.get(pk=a.pk) for a in (a1, a2, b1)]


def test_merging_two_stories_is_recorded_and_survives_a_rebuild(editor):
    a1, a2, b1 = _two_stories()
    target, other = a1.story, b1.story
    target.merge(other, editor)
    assert set(target.articles.all()) == {a1, a2, b1}
    assert not Story.objects.filter(pk=other.pk).exists()
    assert StoryCorrection.objects.get().change == StoryCorrection.Change.MERGE
    stories.rebuild()
    assert {story_of(a) for a in (a1, a2, b1)} == {target.pk}


def test_an_editors_split_survives_a_re_import_and_a_rebuild(editor, write_seed, seed_dir):
    fields = sample_fields()
    linked = fields["related"][0]["webUrl"]
    write_seed("a.txt", fields)
    write_seed(
        "b.txt",
        {**fields, "title": "Other outlet", "webUrl": linked, "originalUrl": linked},
    )
    run_import(seed_dir)
    a, b = Article.objects.order_by("source_file")
    assert a.story_id == b.story_id
    new = a.story.split_off(b, editor)
    assert story_of(b) == new.pk != story_of(a)

    # The files change (so they are written again) and are imported again.
    write_seed("a.txt", {**fields, "heat": 50})
    write_seed(
        "b.txt",
        {**fields, "title": "Other outlet, updated", "webUrl": linked, "originalUrl": linked},
    )
    run_import(seed_dir)
    assert story_of(b) != story_of(a)
    call_command("cluster_stories", "--rebuild", stdout=io.StringIO())
    assert story_of(b) == new.pk != story_of(a)
    assert StoryCorrection.objects.filter(change=StoryCorrection.Change.SPLIT).count() == 2


def test_an_editors_lead_stays_until_it_leaves_the_story(editor):
    a1, a2, _ = _two_stories()
    story = a1.story
    rule_lead = story.lead
    chosen = a2 if rule_lead == a1 else a1
    story.set_lead(chosen, editor)
    story.refresh()
    assert (story.lead, story.title) == (chosen, chosen.title)
    stories.rebuild()
    story.refresh_from_db()
    assert story.lead == chosen
    story.split_off(chosen, editor)
    story.refresh_from_db()
    assert story.lead == rule_lead and not story.lead_chosen_by_editor


def test_corrections_refuse_articles_of_other_stories(editor):
    a1, _, b1 = _two_stories()
    with pytest.raises(ValidationError):
        a1.story.set_lead(b1, editor)
    with pytest.raises(ValidationError):
        a1.story.merge(a1.story, editor)


def test_the_command_reports_a_dry_run_without_writing():
    make_article("Alone")
    out = io.StringIO()
    call_command("cluster_stories", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "1 articles placed" in out.getvalue()
    assert Story.objects.count() == 0


def test_the_lead_rule_in_python_orders_as_the_database_does():
    for quality in (None, 3, 7):
        for heat in (None, 1, 9):
            for hours in (2, 1):
                make_article(quality=quality, heat=heat, source_published_at=at(hours))
    in_sql = list(Article.objects.order_by(*Story.LEAD_ORDER).values_list("pk", flat=True))
    in_python = sorted(
        Article.objects.all(),
        key=lambda a: Story.lead_key(a.quality, a.heat, a.source_published_at, a.pk),
    )
    assert [a.pk for a in in_python] == in_sql


def test_the_desk_publishes_a_storys_lead_or_all_of_it_recording_each_decision(editor):
    link = ({"title": "x", "url": "https://hub.example/desk"},)
    lead = make_article("Lead", quality=9, related=link, published=False)
    other = make_article("Other", quality=1, related=link, published=False)
    cluster()
    story = Story.objects.get()
    story.refresh_from_db()
    assert story.lead_id == lead.pk
    decided = story.publish_lead(editor)
    assert [d.article_id for d in decided.decisions] == [lead.pk, other.pk]
    assert Article.objects.get(pk=lead.pk).published
    other.refresh_from_db()
    assert not other.published and other.reviewed_by == editor  # kept, as coverage
    assert set(ReviewDecision.objects.values_list("article", "via", "published")) == {
        (lead.pk, "desk", True),
        (other.pk, "desk", False),
    }
    # One stroke: one moment for both, so one undo takes both back.
    assert ReviewDecision.objects.values("decided_at").distinct().count() == 1
    # Nothing waits any more: publishing all decides nothing a second time.
    assert story.publish_all(editor).decisions == []


def test_a_story_stops_taking_articles_by_text_after_its_span():
    # The same words every day for ten days: a running theme, not one event.
    for day in range(10):
        make_article(
            "Drought rationing continues in Catalonia reservoirs", source_published_at=at(24 * day)
        )
    cluster()
    first = Article.objects.order_by("source_published_at").first()
    last = Article.objects.order_by("source_published_at").last()
    assert first.story_id != last.story_id
    assert first.story.size <= 8  # the first week, at most


def _linking(number: int, hours: float, related: str) -> stories.Item:
    """An item with words of its own (no text evidence) that lists `related`."""
    return stories.Item(
        id=number,
        date=at(hours),
        url=f"https://seeds.example/{number}",
        terms=stories.terms(f"word{number}a word{number}b word{number}c", ""),
        related=frozenset({related}),
        story_id=None,
    )


def test_a_link_thousands_of_articles_list_is_no_evidence():
    # 5,000 seeds that list one URL (a provider's home page, a copied link) made one story of
    # 5,000 articles: every article page carried them all.
    index = stories.StoryIndex()
    keys = [index.add(_linking(n, n / 100, "https://provider.example/"))[0] for n in range(2000)]
    sizes = sorted(Counter(keys).values(), reverse=True)
    assert sizes[0] <= COMMON_LINK_FLOOR + 1
    # A link a few articles share still joins them.
    few = stories.StoryIndex()
    assert len({few.add(_linking(n, n, "https://a.example/scoop"))[0] for n in range(5)}) == 1


def test_a_link_joins_only_a_story_within_its_span():
    # One item a day lists the same coverage: the story keeps taking them for a week, not ten.
    index = stories.StoryIndex()
    keys = [index.add(_linking(n, 24 * n, "https://a.example/saga"))[0] for n in range(10)]
    assert keys.count(keys[0]) <= 8
    assert keys[-1] != keys[0]
