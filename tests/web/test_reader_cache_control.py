"""Reader pages tell browsers and proxies how to keep them: `public, no-cache` with an ETag, so
a takedown is seen on the next visit and an unchanged page costs a 304 (issue 27, item 13)."""

import pytest

from articles.models import Article
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_reader_page_is_revalidated_by_browsers_and_a_takedown_is_seen_at_once(
    client, django_capture_on_commit_callbacks
):
    article = make_article("Harbour works begin")
    url = article.get_absolute_url()
    built, served = client.get(url), client.get(url)
    assert (built["X-Cache"], served["X-Cache"]) == ("miss", "hit")
    for response in (built, served):
        assert response["Cache-Control"] == "public, no-cache"
    assert built["ETag"] == served["ETag"]

    again = client.get(url, HTTP_IF_NONE_MATCH=served["ETag"])
    assert again.status_code == 304 and again.content == b""

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).set_published(False, None)
    assert client.get(url, HTTP_IF_NONE_MATCH=served["ETag"]).status_code == 404
    home = client.get("/")
    assert home["Cache-Control"] == "public, no-cache"
