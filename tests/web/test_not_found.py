"""Odd input is a 404 or a clear message, never a 500; and a 404 tells nobody that unpublished
articles exist, even with DEBUG's detailed error pages on."""

import pytest

from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "hidden, missing",
    [
        ("/topics/drafts/", "/topics/nothing-here/"),
        ("/topics/drafts/?before=0.1", "/topics/nothing-here/?before=0.1"),
        ("/providers/drafts.example/", "/providers/nothing-here.example/"),
        ("/providers/drafts.example/?before=0.1", "/providers/nothing-here.example/?before=0.1"),
    ],
)
def test_a_topic_or_provider_with_nothing_published_reads_as_one_that_does_not_exist(
    client, settings, hidden, missing
):
    settings.DEBUG = True  # the technical 404 page shows the view's message
    make_article("Draft", published=False, topics=("drafts",), provider=("D", "drafts.example"))
    shown = client.get(hidden)
    absent = client.get(missing)
    assert shown.status_code == absent.status_code == 404
    # The same page but for the path asked (DEBUG prints it, with and without its first "/").
    hidden_path, missing_path = hidden.split("?")[0][1:], missing.split("?")[0][1:]
    assert shown.content.decode().replace(hidden_path, "") == absent.content.decode().replace(
        missing_path, ""
    )
    assert b"No such page." in shown.content


@pytest.mark.parametrize(
    "url",
    [
        "/articles/9223372036854775807/x/",  # the largest id: no such article
        "/articles/9223372036854775808/x/",  # one more than a 64-bit id holds
        "/articles/99999999999999999999999999/x/",
        "/articles/9223372036854775808/share.png",
        "/articles/0/x/",
    ],
)
def test_an_id_the_database_cannot_hold_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_each_page_has_one_address_so_the_cache_holds_one_copy(client):
    article = make_article("One address", provider=("Example", "example.com"))
    assert client.get(f"/articles/00{article.pk}/{article.slug}/").status_code == 404
    response = client.get("/providers/EXAMPLE.com/")
    assert response.status_code == 301 and response["Location"] == "/providers/example.com/"
    assert client.get("/providers/example.com/").status_code == 200
