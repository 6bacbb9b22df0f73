"""Debian's Chromium through Playwright: where it is, the flags it runs with on our machines (no
sandbox as root, no calls home on a closed network), the one place it is launched
(`open_chromium`, which the `chromium` fixture of tests/browser/conftest.py hands to tests), and
what browser tests do in a page. Screenshots go to test-artifacts/ (git-ignored), for people
to look at.

A test that launches Chromium is marked `browser`: it is skipped when Chromium or Playwright is
missing, and fails under CI=true (tests/support/requirements.py). bench/desk.py, which runs
outside pytest, launches it with the same CHROMIUM and CHROMIUM_ARGS.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from tests.support.checkers import AXE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}  # name: (width, height) of the viewport


@contextmanager
def open_chromium() -> Iterator:
    """Chromium for the block, closed at its end.

    While the block runs, Playwright's sync API runs an event loop on this thread, and Django
    refuses database calls here (allowed, they would go to a second connection of their own):
    make rows before the block, check the database after it. The live server does its own
    database work on its own thread meanwhile."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page) -> list[dict]:
    """What axe-core finds wrong in the page as it is now (an empty list: nothing)."""
    # Evaluated through the browser's debugging channel, not added as a <script>: the page's
    # Content-Security-Policy (rightly) refuses inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def watch_errors(page) -> list[str]:
    """A list that collects the page's console errors and answers of 400 and above from now on
    (a favicon.ico the admin does not name aside)."""
    errors = []
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.location.get("url", "").endswith("/favicon.ico")
            and errors.append(f"{m.text} ({m.location.get('url')})")
        ),
    )
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    return errors


def wait_until(page, condition: Callable[[], object], seconds: float = 10) -> None:
    """Wait until `condition()` is true, for state that this test's own Playwright callbacks set
    (a route handler that holds requests, say). Each round trip to the page lets Playwright's
    event loop deliver what the browser has sent and run the callbacks; the wait has a deadline."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not so after {seconds} s: {condition}")
        page.evaluate("undefined")
