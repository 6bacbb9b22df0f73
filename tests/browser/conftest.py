"""The one browser fixture: every browser test opens Chromium through `chromium`."""

import pytest

from tests.support.browser import open_chromium


@pytest.fixture
def chromium():
    """Opens Debian's Chromium for a block: `with chromium() as browser:`.

    A block, not the whole test: while Playwright runs, Django refuses database calls on this
    thread (tests/support/browser.py says why), so a test makes its rows before the block and
    checks the database after it."""
    return open_chromium
