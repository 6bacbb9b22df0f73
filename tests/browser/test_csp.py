"""The Content-Security-Policy in a real browser: the admin and reader pages must work under it
without a single violation (the admin would break silently if Django relied on inline code)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.editorial.logos import process_logo, store_logo
from articles.models import Article
from tests.support.browser import ARTIFACTS
from tests.support.seeds import SAMPLE_SEED, run_import

# Collected in the page before any of its own code runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


pytestmark = pytest.mark.browser


@pytest.fixture
def article(transactional_db, settings, tmp_path):
    # Made before the browser starts: under Playwright's sync API the test body runs in another
    # context, where Django would open (and never close) a second database connection.
    run_import(SAMPLE_SEED)
    article = Article.objects.get()
    Article.objects.filter(pk=article.pk).set_published(True, None)
    # A provider logo, so the provider list shows its thumbnail.
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), "teal").save(buffer, "PNG")
    store_logo(article.provider, process_logo(SimpleUploadedFile("l.png", buffer.getvalue())))
    article.provider.save()
    return article


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_and_reader_pages_run_under_the_policy_without_violations(
    live_server, admin_user, article, chromium
):
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.add_init_script(RECORD_VIOLATIONS)
        console_errors = []
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

        def visit(path, name):
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert "default-src 'self'" in response.headers["content-security-policy"]
            check(name)

        def check(name):
            page.wait_for_load_state("load")
            violations = page.evaluate("window.__violations")
            assert violations == [], f"{name}: {violations}"
            for width in (1280, 360):
                page.set_viewport_size({"width": width, "height": 900})
                page.screenshot(path=str(ARTIFACTS / f"csp-{name}-{width}.png"), full_page=True)

        visit("/admin/login/", "admin-login")
        page.fill("#id_username", admin_user.username)
        page.fill("#id_password", "password")
        page.click("input[type=submit]")
        page.wait_for_url(live_server.url + "/admin/")
        check("admin-index")
        visit("/admin/articles/article/", "admin-changelist")
        # The changelist's JavaScript (select all, actions) works: a script-src problem shows here.
        page.click("#action-toggle")
        assert page.locator("#changelist-form .action-counter").inner_text().startswith("1 of 1")
        visit(f"/admin/articles/article/{article.pk}/change/", "admin-change")
        visit("/admin/articles/provider/", "admin-providers")
        visit("/", "home")
        visit(article.get_absolute_url(), "detail")

        assert [e for e in console_errors if "Content Security Policy" in e] == []
