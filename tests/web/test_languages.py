"""Reader pages mark an article's language where it differs from the page's (WCAG 3.1.2): on
its title, excerpt and body on the article page, on cards, on the story page; feeds and
structured data carry it. The marked pages pass the Nu HTML Checker."""

import json
import re
import subprocess
import xml.etree.ElementTree as ET

import feedparser
import pytest

from articles.clustering import stories
from articles.models import Story
from tests.support.checkers import VNU_JAR
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

HUB = {"title": "Dépêche AFP", "url": "https://afp.example/greve"}


@pytest.fixture
def french_story():
    lead = make_article(
        "Grève des cheminots : le trafic des TGV fortement perturbé",
        excerpt="La SNCF annonce un train sur trois mardi.",
        body="## Ce qu'il faut savoir\n\nLes syndicats appellent à **reconduire** la grève.",
        language="fr",
        quality=9,
        heat=90,  # "Most discussed" on the home page
        related=(HUB,),
    )
    make_article(
        "Les cheminots en grève, trafic TGV très perturbé",
        excerpt="Un TGV sur trois circulera, prévient la SNCF.",
        language="fr",
        provider=("Libération", "liberation.example"),
        related=(HUB,),
    )
    make_article("Rail strike in France halves high-speed trains", language="en", related=(HUB,))
    stories.cluster_new_articles()
    lead.refresh_from_db()
    return lead


def _lang_of(html: str, text: str) -> str | None:
    """The `lang` of the element in the page's body whose content starts with `text`, or of the
    link that holds it (None: no attribute)."""
    html = html[max(html.find("<body"), 0) :]
    match = re.search(r"<(\w+)([^>]*)>(<a [^>]*>)?" + re.escape(text), html)
    assert match, text
    found = re.search(r'\blang="([^"]+)"', match[2] + (match[3] or ""))
    return found[1] if found else None


def test_the_article_page_marks_the_title_excerpt_and_body_in_another_language(
    client, french_story
):
    html = client.get(french_story.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert _lang_of(html, "Grève des cheminots") == "fr"
    assert _lang_of(html, "La SNCF annonce") == "fr"
    assert re.search(r'<div class="story-body" lang="fr">', html)
    assert _lang_of(html, "Les cheminots en grève") == "fr"  # full coverage
    assert _lang_of(html, "Rail strike in France") is None  # the page's own language
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert data["inLanguage"] == "fr"


def test_cards_and_the_story_page_mark_their_language(client, french_story):
    home = client.get("/").content.decode()
    assert _lang_of(home, "Grève des cheminots") == "fr"  # Most discussed
    card = home[home.index('<article class="card">') :]
    assert _lang_of(card, "Grève des cheminots") == "fr"
    assert _lang_of(home, "La SNCF annonce") == "fr"
    story = Story.objects.get(pk=french_story.story_id)
    page = client.get(story.get_absolute_url()).content.decode()
    assert _lang_of(page, "Grève des cheminots") == "fr"  # the h1's title
    assert _lang_of(page, "Les cheminots en grève") == "fr"
    assert _lang_of(page, "Rail strike in France") is None


def test_feeds_carry_each_items_language(client, french_story):
    rss = ET.fromstring(client.get("/feed/").content)
    dc = "{http://purl.org/dc/elements/1.1/}language"
    languages = {item.findtext("title"): item.findtext(dc) for item in rss.iter("item")}
    assert languages["Grève des cheminots : le trafic des TGV fortement perturbé"] == "fr"
    assert languages["Rail strike in France halves high-speed trains"] == "en"
    atom = feedparser.parse(client.get("/feed/atom/").content)
    assert not atom.bozo
    by_title = {entry.title: entry for entry in atom.entries}
    assert (
        by_title["Les cheminots en grève, trafic TGV très perturbé"].title_detail.language == "fr"
    )
    assert by_title["Rail strike in France halves high-speed trains"].title_detail.language == "en"


@pytest.mark.slow
@pytest.mark.requires("vnu")
def test_pages_with_text_in_another_language_are_valid_html(client, french_story, tmp_path):
    story = Story.objects.get(pk=french_story.story_id)
    files = []
    for name, url in {
        "article": french_story.get_absolute_url(),
        "story": story.get_absolute_url(),
    }.items():
        response = client.get(url)
        assert response.status_code == 200
        path = tmp_path / f"{name}.html"
        path.write_text(response.content.decode(), encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "gnu", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stdout + result.stderr
