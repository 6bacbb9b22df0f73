"""The review desk as tests read it: its addresses, the items a page lists and the one it
focuses (HTML through the test client), and in Chromium, opening the desk and the focused
item's title."""

import re

from django.urls import reverse

DESK = reverse("admin:desk")
UNDO = reverse("admin:desk_undo")
JSON = {"HTTP_ACCEPT": "application/json"}  # what desk.js asks for
PASSWORD = "desk-browser-pw-5513"  # for users a browser test logs in through the login form


def listed_ids(response) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(
            r'<li class="desk-item[^"]*" data-article-id="(\d+)"', response.content.decode()
        )
    ]


def current_id(response) -> int:
    found = re.search(r'data-article-id="(\d+)" aria-current="true"', response.content.decode())
    return int(found.group(1))


# --- In Chromium


def open_desk(page, url, username="editor", password=PASSWORD, *, keys=True):
    """Log in through the admin's login form and wait for the desk at the live server `url`."""
    page.goto(f"{url}/admin/login/?next=/admin/desk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    # With JavaScript, keys pressed before desk.js has started would be lost.
    page.wait_for_selector(
        "[data-desk][data-keys-ready]" if keys else ".desk-list", state="attached"
    )


def current_title(page):
    return page.locator('.desk-item[aria-current="true"] .desk-item-title').inner_text()
