"""An import rule's flag in Chromium: the flagged item shows its mark in the list, with
JavaScript and without, and opening its saved view lists it."""

import pytest

from articles.models import ImportRule, RuleFiring, SavedDeskView
from tests.support.desk import PASSWORD, open_desk
from tests.support.factories import make_article, user_in_role

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]

MARK = "Flagged for Markets by rule Wires at dawn"


@pytest.fixture
def flagged():
    editor = user_in_role("editor", password=PASSWORD)
    view = SavedDeskView.objects.create(owner=editor, name="Markets", query="quality_band=high")
    make_article("Harbour works resume", quality=90, published=False)
    article = make_article("Bond yields slip", quality=5, published=False)
    rule = ImportRule.objects.create(name="Wires at dawn", action="flag", desk_view=view)
    RuleFiring.objects.create(
        article=article, rule=rule, rule_name=rule.name, action="flag", desk_view=view
    )
    return article


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_flagged_item_shows_its_mark_on_the_desk(flagged, live_server, chromium, javascript):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_context(java_script_enabled=javascript).new_page()
        open_desk(page, live_server.url, keys=javascript)
        item = page.locator(f'.desk-item[data-article-id="{flagged.pk}"]')
        expect(item.locator(".desk-item-flag")).to_have_text(MARK)
        page.get_by_role("link", name="Markets").first.click()
        expect(page.locator(".desk-item")).to_have_count(2)
        expect(page.locator(f'.desk-item[data-article-id="{flagged.pk}"]')).to_contain_text(MARK)
