"""The search page in a real browser, at phone and desktop widths: a reader narrows results
with the filters (no JavaScript needed), sees the matched words marked, and axe-core finds no
accessibility violations. Screenshots go to test-artifacts/."""

import json
import re

import pytest

from tests.support.browser import ARTIFACTS, axe_violations
from tests.support.factories import make_article

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
    pytest.mark.requires("axe-core"),
]

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.fixture
def search_site():
    # Made before the browser starts: Playwright's loop makes the database refuse calls.
    for number in range(3):
        make_article(
            f"Société Générale opens a branch in Zürich, number {number}",
            excerpt="The bank's société-wide plan, explained.",
            topics=("Banking",),
            provider=("Finance Wire", "financewire.example"),
        )
    make_article("Bridge to Zürich reopens", topics=("Transport",))


def test_a_reader_narrows_a_search_and_meets_no_violations(search_site, live_server, chromium):
    ARTIFACTS.mkdir(exist_ok=True)
    violations = {}
    with chromium() as browser:
        for width_name, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(live_server.url + "/search/?q=zurich")
            assert "4 results for “zurich”" in page.locator(".listing-note").inner_text()
            assert page.locator("mark", has_text="Zürich").count() == 4

            # The filters fold away until wanted, then narrow without any script.
            page.get_by_text("Narrow the results").click()
            page.get_by_label("Topic", exact=True).select_option("banking")
            page.get_by_label("Order", exact=True).select_option("newest")
            page.get_by_role("button", name="Apply").click()
            page.wait_for_url(re.compile(r"/search/\?q=zurich&topic=banking&.*order=newest"))
            assert "3 results" in page.locator(".listing-note").inner_text()
            titles = page.locator(".card-title").all_inner_texts()
            assert titles[0].endswith("number 2") and titles[-1].endswith("number 0")

            # A date that is no date is explained, and the rest of the search still answers.
            page.goto(live_server.url + "/search/?q=societe&from=31/12/2024")
            assert "is not a date" in page.get_by_role("alert").inner_text()
            assert page.locator("mark", has_text="Société").count() >= 3

            found = axe_violations(page)
            if found:
                violations[width_name] = found
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(ARTIFACTS / f"search-{width_name}.png"), full_page=True)
            page.close()

    assert violations == {}, json.dumps(violations, indent=2)
