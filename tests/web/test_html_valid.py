"""Every reader page type is valid HTML5 by the Nu HTML Checker (npm vnu-jar, run with Java)."""

import re
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.template.loader import get_template
from django.test import RequestFactory
from PIL import Image

from articles.models import Provider
from articles.reader.views import preview_article
from tests.support.checkers import VNU_JAR
from tests.support.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.requires("vnu")]

BODY = """## What happened

The council met on **Monday**. It [voted](https://council.example/vote) 7 to 2.

- a list item
- another, with `code`

1. first
2. second

> A quote from the mayor.

| Ward | Votes |
|------|-------|
| East | 4     |

    indented code <b>kept as text</b>

<div onclick="x()">raw html</div>
"""


def _logo(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    buffer = ContentFile(b"", name="logo.png")
    Image.new("RGB", (32, 32), (200, 30, 30)).save(buffer, format="PNG")
    provider = Provider.objects.create(name="Logo Times", domain="logotimes.example")
    provider.logo.save("logo.png", buffer)


def test_reader_pages_are_valid_html(client, settings, tmp_path):
    _logo(settings, tmp_path)
    hosted = make_article("Bridge vote report", topics=("Council",))
    article = make_article(
        "Council approves bridge <after> “long” debate & more",
        excerpt="The vote ends a two-year argument.",
        body=BODY,
        topics=("Council", "Transport", "Zürich 東京"),
        provider=("Logo Times", "logotimes.example"),
        heat=50,
        related=(
            {"title": "Our own report", "url": hosted.canonical_url},
            {
                "title": "Elsewhere",
                "url": "https://other.example/x?a=1&b=2",
                "provider": ("Other", "other.example"),
            },
            {"title": "Bad link", "url": "javascript:alert(1)"},
        ),
    )
    for number in range(21):
        make_article(f"Filler {number}", topics=("Council",), heat=number)
    draft = make_article("Draft for preview", published=False, body=BODY)
    article.correct(
        None, title="Council approves <bridge> “after” debate", excerpt="", note="A & <b>fix</b>."
    )

    home = client.get("/")
    older = re.search(r'<link rel="next" href="([^"]+)"', home.content.decode())[1]
    pages = {
        "home": home,
        "home-page-2": client.get("/" + older),
        "article": client.get(article.get_absolute_url()),
        "topic": client.get("/topics/council/"),
        "provider": client.get("/providers/logotimes.example/"),
        "topic-index": client.get("/topics/"),
        "provider-index-by-size": client.get("/providers/?sort=size"),
        "search": client.get("/search/?q=council"),
        "search-empty": client.get("/search/"),
        "search-none": client.get("/search/?q=zeppelin"),
        "corrections": client.get("/corrections/"),
        "not-found": client.get("/no/such/page/"),
    }
    expected_status = {"not-found": 404}
    html = {}
    for name, response in pages.items():
        assert response.status_code == expected_status.get(name, 200), name
        html[name] = response.content.decode()
    html["preview"] = preview_article(RequestFactory().get("/preview/"), draft.pk).content.decode()
    html["server-error"] = get_template("500.html").render()

    files = []
    for name, text in html.items():
        path = tmp_path / f"{name}.html"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    files.append(str(settings.BASE_DIR / "static" / "css" / "site.css"))

    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "gnu", "--stdout", "--also-check-css", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stdout + result.stderr
