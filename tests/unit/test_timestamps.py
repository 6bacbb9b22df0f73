"""PostgreSQL's timestamps are read by psycopg's compiled loader (`articles.db.timestamps`)
and come back as Django's own loader gives them: the same moment, aware, in UTC."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from articles.db.timestamps import TIMESTAMPTZ, UtcTimestampLoader
from articles.models import Article
from tests.support.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.requires("postgresql database")]

MOMENTS = [
    dt.datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=dt.UTC),
    dt.datetime(2024, 7, 14, 22, 5, tzinfo=ZoneInfo("Europe/Paris")),  # summer time
    dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=-9, minutes=-30))),
]


def test_the_connection_reads_timestamps_with_the_compiled_loader():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ, 0)
    assert loader is UtcTimestampLoader
    with connection.cursor():  # Django checks the loader's zone before each cursor: it stays
        assert connection.connection.adapters.get_loader(TIMESTAMPTZ, 0) is UtcTimestampLoader


@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_a_stored_moment_reads_back_the_same_aware_and_in_utc(moment):
    article = make_article(source_published_at=moment)
    read = Article.objects.values_list("source_published_at", flat=True).get(pk=article.pk)
    assert read == moment
    assert read.utcoffset() == dt.timedelta(0) and read.tzinfo == dt.UTC
    assert read.microsecond == moment.microsecond
