"""Reader pages cached in real Redis (the production cache), refreshed on publish, unpublish and
re-import. Skips off CI when Redis is not running; fails in CI (tests/support/requirements.py)."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from articles.models import Article
from articles.page_cache import NEXT_CHANGE_KEY, VERSION_KEY
from tests.support.seeds import run_import, sample_fields
from tests.support.services import REDIS_URL, redis_cache

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

TITLE = "Lenovo Announces $2B AI Revenue and Unveils $1B Global Expansion Plan"


@pytest.fixture
def redis_pages():
    with override_settings(CACHES=redis_cache(REDIS_URL)):
        yield
        cache.delete_many([VERSION_KEY, NEXT_CHANGE_KEY])  # page keys expire on their own


def test_pages_cached_in_redis_follow_publish_unpublish_and_reimport(
    redis_pages, client, write_seed, django_assert_num_queries, django_capture_on_commit_callbacks
):
    path = write_seed("item.txt", sample_fields())
    run_import(path)
    article = Article.objects.get()

    assert TITLE not in client.get("/").content.decode()
    with django_assert_num_queries(1):  # served from Redis (1: the reader-pages version)
        assert TITLE not in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.all().set_published(True, None)
    assert TITLE in client.get("/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200
    with django_assert_num_queries(1):
        assert TITLE in client.get(article.get_absolute_url()).content.decode()

    write_seed("item.txt", {**sample_fields(), "title": "Lenovo scales back its AI plan"})
    run_import(path)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Lenovo scales back its AI plan" in page and TITLE not in page

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.all().set_published(False, None)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Lenovo scales back" not in client.get("/").content.decode()
