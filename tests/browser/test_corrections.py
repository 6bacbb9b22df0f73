"""In a real browser: an editor corrects a misspelt headline on the article's page, with a public
note, and readers see the editor's headline and the note at once (the cached pages refreshed).
Screenshots (390 and 1280 px) go to test-artifacts/."""

import pytest

from articles.models import Article
from tests.support.browser import ARTIFACTS
from tests.support.factories import make_article, user_in_role

PASSWORD = "browser-test-pw-5120"
TYPO, FIXED = "Minster opens brdige over the estuary", "Minister opens bridge over the estuary"
NOTE = "An earlier version of this headline misspelt “minister” and “bridge”."

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_editor_corrects_a_headline_and_readers_see_it(live_server, chromium):
    from playwright import sync_api

    article = make_article(TYPO, excerpt="The new crossing opens on Monday.", topics=("Roads",))
    user_in_role("editor", password=PASSWORD)
    change_url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    ARTIFACTS.mkdir(exist_ok=True)

    # No ORM calls inside this block: Playwright's sync API runs an event loop in this thread.
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{live_server.url}{article.get_absolute_url()}")  # cached for readers
        sync_api.expect(page.locator("h1")).to_have_text(TYPO)

        page.goto(f"{live_server.url}/admin/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.goto(change_url)
        page.get_by_label("Headline").fill(FIXED)
        page.get_by_label("Public correction note").fill(NOTE)
        page.locator("input[name=_continue]").first.click()
        sync_api.expect(page.locator(".messagelist")).to_contain_text(
            f"Correction saved with a public note: readers now read “{FIXED}”."
        )
        sync_api.expect(page.get_by_label("Headline")).to_have_value(FIXED)
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            sync_api.expect(page.get_by_role("group", name="What readers read")).to_be_visible()
            page.screenshot(path=ARTIFACTS / f"admin-correction-{width}.png", full_page=True)

        reader = browser.new_page(viewport={"width": 1280, "height": 900})
        reader.goto(f"{live_server.url}{article.get_absolute_url()}")
        sync_api.expect(reader.locator("h1")).to_have_text(FIXED)
        sync_api.expect(reader.locator(".correction")).to_contain_text("Correction, ")
        sync_api.expect(reader.locator(".correction")).to_contain_text(NOTE)
        for width in (1280, 390):
            reader.set_viewport_size({"width": width, "height": 900})
            reader.screenshot(path=ARTIFACTS / f"reader-correction-{width}.png", full_page=True)
        reader.goto(f"{live_server.url}/")
        sync_api.expect(reader.locator(".card-title").first).to_have_text(FIXED)
        reader.click("text=Corrections")
        sync_api.expect(reader.locator(".corrections-list")).to_contain_text(NOTE)
        reader.set_viewport_size({"width": 390, "height": 900})
        reader.screenshot(path=ARTIFACTS / "reader-corrections-page-390.png", full_page=True)

    article.refresh_from_db()
    assert (article.title, article.headline) == (TYPO, FIXED)
    assert article.corrections.get().note == NOTE
    assert Article.objects.get(pk=article.pk).editor_title == FIXED
