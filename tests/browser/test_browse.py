"""The topic and provider indexes, the feeds and the sitemap in a real browser (Debian's
Chromium), at phone and desktop widths: the indexes meet axe-core with no violation, and the XML
files show styled, under the site's content security policy, with nothing refused.

Screenshots go to test-artifacts/ (git-ignored) for people to look at.
"""

import pytest

from tests.support.browser import ARTIFACTS, WIDTHS, axe_violations
from tests.support.factories import make_article

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
    pytest.mark.requires("axe-core"),
]


@pytest.fixture
def site():
    for number in range(6):
        make_article(
            f"Harbour works, part {number}: the long story of a quay that nobody wanted to pay for",
            excerpt="The council and the port argue about who pays.",
            topics=("Harbour", f"Infrastructure and public works in the region {number}"),
            provider=(
                f"The Coastal Chronicle of Harbourtown {number % 2}",
                f"coast{number}.example",
            ),
        )


# The root element each file has, and the line its stylesheet puts at the top.
XML_VIEWS = {
    "sitemap": ("/sitemap.xml", "sitemapindex", "This is a sitemap"),
    "sitemap-section": ("/sitemap-articles.xml", "urlset", "This is a sitemap"),
    "feed": ("/feed/", "rss", "This is a news feed"),
    "atom-feed": ("/feed/atom/", "feed", "This is a news feed"),
}


def test_indexes_feeds_and_sitemap_look_right_in_a_browser(site, live_server, chromium):
    ARTIFACTS.mkdir(exist_ok=True)
    violations = {}
    with chromium() as browser:
        for width_name, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            errors = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))  # noqa: B023

            for name in ("topics", "providers"):
                page.goto(f"{live_server.url}/{name}/")
                found = axe_violations(page)
                if found:
                    violations[f"{name} at {width_name}"] = found
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                page.screenshot(path=str(ARTIFACTS / f"index-{name}-{width_name}.png"))
            page.goto(f"{live_server.url}/topics/?sort=size")
            page.get_by_role("link", name="Harbour", exact=True).click()
            page.wait_for_url("**/topics/harbour/")
            page.get_by_role("link", name="All topics").first.click()
            page.wait_for_url("**/topics/")

            for name, (path, root, first_line) in XML_VIEWS.items():
                page.goto(live_server.url + path)
                # The file itself is the document (not the browser's source view, not XSLT output),
                # and the stylesheet has applied: its line at the top shows.
                assert page.evaluate("document.documentElement.localName") == root
                shown = page.evaluate(
                    "getComputedStyle(document.documentElement, '::before').content"
                )
                assert first_line in shown, name
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                page.screenshot(path=str(ARTIFACTS / f"xml-{name}-{width_name}.png"))
            page.close()
            # Nothing refused by the content security policy, nothing missing (a favicon.ico
            # request from an XML page is the browser's own).
            assert [e for e in errors if "404" not in e] == []

    assert violations == {}, violations
