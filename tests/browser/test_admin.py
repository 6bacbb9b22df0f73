"""In a real browser: an editor logs in, filters the review queue, publishes two articles from
the list and finds them on the public site. Screenshots go to test-artifacts/."""

import pytest

from articles.models import Article, ReviewDecision
from tests.support.browser import ARTIFACTS
from tests.support.factories import make_article, make_provider, user_in_role

PASSWORD = "browser-test-pw-8271"

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_editor_publishes_two_queued_articles_and_readers_see_them(live_server, chromium):
    from playwright import sync_api

    port = make_provider("port.example", "Port Gazette")
    make_article(
        title="Harbour reopens after storm", provider=port, quality=30, heat=70, published=False
    )
    make_article(title="Dock strike ends", provider=port, quality=25, heat=20, published=False)
    make_article(title="Unrelated market story", quality=40, heat=90, published=False)
    user_in_role("editor", password=PASSWORD)
    ARTIFACTS.mkdir(exist_ok=True)

    # No ORM calls inside this block: Playwright's sync API runs an event loop in this thread.
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/admin/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")

        page.click("#content-main >> text=Articles (review queue)")
        sync_api.expect(page.locator("h1")).to_have_text("Review queue")
        page.fill("#filter-provider_q", "gazette")
        page.click("#changelist-filter >> input[value=Find]")
        page.click("#changelist-filter >> text=Port Gazette")
        rows = page.locator("#result_list tbody tr")
        sync_api.expect(rows).to_have_count(2)
        page.screenshot(path=ARTIFACTS / "admin-queue-filtered.png", full_page=True)

        for title in ["Harbour reopens after storm", "Dock strike ends"]:
            rows.filter(has_text=title).locator("input.action-select").check()
        page.select_option("select[name=action]", "publish_selected")
        page.click("button[name=index]")
        messages = page.locator(".messagelist")
        sync_api.expect(messages).to_contain_text("2 articles published.")
        # Decided articles leave the queue.
        sync_api.expect(page.locator("#result_list tbody tr")).to_have_count(0)
        page.screenshot(path=ARTIFACTS / "admin-queue-published.png", full_page=True)

        page.goto(f"{live_server.url}/")
        body = page.locator("body")
        sync_api.expect(body).to_contain_text("Harbour reopens after storm")
        sync_api.expect(body).to_contain_text("Dock strike ends")
        sync_api.expect(body).not_to_contain_text("Unrelated market story")
        page.screenshot(path=ARTIFACTS / "reader-home-after-publishing.png", full_page=True)

    assert set(Article.objects.published().values_list("title", flat=True)) == {
        "Harbour reopens after storm",
        "Dock strike ends",
    }
    assert ReviewDecision.objects.filter(via="list", editor__username="editor").count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_review_queue_fits_1280_px_with_state_quality_and_heat_in_view(live_server, chromium):
    from playwright import sync_api

    long_words = "Parliamentary-committee-investigation " * 6
    for n in range(30):
        make_article(
            title=f"{n} {long_words}",
            excerpt=long_words * 5,
            provider=make_provider(f"a-rather-long-provider-name-{n}.example"),
            topics=["Politics", "Economy", "International affairs"],
            quality=n,
            heat=n * 3,
            published=n % 2 == 0,
        )
    user_in_role("editor", password=PASSWORD)
    ARTIFACTS.mkdir(exist_ok=True)

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/admin/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/admin/articles/article/?review=waiting")
        sync_api.expect(page.locator("#result_list tbody tr")).to_have_count(30)
        page.screenshot(path=ARTIFACTS / "admin-queue-1280.png", full_page=True)

        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        for column in ("state", "quality", "heat"):
            header = page.locator(f"#result_list thead th.column-{column}")
            sync_api.expect(header).to_be_visible()
            box = header.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, column
        sync_api.expect(page.locator("#result_list")).to_contain_text("Live, not reviewed")
