"""The admin's article list searches the same index readers do, and the providers; it says so
when a search matches more than the list holds."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from tests.support.admin import CHANGELIST, log_in
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def test_the_admin_list_searches_the_index_and_providers(client):
    make_article("Société Générale results", body="Record profits in Paris.")
    make_article("Harbour news", provider=("Farm Weekly", "farm.example"))
    make_article("Unpublished draft about Paris", published=False)
    log_in(client, "editor")

    def listed(search):
        response = client.get(CHANGELIST, {"q": search})
        return sorted(article.title for article in response.context["cl"].result_list)

    assert listed("societe") == ["Société Générale results"]
    assert listed("profit") == ["Société Générale results"]  # body words too, word forms
    assert listed("paris") == ["Société Générale results", "Unpublished draft about Paris"]
    assert listed("paris -draft") == ["Société Générale results"]
    assert listed('"profits in paris"') == ["Société Générale results"]
    assert listed('"paris in profits"') == []
    assert listed("farm.ex harbour") == ["Harbour news"]  # the provider's domain
    assert listed("weekly or societe") == ["Harbour news", "Société Générale results"]


def test_a_search_matching_more_than_the_list_holds_lists_the_newest_and_says_so(
    client, monkeypatch
):
    monkeypatch.setattr("articles.admin.queue_search.LISTED_AT_MOST", 3)
    oldest_best = make_article(
        "Harbour harbour harbour",
        quality=40,
        source_published_at=timezone.make_aware(datetime.datetime(2019, 5, 1)),
    )
    for number in range(4):
        make_article(f"Ferry {number}", body="Near the harbour.", quality=number)
    log_in(client, "editor")

    response = client.get(CHANGELIST, {"q": "harbour"})
    listed = [article.title for article in response.context["cl"].result_list]
    assert listed == ["Ferry 3", "Ferry 2", "Ferry 1"]  # the newest three, best first
    page = html.unescape(response.content.decode())
    assert "More than 3 articles match “harbour”" in page
    assert "3 most recently imported" in page
    assert "More than 3 results" in page  # beside the search box, not "3 results"
    assert not re.search(r"quiet\">\s*3 results", page)
    # The date bar offers the older years too, and a year narrows the search before the cap.
    assert "?q=harbour&amp;source_published_at__year=2019" in response.content.decode()
    response = client.get(CHANGELIST, {"q": "harbour", "source_published_at__year": "2019"})
    assert list(response.context["cl"].result_list) == [oldest_best]
    assert "More than" not in response.content.decode()
    # Fewer matches than that: every one, and no such note.
    response = client.get(CHANGELIST, {"q": "harbour -ferry"})
    assert list(response.context["cl"].result_list) == [oldest_best]
    assert "More than" not in response.content.decode()


def test_a_provider_named_in_a_capped_search_still_matches(client, monkeypatch):
    monkeypatch.setattr("articles.admin.queue_search.LISTED_AT_MOST", 2)
    for number in range(3):
        make_article(f"Grain prices {number}", provider=("Farm Weekly", "farm.example"))
    make_article("Harbour news")
    log_in(client, "editor")
    response = client.get(CHANGELIST, {"q": "farm.ex"})
    listed = sorted(article.title for article in response.context["cl"].result_list)
    assert listed == ["Grain prices 1", "Grain prices 2"]
    assert response.context["cl"].search_capped
