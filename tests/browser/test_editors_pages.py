"""The editors' own pages in a real browser: the admin index, the article list, Review decisions,
the Stories list and the flow dashboard meet no critical or serious axe-core violation at phone
and desktop widths, and fit the phone's width. Screenshots go to test-artifacts/."""

import json

import pytest

from articles.models import Article, ImportRun, Story
from tests.support.browser import ARTIFACTS, axe_violations, watch_errors
from tests.support.factories import make_article, make_provider, user_in_role

PASSWORD = "browser-test-pw-5120"

pytestmark = [pytest.mark.browser, pytest.mark.requires("axe-core")]

PAGES = {
    "admin-index": "/admin/",
    "article-list": "/admin/articles/article/?review=waiting",
    "decisions": "/admin/articles/reviewdecision/",
    "stories": "/admin/articles/story/",
    "flow": "/admin/flow/",
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_editors_pages_meet_no_serious_accessibility_violation(live_server, chromium):
    port = make_provider("port.example", "Port Gazette")
    articles = [
        make_article(title=f"Harbour story {n}", provider=port, published=False) for n in range(4)
    ]
    story = Story.objects.create(title="Harbour reopens", lead=articles[0])
    Article.objects.filter(pk__in=[a.pk for a in articles[:3]]).update(story=story)
    editor = user_in_role("editor", password=PASSWORD)
    Article.objects.filter(pk__in=[a.pk for a in articles[:2]]).set_published(
        True, editor, via="list"
    )
    ImportRun.objects.create(status=ImportRun.Status.FINISHED, files_seen=5, created=2, rejected=3)

    violations = {}
    with chromium() as browser:
        ARTIFACTS.mkdir(exist_ok=True)
        for width, height in ((390, 844), (1280, 900)):
            page = browser.new_page(viewport={"width": width, "height": height})
            errors = watch_errors(page)
            page.goto(f"{live_server.url}/admin/login/")
            page.fill("#id_username", "editor")
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            for name, path in PAGES.items():
                page.goto(f"{live_server.url}{path}")
                if name == "flow":  # the numbers, hour by hour, shown
                    page.click("summary")
                found = [v for v in axe_violations(page) if v["impact"] in ("critical", "serious")]
                if found:
                    violations[f"{name}@{width}"] = found
                page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            assert not errors, errors
            page.close()
    (ARTIFACTS / "editors-pages-axe.json").write_text(json.dumps(violations, indent=1))
    assert not violations, violations
