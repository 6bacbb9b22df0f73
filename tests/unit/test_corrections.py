"""Editors correct: the headline and excerpt an editor gives an article are the editor's, through
every re-import and an export; each correction is recorded, old and new; search finds the
editor's words; a merged-away story knows where it went."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command

from articles.models import Article, Correction, Provider, Story
from articles.search.ranking import search_published
from tests.support.factories import make_article
from tests.support.seeds import run_import, sample_fields, seed_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return User.objects.create_user("ann")


def test_a_correction_is_what_readers_read_and_is_recorded_old_and_new(
    editor, django_capture_on_commit_callbacks
):
    article = make_article("Minster opens brdige", excerpt="The source's excerpt.")
    with django_capture_on_commit_callbacks() as refreshes:
        correction = article.correct(
            editor, title="Minister opens bridge", excerpt="", note="The headline misspelt it."
        )
    assert refreshes, "readers' pages are refreshed once it commits"
    article.refresh_from_db()
    assert (article.headline, article.standfirst) == (
        "Minister opens bridge",
        "The source's excerpt.",
    )
    assert article.title == "Minster opens brdige"  # the source's stays as imported
    assert article.corrected_at == correction.made_at
    assert (correction.editor, correction.old_title, correction.new_title) == (
        editor,
        "",
        "Minister opens bridge",
    )

    # Back to the source's headline, silently: recorded, old and new, with no public note.
    again = article.correct(editor, title="", excerpt="")
    assert (again.old_title, again.new_title, again.note) == ("Minister opens bridge", "", "")
    article.refresh_from_db()
    assert article.headline == "Minster opens brdige"
    assert list(Correction.objects.public()) == [correction]


def test_nothing_changed_is_no_correction_and_the_sources_text_is_no_override(editor):
    article = make_article("As the source had it", excerpt="Same")
    assert article.correct(editor, title="As the source had it", excerpt=" Same ") is None
    article.refresh_from_db()
    assert (article.editor_title, article.editor_excerpt) == ("", "")
    assert not Correction.objects.exists()
    with pytest.raises(ValidationError, match="longer than 1000"):
        article.correct(editor, title="x", excerpt="", note="n" * 1001)


def test_a_reimport_of_a_changed_file_never_overwrites_the_editors_headline(write_seed, editor):
    fields = sample_fields()
    path = write_seed("one.txt", fields)
    assert run_import(path).code == 0
    article = Article.objects.get()
    article.correct(editor, title="Lenovo’s $2B AI revenue", excerpt="Our excerpt.")

    fields["title"] = "Lenovo Announces $2B AI Revenue (updated)"
    fields["excerpt"] = "The source's new excerpt."
    fields["editorTitle"] = "A file cannot set it on an existing article"
    write_seed("one.txt", fields)
    assert run_import(path).code == 0

    article.refresh_from_db()
    assert article.title == "Lenovo Announces $2B AI Revenue (updated)"  # the source's follows
    assert article.excerpt == "The source's new excerpt."
    assert (article.headline, article.standfirst) == ("Lenovo’s $2B AI revenue", "Our excerpt.")


def test_the_seed_keys_apply_when_an_article_is_created_and_a_bad_one_is_a_warning(write_seed):
    fields = sample_fields()
    fields["editorTitle"], fields["editorExcerpt"] = "The editor's headline", 7
    result = run_import(write_seed("one.txt", fields))
    assert result.code == 0 and "editorExcerpt: expected text, got int" in result.out + result.err
    article = Article.objects.get()
    assert (article.headline, article.editor_excerpt) == ("The editor's headline", "")
    assert article.extra["editorExcerpt"] == 7


def test_an_export_carries_the_sources_text_and_the_editors(tmp_path, editor):
    article = make_article("Source title", excerpt="Source excerpt")
    article.correct(editor, title="Editor headline", excerpt="Editor excerpt", note="Fixed.")
    call_command("export_seeds", str(tmp_path / "out"), verbosity=0)
    text = next((tmp_path / "out").iterdir()).read_text(encoding="utf-8")
    assert "title: Source title" in text and "editorTitle: Editor headline" in text

    Article.objects.all().delete()
    Provider.objects.all().delete()
    assert run_import(tmp_path / "out").code == 0
    back = Article.objects.get()
    assert (back.title, back.excerpt) == ("Source title", "Source excerpt")
    assert (back.headline, back.standfirst) == ("Editor headline", "Editor excerpt")


def test_search_finds_an_article_by_the_editors_words_and_the_sources(editor):
    article = make_article("Harbour crane colapses", excerpt="Dockers safe.")
    article.correct(editor, title="Harbour crane collapses", excerpt="No one was hurt.")
    assert [a.pk for a in search_published("collapses")] == [article.pk]
    assert [a.pk for a in search_published("hurt")] == [article.pk]
    assert [a.pk for a in search_published("colapses")] == [article.pk]  # the source's, too
    article.correct(editor, title="", excerpt="")
    assert list(search_published("hurt")) == []  # the index follows the editor's change


def test_a_merged_away_story_leads_to_the_story_it_joined_through_later_merges(editor):
    stories = [Story.objects.create() for _ in range(3)]
    first, second, third = (story.pk for story in stories)
    for story in stories:
        make_article(story=story)
    stories[1].merge(stories[0], editor)
    stories[2].merge(stories[1], editor)
    assert Story.merged_into(first) == third
    assert Story.merged_into(second) == third
    assert Story.merged_into(third) is None


def test_a_storys_title_for_readers_is_its_leads_headline(editor):
    story = Story.objects.create()
    lead = make_article("Lead with a typo", story=story, quality=90)
    make_article("Another telling", story=story)
    story.refresh()
    lead.correct(editor, title="Lead, corrected", excerpt="")
    story.refresh_from_db()
    assert story.title == "Lead, corrected"  # the stored title editors see, too
    visible = list(
        Article.objects.published()
        .filter(story=story)
        .only("id", "title", "editor_title", "quality", "heat", "source_published_at")
    )
    assert story.title_for_readers(visible) == "Lead, corrected"


def test_a_story_the_clusterer_makes_is_titled_with_its_leads_headline(tmp_path):
    fields = sample_fields()
    fields["editorTitle"] = "The editor's headline, from an export"
    (tmp_path / "one.txt").write_text(seed_text(fields), encoding="utf-8")
    assert run_import(tmp_path).code == 0
    assert Article.objects.get().story.title == "The editor's headline, from an export"
