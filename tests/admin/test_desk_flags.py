"""Import rules' flags on the desk: a flagged article shows in the saved view it was flagged for
(beside the view's filters' matches), marked "Flagged for <view> by rule <rule>", until it is
decided; `?flagged=1` lists every flagged item; the view's first load keeps the query budget."""

import importlib
import re

import pytest
from django.apps import apps

from articles.models import ImportRule, RuleFiring, SavedDeskView
from tests.support.admin import log_in
from tests.support.desk import DESK, JSON, listed_ids
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def flag(article, view, rule_name="Wires at dawn"):
    rule = ImportRule.objects.create(
        name=f"{rule_name} {view.pk}-{article.pk}", action="flag", desk_view=view
    )
    return RuleFiring.objects.create(
        article=article,
        rule=rule,
        rule_name=rule_name,
        action="flag",
        detail=view.name,
        desk_view=view,
    )


@pytest.fixture
def desk(client):
    editor = log_in(client, "editor")
    markets = SavedDeskView.objects.create(owner=editor, name="Markets", query="quality_band=high")
    sport = SavedDeskView.objects.create(owner=editor, name="Sport", query="quality_band=high")
    good = make_article(title="A good one", quality=90, published=False)
    flagged = make_article(title="A flagged low one", quality=5, published=False)
    plain = make_article(title="A plain low one", quality=5, published=False)
    flag(flagged, markets)
    return {"markets": markets, "sport": sport, "good": good, "flagged": flagged, "plain": plain}


def opened(client, view, **params):
    return client.get(DESK, {"view": view.pk, **params})


def test_a_flagged_article_shows_in_its_view_and_not_in_another(client, desk):
    assert set(listed_ids(opened(client, desk["markets"]))) == {
        desk["good"].pk,
        desk["flagged"].pk,
    }
    assert listed_ids(opened(client, desk["sport"])) == [desk["good"].pk]
    # The view's filters alone (as before views could be flagged for) do not list it.
    assert desk["flagged"].pk not in listed_ids(client.get(DESK, {"quality_band": "high"}))


def test_the_saved_views_link_opens_the_view_with_its_flags_and_counts_them(client, desk):
    page = client.get(DESK).content.decode()
    assert f"view={desk['markets'].pk}" in page
    assert re.search(r'Markets <span class="desk-count">2</span>', page)
    assert re.search(r'Sport <span class="desk-count">1</span>', page)


def test_a_flagged_item_says_for_which_view_and_by_which_rule(client, desk):
    page = opened(client, desk["markets"]).content.decode()
    mark = "<strong>Flagged for Markets by rule Wires at dawn</strong>"
    assert page.count(f'<span class="desk-item-flag">{mark}') == 1  # in the list
    assert page.count(f'<p class="desk-flag">{mark}') == 1  # in its reading pane, on a phone too
    # Also on the plain desk, and once the view is deleted, by the name recorded.
    desk["markets"].delete()
    assert "Flagged for Markets by rule Wires at dawn" in client.get(DESK).content.decode()


def test_the_flagged_filter_lists_every_flagged_item(client, desk):
    other = make_article(title="Flagged for sport", quality=50, published=False)
    flag(other, desk["sport"], rule_name="Cup final")
    assert set(listed_ids(client.get(DESK, {"flagged": "1"}))) == {desk["flagged"].pk, other.pk}
    assert 'name="flagged" value="1" checked' in client.get(DESK, {"flagged": "1"}).text


def test_a_decided_flagged_article_leaves_the_view(client, desk):
    article = desk["flagged"]
    response = client.post(f"/admin/desk/{article.pk}/decide/", {"decision": "publish"}, **JSON)
    assert response.status_code == 200
    assert article.pk not in listed_ids(opened(client, desk["markets"]))
    assert article.pk not in listed_ids(client.get(DESK, {"flagged": "1"}))


def test_saving_a_view_keeps_its_filters_not_the_view_it_was_opened_from(client, desk):
    query = f"quality_band=high&view={desk['markets'].pk}"
    client.post("/admin/desk/views/", {"name": "Copy", "query": query})
    assert SavedDeskView.objects.get(name="Copy").query == "quality_band=high"


def test_a_flagged_views_first_load_keeps_the_desks_query_budget(
    client, desk, django_assert_max_num_queries
):
    for number in range(40):
        article = make_article(quality=number % 40, topics=["Sea"], published=False)
        if number % 3 == 0:
            flag(article, desk["markets"])
    opened(client, desk["markets"])  # the category choices are cached from here on
    with django_assert_max_num_queries(11):  # the desk's 10, and the view opened
        response = opened(client, desk["markets"])
    assert len(listed_ids(response)) > 14  # the 14 flagged, and the view's matches
    assert response.text.count("Flagged for Markets by rule") >= 14


def test_the_migration_links_recorded_firings_to_their_views(desk):
    migration = importlib.import_module(
        "articles.migrations.0025_imports_flags_rule_firing_desk_view"
    )
    firing = RuleFiring.objects.get()
    RuleFiring.objects.update(desk_view=None)
    RuleFiring.objects.create(
        article=desk["plain"], rule_name="gone", action="flag", detail="No such view"
    )
    migration.backfill(apps, None)
    firing.refresh_from_db()
    assert firing.desk_view == desk["markets"]
    assert RuleFiring.objects.get(rule_name="gone").desk_view is None


def test_an_imports_first_flag_shows_on_the_next_desk_load(
    client, write_seed, seed_dir, django_capture_on_commit_callbacks
):
    from tests.support.seeds import run_import, sample_fields

    editor = log_in(client, "editor")
    view = SavedDeskView.objects.create(owner=editor, name="Wires", query="quality_band=high")
    ImportRule.objects.create(name="Every wire", action="flag", desk_view=view)
    assert "Flagged for" not in client.get(DESK).text  # the desk now knows of no flag
    write_seed("a.txt", sample_fields())
    with django_capture_on_commit_callbacks(execute=True):
        run_import(seed_dir)
    assert "Flagged for Wires by rule Every wire" in client.get(DESK).text
