"""A cached reader page never outlives an embargo or an expiry: not when the schedule arrives by
import (as `export_seeds` writes it), and not when the cache has culled the key that holds the
next scheduled change. The clock is moved with time-machine; nothing sleeps."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from articles import page_cache
from articles.models import Article
from tests.support.factories import make_article
from tests.support.seeds import run_import, sample_fields

pytestmark = pytest.mark.django_db

START = dt.datetime(2031, 5, 6, 9, 0, tzinfo=dt.UTC)
SOON = dt.timedelta(minutes=2)  # well inside a page's longest life (5 minutes)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_an_expiry_that_arrives_by_import_takes_down_cached_pages_on_time(
    clock, client, write_seed
):
    fields = {**sample_fields(), "published": True, "unpublishAt": (START + SOON).isoformat()}
    result = run_import(write_seed("item.txt", fields))
    assert result.code == 0, result
    title = Article.objects.get().title

    assert title in client.get("/").content.decode()
    assert title in client.get("/").content.decode()  # served from the cache
    clock.shift(SOON + dt.timedelta(seconds=1))
    assert title not in client.get("/").content.decode()


def test_an_embargo_that_arrives_by_import_shows_on_cached_pages_on_time(clock, client, write_seed):
    fields = {**sample_fields(), "published": True, "publishAt": (START + SOON).isoformat()}
    run_import(write_seed("item.txt", fields))
    title = Article.objects.get().title

    assert title not in client.get("/").content.decode()
    clock.shift(SOON + dt.timedelta(seconds=1))
    assert title in client.get("/").content.decode()


def test_a_culled_next_change_is_looked_up_again_before_a_page_is_stored(clock, client):
    make_article("Already out")
    embargoed = make_article("Out in a moment")
    Article.objects.filter(pk=embargoed.pk).update(publish_at=timezone.now() + SOON)
    page_cache.reader_pages_changed(Article.objects.next_schedule_change())

    cache.delete(page_cache.NEXT_CHANGE_KEY)  # as a full file cache culls a third of its keys
    assert "Out in a moment" not in client.get("/").content.decode()
    clock.shift(SOON + dt.timedelta(seconds=1))
    assert "Out in a moment" in client.get("/").content.decode()
