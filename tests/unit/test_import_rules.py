"""Import rules: their order, conditions, actions and record; skipped items are not rejections."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from articles.admin.history import article_history
from articles.models import Article, ImportRule, ImportRun, RuleFiring, SavedDeskView
from tests.support.seeds import run_import, sample_fields

pytestmark = pytest.mark.django_db


def fields(n, **changes):
    data = sample_fields()
    data.update(
        title=f"Story number {n}",
        originalUrl=f"https://example.com/story-{n}",
        webUrl=f"https://example.com/story-{n}",
    )
    data.update(changes)
    return data


def rule(name, action, position=0, **conditions):
    return ImportRule.objects.create(name=name, action=action, position=position, **conditions)


def test_a_hold_rule_for_a_provider_holds_its_new_articles_and_is_recorded(write_seed, seed_dir):
    write_seed("a.txt", fields(1, provider={"domain": "wire.example", "name": "Wire"}))
    write_seed("b.txt", fields(2, provider={"domain": "other.example", "name": "Other"}))
    rule("trusted wire", "publish", providers="wire.example")

    result = run_import(seed_dir)

    assert result.code == 0, result
    wire = Article.objects.get(provider__domain="wire.example")
    other = Article.objects.get(provider__domain="other.example")
    assert wire.published and not other.published
    firing = RuleFiring.objects.get()
    assert (firing.article, firing.rule_name, firing.action) == (wire, "trusted wire", "publish")
    assert firing.import_run == ImportRun.objects.get()
    entries, _ = article_history(wire)
    assert any("trusted wire" in entry.what for entry in entries)
    assert "trusted wire: 1" in result.out


def test_a_subdomain_matches_its_providers_domain(write_seed, seed_dir):
    write_seed("a.txt", fields(1, provider={"domain": "news.wire.example", "name": "Wire"}))
    rule("wire", "publish", providers="wire.example")
    run_import(seed_dir)
    assert Article.objects.get().published


def test_skipped_items_are_counted_as_skipped_not_rejected(write_seed, seed_dir):
    write_seed("a.txt", fields(1, title="Celebrity gossip today"))
    write_seed("b.txt", fields(2, title="Chip makers expand"))
    rule("no gossip", "skip", words="gossip")

    result = run_import(seed_dir)

    assert result.code == 0, result  # a skip is not a failure
    assert list(Article.objects.values_list("title", flat=True)) == ["Chip makers expand"]
    run = ImportRun.objects.get()
    assert (run.created, run.rejected, run.skipped) == (1, 0, 1)
    assert run.skipped_files == [{"file": str(seed_dir / "a.txt"), "rule": "no gossip"}]
    assert "1 skipped (not rejected)" in result.out


def test_words_match_whole_words_in_title_or_excerpt_case_insensitively(write_seed, seed_dir):
    write_seed("a.txt", fields(1, excerpt="An item about GOSSIP."))
    write_seed("b.txt", fields(2, title="Gossipy neighbours"))  # not the word itself
    rule("no gossip", "skip", words="gossip\ncelebrity news")
    run_import(seed_dir)
    assert list(Article.objects.values_list("title", flat=True)) == ["Gossipy neighbours"]


def test_first_match_wins_unless_the_rule_lets_later_rules_apply(write_seed, seed_dir):
    write_seed("a.txt", fields(1))
    rule("first", "topic", position=1, topic="Wire")
    rule("second", "publish", position=2)
    run_import(seed_dir)
    article = Article.objects.get()
    assert "Wire" in article.topics.names() and not article.published

    Article.objects.all().delete()
    ImportRule.objects.filter(name="first").update(continue_after=True)
    run_import(seed_dir)
    article = Article.objects.get()
    assert "Wire" in article.topics.names() and article.published
    assert sorted(article.rule_firings.values_list("rule_name", flat=True)) == ["first", "second"]


def test_rules_run_in_position_order(write_seed, seed_dir):
    write_seed("a.txt", fields(1))
    rule("late skip", "skip", position=5)
    rule("early publish", "publish", position=1)
    run_import(seed_dir)
    assert Article.objects.get().published


def test_ranges_category_type_topic_and_pattern_must_all_hold(write_seed, seed_dir):
    write_seed("hot.txt", fields(1, heat=90, quality=50, title="Breaking: rates rise 2%"))
    write_seed("cold.txt", fields(2, heat=5, quality=50, title="Breaking: rates rise 3%"))
    write_seed("plain.txt", fields(3, heat=90, quality=50, title="Rates rise 4%"))
    rule(
        "hot breaking",
        "publish",
        heat_min=50,
        quality_min=10,
        quality_max=80,
        category=sample_fields()["category"],
        type=sample_fields()["type"],
        topics="ai",
        pattern=r"^breaking:\s+rates\b",
    )
    run_import(seed_dir)
    published = set(Article.objects.filter(published=True).values_list("source_file", flat=True))
    assert published == {"hot.txt"}


def test_rules_apply_to_new_articles_only_and_never_override_an_editor(write_seed, seed_dir):
    path = write_seed("a.txt", fields(1))
    run_import(seed_dir)
    article = Article.objects.get()
    editor = User.objects.create(username="ed")
    Article.objects.filter(pk=article.pk).set_published(True, editor=editor)
    rule("hold all", "hold")
    rule("skip all", "skip", position=9)
    write_seed(path.name, fields(1, title="Story number 1, updated"))

    run_import(seed_dir)

    article.refresh_from_db()
    assert article.title == "Story number 1, updated"
    assert article.published  # the editor's decision stands
    assert not article.rule_firings.exists()


def test_a_topic_a_rule_added_survives_an_update_of_the_file(write_seed, seed_dir):
    path = write_seed("a.txt", fields(1))
    rule("tag", "topic", topic="Agency")
    run_import(seed_dir)
    write_seed(path.name, fields(1, title="Story number 1, again"))
    run_import(seed_dir)
    assert "Agency" in Article.objects.get().topics.names()


def test_a_flag_rule_records_the_desk_view(write_seed, seed_dir):
    owner = User.objects.create(username="ed")
    view = SavedDeskView.objects.create(owner=owner, name="Wire watch", query="review=waiting")
    write_seed("a.txt", fields(1))
    rule("watch", "flag", desk_view=view)
    run_import(seed_dir)
    firing = RuleFiring.objects.get()
    assert (firing.action, firing.detail, firing.desk_view) == ("flag", "Wire watch", view)


def test_dry_run_shows_the_rules_effect_and_writes_nothing(write_seed, seed_dir):
    write_seed("a.txt", fields(1, title="Celebrity gossip"))
    write_seed("b.txt", fields(2))
    rule("no gossip", "skip", words="gossip")
    result = run_import(seed_dir, dry_run=True)
    assert "1 would be created" in result.out
    assert "1 would be skipped (not rejected)" in result.out
    assert "no gossip: 1" in result.out
    assert not Article.objects.exists() and not RuleFiring.objects.exists()


def test_a_pattern_that_runs_too_long_does_not_match_and_warns(write_seed, seed_dir):
    write_seed("a.txt", fields(1, title="a" * 400 + "!"))
    rule("slow", "skip", pattern=r"(\w|\w\w)+\d\d\d\d\d\d\d\d\d$")
    result = run_import(seed_dir)
    assert Article.objects.count() == 1
    assert "its pattern ran over" in result.out


@pytest.mark.parametrize(
    "pattern, message",
    [("(unclosed", "Not a valid pattern"), ("a" * 201, "at most 200")],
)
def test_a_bad_or_long_pattern_is_refused_before_it_is_saved(pattern, message):
    with pytest.raises(ValidationError, match=message):
        ImportRule(name="x", action="skip", pattern=pattern).full_clean()


def test_an_add_topic_rule_needs_its_topic():
    with pytest.raises(ValidationError, match="Name the topic"):
        ImportRule(name="x", action="topic").full_clean()
