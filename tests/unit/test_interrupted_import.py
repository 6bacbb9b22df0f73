"""A killed import's record is closed by the next one with what it wrote, counted from the
articles that point to it, not the zeros it never got to replace (issue 27, item 13)."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article, ImportRun
from tests.support.factories import make_article
from tests.support.seeds import SAMPLE_SEED, run_import

pytestmark = pytest.mark.django_db


def test_the_next_import_counts_what_a_killed_run_wrote():
    older = make_article("Imported long ago")
    Article.objects.filter(pk=older.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    killed = ImportRun.objects.create(started_at=timezone.now() - dt.timedelta(hours=1))
    made = [make_article(f"Written by the killed run {n}") for n in range(3)]
    Article.objects.filter(pk__in=[older.pk, *(a.pk for a in made)]).update(import_run=killed)

    assert run_import(SAMPLE_SEED).code == 0

    killed.refresh_from_db()
    assert killed.status == ImportRun.Status.FAILED and killed.finished_at is not None
    assert (killed.created, killed.updated) == (3, 1)
