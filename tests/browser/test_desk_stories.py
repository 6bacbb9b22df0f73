"""The review desk grouped by story, in Chromium: on a story's entry `p` publishes the lead and
keeps the rest, `z` takes the whole story back, `a` publishes all, with no page load; axe-core
finds no violation on the grouped desk at 390 and 1280 px. Screenshots go to
test-artifacts/desk-stories-*.png."""

import pytest

from articles.models import Article, ReviewDecision, Story
from tests.support.browser import ARTIFACTS, axe_violations, watch_errors
from tests.support.desk import PASSWORD, current_title, open_desk
from tests.support.factories import make_article, make_provider, user_in_role

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


@pytest.fixture
def story_desk():
    """A story of three waiting articles (lead first), then an article without a story."""
    members = [
        make_article(
            f"Harbour fire, {name}",
            quality=quality,
            published=False,
            excerpt=f"The fire as {provider} tells it.",
            provider=make_provider(f"{provider.lower()}.example", provider),
        )
        for name, quality, provider in (
            ("the lead", 50, "Coast Daily"),
            ("a second view", 40, "Bay Times"),
            ("a third view", 30, "Harbour Herald"),
        )
    ]
    story = Story.objects.create()
    Article.objects.filter(pk__in=[m.pk for m in members]).update(story=story)
    Story.objects.filter(pk=story.pk).refresh_from_members()
    plain = make_article("Council meets", quality=20, published=False)
    user_in_role("editor", password=PASSWORD)
    return story, members, plain


def test_keys_on_a_story_entry_decide_the_whole_story_without_a_page_load(
    story_desk, live_server, chromium
):
    from playwright.sync_api import expect

    story, members, plain = story_desk
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = watch_errors(page)
        open_desk(page, live_server.url)
        page.evaluate("window.deskMarker = 'still the same page'")
        entry = page.locator(f'.desk-item[data-story-id="{story.pk}"]')
        expect(entry).to_have_attribute("aria-current", "true")
        expect(entry.locator(".desk-item-story")).to_have_text(
            "Story · 3 waiting · Bay Times, Coast Daily, Harbour Herald"
        )
        expect(page.locator(".desk-pane .desk-story-members li")).to_have_count(2)

        page.keyboard.press("p")  # the lead published, the rest kept: the next entry at once
        assert current_title(page) == "Council meets"
        expect(page.locator(".desk-status")).to_have_text(
            "Published the lead; the rest kept unpublished as coverage."
        )
        expect(entry).to_be_hidden()

        page.keyboard.press("z")  # the whole story back, as one entry, focused
        expect(page.locator(".desk-status")).to_contain_text("Undone: 3 articles")
        expect(page.locator('.desk-item[aria-current="true"]')).to_have_attribute(
            "data-story-id", str(story.pk)
        )
        expect(page.locator(".desk-item")).to_have_count(2)

        page.keyboard.press("?")
        expect(page.locator(".desk-help")).to_contain_text("publish all its waiting articles")
        page.keyboard.press("?")
        page.keyboard.press("a")  # publish all three
        expect(page.locator(".desk-status")).to_have_text("Published all of the story.")
        assert current_title(page) == "Council meets"
        page.keyboard.press("a")  # not a story: nothing happens to it
        expect(page.locator(".desk-status")).to_have_text("Publish all (a) is for a story's entry.")
        assert page.evaluate("window.deskMarker") == "still the same page"
        assert not errors, errors

    assert set(Article.objects.filter(story=story).values_list("published", flat=True)) == {True}
    assert Article.objects.get(pk=plain.pk).reviewed_at is None
    undone = ReviewDecision.objects.filter(change=ReviewDecision.Change.UNDO)
    assert undone.count() == 3 and undone.values("decided_at").distinct().count() == 1


@pytest.mark.requires("axe-core")
def test_the_grouped_desk_meets_no_accessibility_violations(story_desk, live_server, chromium):
    with chromium() as browser:
        ARTIFACTS.mkdir(exist_ok=True)
        violations = {}
        for width, height in ((390, 844), (1280, 900)):
            page = browser.new_page(viewport={"width": width, "height": height})
            errors = watch_errors(page)
            open_desk(page, live_server.url)
            found = axe_violations(page)
            if found:
                violations[width] = found
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            if width == 390:  # one entry at a time, with the story's actions
                assert page.locator(".desk-pane button.desk-publish-all").is_visible()
            page.screenshot(path=str(ARTIFACTS / f"desk-stories-{width}.png"), full_page=True)
            assert not errors, errors
            page.close()
    assert not violations, violations


@pytest.mark.requires("axe-core")
def test_a_big_story_with_a_live_lead_is_told_honestly_and_asked_once(live_server, chromium):
    """Findings 4, 5 and 11 of issue 26: the entry's headline and what is live, `x` on ten
    articles asked once; axe on the desk grouped and not, and on an article's page."""
    from playwright.sync_api import expect

    editor = user_in_role("editor", password=PASSWORD)
    members = [
        make_article(f"Storm, telling {n}", quality=90 - n, published=False) for n in range(10)
    ]
    story = Story.objects.create()
    Article.objects.filter(pk__in=[m.pk for m in members]).update(story=story)
    Story.objects.filter(pk=story.pk).refresh_from_members()
    members[0].set_published(True, editor, via="desk")  # the lead: live and decided
    make_article("Council meets", quality=20, published=False)
    with chromium() as browser:
        ARTIFACTS.mkdir(exist_ok=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = watch_errors(page)
        open_desk(page, live_server.url)
        entry = page.locator(f'.desk-item[data-story-id="{story.pk}"]')
        expect(entry.locator(".desk-item-title")).to_have_text("Storm, telling 0")
        expect(entry.locator(".desk-item-story")).to_contain_text("1 live, its lead too")
        expect(page.locator(".desk-pane .desk-story")).to_contain_text("Its lead is already live.")
        expect(page.locator(".desk-pane button.desk-publish")).to_contain_text(
            "Publish this one too"
        )
        found = {"grouped": axe_violations(page)}
        page.keyboard.press("x")
        expect(page.locator(".desk-status")).to_contain_text(
            "Keep unpublished all of this story: 9 articles? Press x again"
        )
        expect(entry).to_have_attribute("aria-current", "true")
        page.keyboard.press("x")
        expect(page.locator(".desk-status")).to_have_text("Kept all of the story unpublished.")
        assert current_title(page) == "Council meets"
        page.keyboard.press("g")  # one entry per article
        page.wait_for_url("**group=none**")
        page.wait_for_selector("[data-desk][data-keys-ready]", state="attached")
        found["ungrouped"] = axe_violations(page)
        assert not errors, errors  # on the desk (the admin's own page scripts aside)
        page.goto(f"{live_server.url}/admin/articles/article/{members[1].pk}/change/")
        expect(page.get_by_label("Go live at")).to_have_attribute("placeholder", "2026-12-20 08:00")
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(ARTIFACTS / f"article-schedule-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        found["article page"] = [
            v for v in axe_violations(page) if v["impact"] in ("critical", "serious")
        ]
        page.close()
    assert not any(found.values()), found
    assert Article.objects.filter(story=story, reviewed_at__isnull=True).count() == 0
    assert Article.objects.filter(story=story, published=True).count() == 1


def test_m_merges_the_story_that_might_be_the_same(story_desk, live_server, chromium):
    from playwright.sync_api import expect

    story, members, plain = story_desk
    other = make_article("Harbour blaze spreads", quality=10, published=False)
    near = Story.objects.create()
    Article.objects.filter(pk=members[1].pk).update(
        story_evidence={"how": "new", "near": {"article": other.pk, "score": 0.41}}
    )
    Article.objects.filter(pk=other.pk).update(story=near)
    Story.objects.filter(pk=near.pk).refresh_from_members()
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = watch_errors(page)
        open_desk(page, live_server.url)
        expect(page.locator(".desk-pane .desk-story-near")).to_contain_text("Harbour blaze spreads")
        page.keyboard.press("m")
        expect(page.locator(".desk-pane .desk-story-near")).to_have_count(0)
        page.screenshot(path=ARTIFACTS / "desk-stories-near-miss-merged.png")
        assert errors == []
    assert Article.objects.get(pk=other.pk).story_id == story.pk
    assert not Story.objects.filter(pk=near.pk).exists()
