"""The site in a real browser (Debian's Chromium through Playwright): a reader's path through
it at phone and desktop widths, with axe-core finding no accessibility violations.

Screenshots go to test-artifacts/ (git-ignored) for people to look at.
"""

import json

import pytest

from tests.support.browser import ARTIFACTS, WIDTHS, axe_violations
from tests.support.factories import make_article

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
    pytest.mark.requires("axe-core"),
]

BODY = """## What happened

The council met on **Monday** and [voted](https://council.example/vote) 7 to 2.

> The bridge will open in spring, the mayor said.
"""


@pytest.fixture
def reader_site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for number in range(24):
        make_article(
            f"Flood defences {number}: council weighs a long list of options for the river",
            excerpt="Residents asked for faster work before winter storms arrive.",
            topics=("Climate", "Local politics"),
            provider=("River Gazette", "rivergazette.example"),
            heat=number,
        )
    return make_article(
        "Council approves the new river bridge after a two-year debate",
        excerpt="The vote ends an argument that split the town.",
        body=BODY,
        topics=("Local politics", "Transport", "Zürich"),
        provider=("Town Crier", "towncrier.example"),
        heat=500,
        related=(
            {
                "title": "Bridge vote: what changes for commuters",
                "url": "https://other.example/bridge",
                "provider": ("Other Paper", "other.example"),
            },
        ),
    )


def test_a_reader_browses_searches_and_meets_no_accessibility_violations(
    reader_site, live_server, chromium
):
    ARTIFACTS.mkdir(exist_ok=True)
    violations = {}
    with chromium() as browser:
        for width_name, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            errors = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))  # noqa: B023

            def check(name, page=page, width_name=width_name):
                found = axe_violations(page)
                if found:
                    violations[f"{name} at {width_name}"] = found
                # No sideways scrolling on a phone: the page fits its viewport.
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                assert scroll_width <= page.viewport_size["width"], f"{name} scrolls sideways"
                page.screenshot(path=str(ARTIFACTS / f"{name}-{width_name}.png"), full_page=True)

            page.goto(live_server.url + "/")
            assert page.locator("h1").inner_text() == "Latest news"
            check("home")

            page.get_by_role("link", name=reader_site.title).first.click()
            page.wait_for_url(f"**{reader_site.get_absolute_url()}")
            assert page.locator("h1").inner_text() == reader_site.title
            assert page.get_by_role("link", name="Read at Town Crier").is_visible()
            check("article")

            page.get_by_role("link", name="Transport").first.click()
            page.wait_for_url("**/topics/transport/")
            assert "Transport" in page.locator("h1").inner_text()
            check("topic")

            page.get_by_label("Search articles").fill("bridge")
            page.get_by_label("Search articles").press("Enter")
            page.wait_for_url("**/search/?q=bridge")
            assert page.get_by_role("link", name=reader_site.title).is_visible()
            check("search")

            response = page.goto(live_server.url + "/no/such/page/")
            assert response.status == 404
            check("404")

            # The skip link is the first stop for a keyboard and shows when focused.
            page.goto(live_server.url + "/")
            page.keyboard.press("Tab")
            skip = page.get_by_role("link", name="Skip to content")
            assert skip.evaluate("el => el === document.activeElement")
            assert skip.bounding_box()["y"] >= 0
            # Keyboard focus is visible: a solid outline on the focused link.
            assert skip.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
            page.keyboard.press("Tab")
            brand = page.get_by_role("link", name="Newsroom", exact=True)
            assert brand.evaluate("el => el === document.activeElement")
            assert brand.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
            page.close()
            assert [e for e in errors if "404" not in e] == []

    assert violations == {}, json.dumps(violations, indent=2)
