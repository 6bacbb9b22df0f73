"""The review desk in Chromium: an editor decides by keys without a page load (publish, keep,
undo), schedules with `s`, meets an item another editor decided meanwhile, decides with
JavaScript off; axe-core finds no violation at 390 and 1280 px and the CSP stays 'self'.
Screenshots go to test-artifacts/desk-*.png."""

import pytest

from articles.models import Article, ReviewDecision
from tests.support.browser import ARTIFACTS, axe_violations, wait_until, watch_errors
from tests.support.desk import PASSWORD, current_title, open_desk
from tests.support.factories import make_article, user_in_role

BODY = "The **council** met on Monday.\n\n- one\n- two\n\n<script>alert(1)</script>"

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


@pytest.fixture
def waiting():
    """Six waiting items, best first: "Item 1" (quality 60) down to "Item 6"; item 2 is live
    because its seed said so."""
    items = [
        make_article(
            f"Item {n}: harbour works",
            quality=60 - n,
            published=n == 2,
            excerpt=f"Excerpt of item {n}.",
            body=BODY,
            topics=["Harbour"],
            related=({"title": f"Other coverage {n}", "url": "https://other.example/x"},),
        )
        for n in range(1, 7)
    ]
    user_in_role("editor", password=PASSWORD)
    return items


def test_an_editor_publishes_keeps_and_undoes_by_keys_without_a_page_load(
    waiting, live_server, chromium
):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = watch_errors(page)
        open_desk(page, live_server.url)
        page.evaluate("window.deskMarker = 'still the same page'")
        expect(page.locator('.desk-item[aria-current="true"]')).to_have_count(1)
        assert current_title(page) == "Item 1: harbour works"
        expect(page.locator(".desk-pane .desk-headline")).to_have_text("Item 1: harbour works")
        # The body is rendered and sanitised: the list made, the script gone.
        expect(page.locator(".desk-pane .desk-body li")).to_have_count(2)

        page.keyboard.press("j")
        assert current_title(page) == "Item 2: harbour works"
        page.keyboard.press("ArrowDown")
        page.keyboard.press("k")
        assert current_title(page) == "Item 2: harbour works"
        expect(page.locator(".desk-pane .desk-live")).to_have_text("Live, not reviewed")
        page.keyboard.press("k")

        page.keyboard.press("p")  # publish item 1: item 2 is focused at once
        assert current_title(page) == "Item 2: harbour works"
        expect(page.locator(".desk-status")).to_have_text("Published.")
        expect(page.locator(f'[data-article-id="{waiting[0].pk}"]')).to_be_hidden()
        page.keyboard.press("x")  # keep item 2 unpublished
        expect(page.locator(".desk-status")).to_have_text("Kept unpublished.")
        assert current_title(page) == "Item 3: harbour works"

        page.keyboard.press("z")  # undo the keep: item 2 is back, focused
        expect(page.locator(".desk-status")).to_contain_text("Undone")
        expect(page.locator('.desk-item[aria-current="true"] .desk-item-title')).to_have_text(
            "Item 2: harbour works"
        )
        page.keyboard.press("?")
        expect(page.locator(".desk-help")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator(".desk-help")).to_be_hidden()
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.name") == "q"

        assert page.evaluate("window.deskMarker") == "still the same page"
        assert page.evaluate("window.deskTimings.length") >= 5
        assert not errors, errors

        # `o` opens the source in a new tab (answered here: no outside traffic), `e` the
        # article's full admin page.
        page.keyboard.press("Escape")  # leave the search box
        page.context.route("https://example.com/**", lambda route: route.fulfill(body="source"))
        with page.context.expect_page() as source:
            page.keyboard.press("o")
        source.value.wait_for_load_state()
        assert source.value.url.startswith("https://example.com/news/")
        page.keyboard.press("e")
        page.wait_for_url(f"**/admin/articles/article/{waiting[1].pk}/change/")
        page.close()

    one, two = Article.objects.get(pk=waiting[0].pk), Article.objects.get(pk=waiting[1].pk)
    assert one.published and one.reviewed_by.username == "editor"
    assert two.published and two.reviewed_at is None  # as its seed left it
    assert list(two.decisions.values_list("change", "via")) == [
        ("undo", "desk"),
        ("unpublish", "desk"),
    ]


def test_s_publishes_at_a_typed_time_says_so_and_z_takes_it_back(waiting, live_server, chromium):
    """Findings 1 to 3 of issue 26: a schedule is a decision, typed as text, undone by `z`."""
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = watch_errors(page)
        open_desk(page, live_server.url)
        page.keyboard.press("p")  # an earlier decision, on item 1
        expect(page.locator(".desk-status")).to_have_text("Published.")
        page.keyboard.press("s")  # on item 2
        form = page.locator(".desk-pane .desk-schedule-form")
        expect(form.get_by_label("Go live at (UTC)")).to_be_focused()
        page.keyboard.type("12/20/2031 8:00 AM")  # the browser's habit: said, not sent away
        page.keyboard.press("Enter")
        expect(form.locator(".desk-schedule-error")).to_contain_text(
            "is not a date and time: type it as 2026-12-20 08:00 (UTC)"
        )
        assert current_title(page) == "Item 2: harbour works"
        expect(form.get_by_label("Go live at (UTC)")).to_be_focused()
        page.keyboard.press("Control+A")
        page.keyboard.type("2031-12-20 08:00")
        page.keyboard.press("Enter")
        expect(page.locator(".desk-status")).to_have_text("Goes live 20 Dec 2031 08:00 UTC.")
        assert current_title(page) == "Item 3: harbour works"
        # The answer sits above the pane: it covers no item.
        status, item = (
            page.locator(sel).bounding_box()
            for sel in (".desk-status", '.desk-item[aria-current="true"]')
        )
        beside = status["x"] > item["x"] + item["width"]
        assert beside or status["y"] + status["height"] <= item["y"]
        page.keyboard.press("z")  # the schedule's decision, not item 1's
        expect(page.locator(".desk-status")).to_contain_text("Undone: 1 article")
        assert current_title(page) == "Item 2: harbour works"
        assert [e for e in errors if "/schedule/" not in e] == []  # the bad value: a 400
        page.close()
    first, second = (Article.objects.get(pk=waiting[n].pk) for n in (0, 1))
    assert first.published and first.reviewed_at
    assert (second.publish_at, second.reviewed_at) == (None, None)
    assert list(second.decisions.values_list("change", flat=True)) == ["undo", "keep-on"]


def test_keys_can_be_turned_off_or_need_alt_shift_and_focus_comes_back(
    waiting, live_server, chromium
):
    """Finding 6 and the grouping key of 12: WCAG 2.1.4, focus after Esc and `?`."""
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        open_desk(page, live_server.url)
        current_link = '.desk-item[aria-current="true"] .desk-item-link'
        page.keyboard.press("/")
        page.keyboard.type("harbour")
        page.keyboard.press("Escape")
        expect(page.locator(current_link)).to_be_focused()
        page.keyboard.press("?")
        help = page.locator(".desk-help")
        help.get_by_label("Off: use the buttons").check()
        expect(page.locator(".desk-status")).to_contain_text("Single keys are off")
        page.keyboard.press("Escape")
        expect(help).to_be_hidden()
        expect(page.locator(current_link)).to_be_focused()
        page.keyboard.press("j")  # off: nothing moves
        assert current_title(page) == "Item 1: harbour works"
        page.keyboard.press("ArrowDown")  # arrows still do
        assert current_title(page) == "Item 2: harbour works"
        page.reload()  # remembered (the address keeps the item)
        page.wait_for_selector("[data-desk][data-keys-ready]", state="attached")
        page.keyboard.press("j")
        assert current_title(page) == "Item 2: harbour works"
        page.get_by_role("button", name="Keys").click()
        help.get_by_label("Only with Alt+Shift held").check()
        page.get_by_role("button", name="Close").click()
        expect(page.locator(current_link)).to_be_focused()
        page.keyboard.press("j")
        assert current_title(page) == "Item 2: harbour works"
        page.keyboard.press("Alt+Shift+KeyJ")
        assert current_title(page) == "Item 3: harbour works"
        page.keyboard.press("Alt+Shift+KeyG")  # grouping toggled: one entry per story
        page.wait_for_url("**group=story**")
        page.close()


def test_two_editors_on_one_item(waiting, live_server, chromium):
    from playwright.sync_api import expect

    user_in_role("superuser", password=PASSWORD)
    with chromium() as browser:
        first = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        second = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        open_desk(first, live_server.url)
        open_desk(second, live_server.url, username="superuser")

        first.keyboard.press("p")
        expect(first.locator(".desk-status")).to_have_text("Published.")
        # The second editor reaches the item again: it says who decided it.
        second.keyboard.press("j")
        second.keyboard.press("k")
        note = second.locator(f'[data-article-id="{waiting[0].pk}"] .desk-item-note')
        expect(note).to_contain_text("Already decided by editor")
        expect(second.locator(".desk-pane .desk-note")).to_contain_text("Already decided by editor")
        second.keyboard.press("x")
        expect(second.locator(".desk-status")).to_contain_text("not recorded")
        first.close()
        second.close()

    article = Article.objects.get(pk=waiting[0].pk)
    assert article.published and article.reviewed_by.username == "editor"
    assert ReviewDecision.objects.filter(article=article).count() == 1


def test_without_javascript_the_buttons_decide_and_the_desk_moves_on(
    waiting, live_server, chromium
):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_context(java_script_enabled=False).new_page()
        open_desk(page, live_server.url, keys=False)
        page.locator(".desk-pane button.desk-publish").click()
        expect(page.locator(".messagelist")).to_contain_text("Item 1: harbour works")
        expect(page.locator('.desk-item[aria-current="true"] .desk-item-title')).to_have_text(
            "Item 2: harbour works"
        )
        page.locator(".desk-pane button.desk-keep").click()
        expect(page.locator(".messagelist")).to_contain_text("kept unpublished")
        # Finding 7: at desktop width no key button shows that would do nothing; the
        # Previous/Next links show, and move.
        expect(page.locator(".desk-keys")).to_be_hidden()
        page.get_by_role("link", name="Next →").click()
        expect(page.locator('.desk-item[aria-current="true"] .desk-item-title')).to_have_text(
            "Item 4: harbour works"
        )
        page.close()
    assert Article.objects.get(pk=waiting[0].pk).published
    assert not Article.objects.get(pk=waiting[1].pk).published


@pytest.mark.requires("axe-core")
def test_the_desk_meets_no_accessibility_violations_and_keeps_its_csp(
    waiting, live_server, chromium
):
    with chromium() as browser:
        ARTIFACTS.mkdir(exist_ok=True)
        violations = {}
        for width, height in ((390, 844), (1280, 900)):
            page = browser.new_page(viewport={"width": width, "height": height})
            errors = watch_errors(page)
            open_desk(page, live_server.url)
            response = page.goto(f"{live_server.url}/admin/desk/")
            policy = response.headers["content-security-policy"]
            directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
            assert directives["script-src"] == directives["style-src"] == "'self'", policy
            assert page.locator("script:not([src])").count() == 0
            assert page.locator("[style]").count() == 0
            found = axe_violations(page)
            if found:
                violations[width] = found
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            if width == 390:  # one item at a time, with its actions
                assert not page.locator(".desk-list").is_visible()
                assert page.locator(".desk-pane button.desk-publish").is_visible()
                page.locator(".desk-move [data-move='1']").click()
                assert page.locator(".desk-pane .desk-headline").inner_text().startswith("Item 2")
                page.locator(".desk-move [data-move='-1']").click()
            page.screenshot(path=str(ARTIFACTS / f"desk-{width}.png"), full_page=False)
            assert not errors, errors
            page.close()
    assert not violations, violations


def test_a_decision_that_fails_to_post_leaves_the_item_marked_and_nothing_lost(
    waiting, live_server, chromium
):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        open_desk(page, live_server.url)
        page.route("**/decide/", lambda route: route.abort())
        page.keyboard.press("p")
        first = page.locator(f'[data-article-id="{waiting[0].pk}"]')
        expect(first.locator(".desk-item-note")).to_contain_text("Not recorded")
        expect(first).to_be_visible()
        expect(first).to_have_class("desk-item has-error")
        # The server is reachable again: the editor goes back and decides once more.
        page.unroute("**/decide/")
        page.keyboard.press("k")
        page.keyboard.press("p")
        expect(page.locator(".desk-status")).to_have_text("Published.")
        expect(first).to_be_hidden()
        page.close()
    assert Article.objects.get(pk=waiting[0].pk).published
    assert ReviewDecision.objects.filter(article_id=waiting[0].pk).count() == 1


def test_undo_pressed_while_a_decision_is_still_posting_takes_back_that_decision(
    waiting, live_server, chromium
):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        open_desk(page, live_server.url)
        page.keyboard.press("p")  # item 1 published, and answered
        expect(page.locator(".desk-status")).to_have_text("Published.")
        held = []
        page.route("**/decide/", lambda route: held.append(route))  # item 3's decision waits
        page.keyboard.press("j")  # past item 2, to item 3
        page.keyboard.press("x")
        page.keyboard.press("z")  # at once, before the server has the keep
        # The keep is held on its way; only then does it go on, after the undo was pressed.
        wait_until(page, lambda: held)
        held[0].continue_()
        expect(page.locator(".desk-status")).to_contain_text("Undone")
        page.close()
    first, third = (Article.objects.get(pk=waiting[n].pk) for n in (0, 2))
    assert first.published and first.reviewed_at  # the earlier decision stands
    assert not third.published and third.reviewed_at is None  # the keep was taken back
