"""Watched sources: each new or changed settled file imported once; half-written files wait;
a file appearing mid-poll is picked up by the next poll; each source's health."""

import datetime as dt
import os
import time

import pytest
from django.utils import timezone

from articles.db.locks import import_lock
from articles.ingest import sources
from articles.models import Article, ImportRun, ImportSource
from articles.tasks.periodic import PERIODIC
from tests.support.seeds import sample_fields, seed_text

pytestmark = pytest.mark.django_db


def seed(n, **changes):
    data = sample_fields()
    data.update(
        title=f"Watched story {n}",
        originalUrl=f"https://example.com/w-{n}",
        webUrl=f"https://example.com/w-{n}",
    )
    data.update(changes)
    return seed_text(data)


def settled(path):
    old = time.time() - 3600
    os.utime(path, (old, old))
    return path


@pytest.fixture
def folder(tmp_path, settings):
    watched = tmp_path / "drop"
    watched.mkdir()
    settings.IMPORT_SOURCES = [str(watched)]
    settings.IMPORT_SETTLE_SECONDS = 30
    return watched


def drop(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return settled(path)


def test_new_and_changed_files_are_imported_once(folder):
    drop(folder, "a.txt", seed(1))
    drop(folder, "b.txt", seed(2))
    assert sources.poll().files == 2
    assert Article.objects.count() == 2
    assert sources.poll().files == 0  # nothing new: no run, nothing read
    assert ImportRun.objects.count() == 1

    path = drop(folder, "a.txt", seed(1, title="Watched story 1, updated"))
    os.utime(path, (time.time() - 1000, time.time() - 1000))
    assert sources.poll().files == 1
    assert Article.objects.filter(title="Watched story 1, updated").exists()


def test_half_written_files_wait_for_the_next_poll(folder):
    (folder / "a.txt.part").write_text(seed(1)[:40], encoding="utf-8")  # being written
    (folder / "b.txt").write_text(seed(2), encoding="utf-8")  # just written: not settled
    assert sources.poll().files == 0
    assert not Article.objects.exists()

    (folder / "a.txt.part").write_text(seed(1), encoding="utf-8")
    settled(folder / "a.txt.part").rename(folder / "a.txt")
    settled(folder / "b.txt")
    assert sources.poll().files == 2
    assert Article.objects.count() == 2


def test_a_file_appearing_while_a_poll_runs_is_imported_by_the_next(folder, monkeypatch):
    drop(folder, "a.txt", seed(1))
    real_import = sources.run_import

    def import_while_a_file_arrives(paths, **options):
        drop(folder, "late.txt", seed(9))  # after the listing, during the run
        return real_import(paths, **options)

    monkeypatch.setattr(sources, "run_import", import_while_a_file_arrives)
    assert sources.poll().files == 1
    monkeypatch.setattr(sources, "run_import", real_import)
    assert Article.objects.count() == 1
    assert sources.poll().files == 1
    assert Article.objects.filter(title="Watched story 9").exists()


def test_another_import_running_leaves_the_files_for_the_next_poll(folder):
    drop(folder, "a.txt", seed(1))
    with import_lock():
        result = sources.poll()
    assert result.files == 0 and "another import is running" in result.refused
    assert not ImportRun.objects.exists()
    assert sources.poll().files == 1


def test_each_source_keeps_its_health_and_warns_when_silent_longer_than_usual(folder):
    drop(folder, "a.txt", seed(1))
    drop(folder, "bad.txt", "---\ntitle: [unclosed\n---\n")
    start = timezone.now()
    sources.poll(now=start)
    source = ImportSource.objects.get()
    assert (source.files_seen, source.rejected, source.last_run) == (2, 1, ImportRun.objects.get())
    drop(folder, "b.txt", seed(2))
    sources.poll(now=start + dt.timedelta(minutes=10))
    source.refresh_from_db()
    assert source.usual_gap == 600
    assert not source.silent_too_long(now=start + dt.timedelta(minutes=30))
    assert source.silent_too_long(now=start + dt.timedelta(minutes=50))


def test_the_worker_polls_every_import_every_minutes(settings):
    entry = next(p for p in PERIODIC if p.task == "articles.tasks.imports.poll_sources")
    settings.IMPORT_EVERY = 2
    assert entry.seconds() == 120


def test_the_admin_index_shows_each_sources_health(client, folder):
    from django.urls import reverse

    from tests.support.factories import user_in_role

    drop(folder, "a.txt", seed(1))
    drop(folder, "bad.txt", "---\ntitle: [unclosed\n---\n")
    sources.poll(now=timezone.now() - dt.timedelta(hours=10))
    drop(folder, "b.txt", seed(2))
    sources.poll(now=timezone.now() - dt.timedelta(hours=9))  # usually hourly; silent 9 h now
    client.force_login(user_in_role("staff"))
    page = client.get(reverse("admin:index")).text
    assert str(folder) in page
    assert "1 file, 0 rejected" in page
    assert "Silent for longer than usual." in page
