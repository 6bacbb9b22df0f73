"""The API's browsable docs (Swagger UI, from the site's own static files) work under the
site's Content-Security-Policy: they load the OpenAPI document, list every endpoint, and a
reader can try one, with no violation; on a phone too."""

import pytest

from articles.models import Article
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.support.browser import ARTIFACTS
from tests.support.seeds import SAMPLE_SEED, run_import

pytestmark = pytest.mark.browser


@pytest.fixture
def article(transactional_db):
    run_import(SAMPLE_SEED)
    article = Article.objects.get()
    Article.objects.filter(pk=article.pk).set_published(True, None)
    return article


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_docs_run_under_the_policy_and_try_a_request(live_server, article, chromium):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as browser:
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.add_init_script(RECORD_VIOLATIONS)
            outside = []
            page.on(
                "request",
                lambda r, seen=outside: (
                    None if r.url.startswith(live_server.url) else seen.append(r.url)
                ),
            )
            response = page.goto(live_server.url + "/api/v1/docs/")
            assert response.status == 200
            page.wait_for_selector("text=/api/v1/articles/", timeout=15_000)
            assert page.locator(".opblock-summary-path").count() == 6
            page.screenshot(path=str(ARTIFACTS / f"api-docs-{width}.png"), full_page=False)
            if width == 1280:
                page.locator(".opblock-summary", has_text="/api/v1/articles/").first.click()
                page.get_by_role("button", name="Try it out").click()
                page.get_by_role("button", name="Execute").click()
                # The documented examples are there at once; wait for the answer itself.
                expect(page.locator(".responses-wrapper")).to_contain_text(
                    article.title, timeout=15_000
                )
                page.screenshot(path=str(ARTIFACTS / "api-docs-tried.png"), full_page=False)
            assert page.evaluate("window.__violations") == [], page.evaluate("window.__violations")
            assert outside == []  # no CDN, nothing from elsewhere
            page.close()
