"""What readers read once an editor corrects a headline: the editor's text on every page that
shows the article (its page, cards, the story page, search, feeds, share images, JSON-LD), the
correction's public note on the article and on /corrections/; and a merged story's old address."""

import json
import re
from unittest import mock

import feedparser
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.models import Story
from articles.reader import corrections, share_images
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

SOURCE, FIXED = "Minster opens brdige", "Minister opens bridge"


@pytest.fixture
def editor():
    return User.objects.create_user("ann")


@pytest.fixture
def corrected(client, editor, django_capture_on_commit_callbacks):
    """An article read once (so its pages are cached), then corrected with a public note."""
    story = Story.objects.create()
    article = make_article(SOURCE, excerpt="Opening day for the source.", story=story)
    make_article("Second telling of the bridge", story=story)
    story.refresh()
    for url in ("/", article.get_absolute_url(), "/feed/", "/search/?q=opening"):
        assert SOURCE in _text(client.get(url)), url
    with django_capture_on_commit_callbacks(execute=True):
        article.correct(
            editor,
            title=FIXED,
            excerpt="Opening day, as the editor put it.",
            note="An earlier version misspelt the minister’s title.",
        )
    return article


def _text(response) -> str:
    """The page's HTML without the <mark>s around the words a search matched."""
    return response.content.decode().replace("<mark>", "").replace("</mark>", "")


def _json_ld(page: str) -> dict:
    return json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))


def test_every_page_that_shows_the_article_shows_the_editors_text(client, editor, corrected):
    for url in ("/", "/providers/example.com/", "/search/?q=bridge", "/search/?q=editor"):
        page = _text(client.get(url))
        assert FIXED in page and SOURCE not in page, url
        assert "Opening day, as the editor put it." in page, url
    story = client.get(reverse("articles:story_short", args=[corrected.story_id]), follow=True)
    assert FIXED in story.content.decode() and SOURCE not in story.content.decode()
    for url in ("/feed/", "/feed/atom/"):
        entries = feedparser.parse(client.get(url).content).entries
        assert FIXED in [entry.title for entry in entries], url
        assert "Opening day, as the editor put it." in [entry.summary for entry in entries]


def test_the_article_page_says_what_was_corrected_and_when(client, corrected):
    page = client.get(corrected.get_absolute_url()).content.decode()
    assert f"<h1>{FIXED}</h1>" in page and SOURCE not in page
    assert f'<meta property="og:title" content="{FIXED}">' in page
    note = re.search(r'<p class="correction">(.*?)</p>', page).group(1)
    assert note.startswith("<strong>Correction, <time datetime=")
    assert note.endswith("</strong> An earlier version misspelt the minister’s title.")
    data = _json_ld(page)
    assert data["headline"] == FIXED
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version misspelt the minister’s title.",
            "datePublished": corrected.corrections.get().made_at.isoformat(),
        }
    ]


def test_an_uncorrected_article_page_keeps_its_query_budget(client, django_assert_max_num_queries):
    article = make_article("Nothing to correct")
    with django_assert_max_num_queries(5):  # 4, and the reader-pages version
        page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="correction"' not in page and '"correction"' not in page


def test_the_share_image_is_drawn_from_the_editors_headline(client, corrected):
    with mock.patch.object(share_images, "_fit_title", wraps=share_images._fit_title) as fit:
        assert client.get(reverse("articles:share_image", args=[corrected.pk])).status_code == 200
    assert fit.call_args.args[0] == FIXED


def test_the_corrections_page_lists_public_notes_newest_first_twenty_a_page(
    client, editor, corrected, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(corrections, "CORRECTIONS_PER_PAGE", 2)
    held = make_article("Held back", published=False)
    held.correct(editor, title="Held, corrected", excerpt="", note="Not for readers.")
    silent = make_article("Silent fix")
    silent.correct(editor, title="Silent fix, fixed", excerpt="")  # no note: not listed
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(2):
            make_article(f"Later {number}").correct(
                editor, title=f"Later {number}, corrected", excerpt="", note=f"Note {number}."
            )
    first = client.get("/corrections/").content.decode()
    assert re.findall(r'card-title"><a href="[^"]+">([^<]+)</a>', first) == [
        "Later 1, corrected",
        "Later 0, corrected",
    ]
    second = client.get("/corrections/?page=2").content.decode()
    assert FIXED in second and "Held" not in second and "Silent" not in second
    assert client.get("/corrections/?page=3").status_code == 404
    assert client.get("/corrections/?page=02").status_code == 302
    assert 'href="/corrections/">Corrections</a>' in client.get("/").content.decode()


def test_the_corrections_page_is_cached_and_refreshed_by_a_correction(
    client, editor, django_assert_num_queries, django_capture_on_commit_callbacks
):
    assert "No corrections so far." in client.get("/corrections/").content.decode()
    with django_assert_num_queries(1):  # the reader-pages version: the page is cached
        client.get("/corrections/")
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Quietly wrong").correct(
            editor, title="Loudly right", excerpt="", note="Oops."
        )
    assert "Loudly right" in client.get("/corrections/").content.decode()


def test_a_merged_away_storys_address_leads_to_the_story_it_joined(client, editor):
    kept, gone = Story.objects.create(), Story.objects.create()
    make_article("Kept story's lead", story=kept)
    make_article("Gone story's article", story=gone)
    gone_url = reverse("articles:story", args=[gone.pk, "gone-storys-article"])
    gone_pk = gone.pk
    kept.merge(gone, editor)

    response = client.get(gone_url)
    assert response.status_code == 301
    assert response["Location"] == reverse("articles:story_short", args=[kept.pk])
    assert client.get(reverse("articles:story_short", args=[gone_pk])).status_code == 302
    assert client.get(gone_url, follow=True).status_code == 200
    assert client.get(reverse("articles:story", args=[987654, "x"])).status_code == 404


def test_the_story_page_lists_the_chosen_lead_first(client, editor):
    story = Story.objects.create()
    chosen = make_article("The oldest, chosen to lead", story=story)
    for number in range(3):
        make_article(f"Newer telling {number}", story=story)
    story.refresh()
    story.set_lead(chosen, editor)
    page = client.get(reverse("articles:story_short", args=[story.pk]), follow=True)
    titles = re.findall(r'card-title"><a href="[^"]+">([^<]+)</a>', page.content.decode())
    assert titles == [
        "The oldest, chosen to lead",
        "Newer telling 2",
        "Newer telling 1",
        "Newer telling 0",
    ]
