"""Faults and concurrency: killed imports, database errors, editors and imports at once."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection

from articles.imports import writer
from articles.models import Article
from bench.corpus import Corpus

from .conftest import run_import, sample_fields

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


@pytest.fixture
def scratch_database(tmp_path):
    """make(name) -> DATABASE_URL of a new, migrated database of the engine under test."""
    made = []
    server = os.environ.get("DATABASE_URL", "")

    def make(name):
        if server.startswith("postgres"):
            db = f"newsroom_scratch_{name}_{uuid.uuid4().hex[:8]}"
            base = server.rpartition("/")[0]
            subprocess.run(["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {db}"], check=True)
            made.append((base, db))
            url = f"{base}/{db}"
        else:
            url = f"sqlite:///{tmp_path / name}.sqlite3"
        manage(url, "migrate", "-v0")
        return url

    yield make
    for base, db in made:
        subprocess.run(
            ["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"]
        )


def manage(database_url, *args, check=True):
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(MANAGE + list(args), env=env, capture_output=True, text=True, check=check)


def count_articles(database_url, query="SELECT count(*) FROM articles_article") -> int:
    """Count from outside Django, as another program would, while an import runs."""
    if database_url.startswith("sqlite"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            return db.execute(query).fetchone()[0]
    with psycopg.connect(database_url) as db:
        return db.execute(query).fetchone()[0]


def exported(database_url, folder: Path) -> dict[str, str]:
    manage(database_url, "export_seeds", str(folder), "-v0")
    return {path.name: path.read_text(encoding="utf-8") for path in folder.iterdir()}


def test_an_import_killed_at_a_random_point_leaves_no_half_written_article(
    tmp_path, scratch_database
):
    corpus = tmp_path / "corpus"
    Corpus(seed=11, providers=50, topics=40).write(corpus, 800)
    # (800 files in batches of 40: 20 commits to kill between.)
    reference_db = scratch_database("reference")
    manage(reference_db, "import_seeds", str(corpus), "-v0", "--batch-size", "40")
    reference = exported(reference_db, tmp_path / "reference")
    assert len(reference) == 800

    killed_db = scratch_database("killed")
    env = {**os.environ, "DATABASE_URL": killed_db}
    process = subprocess.Popen(
        MANAGE + ["import_seeds", str(corpus), "-v0", "--batch-size", "40"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Kill it once a random number of articles is in: at a random point of a later batch.
    target = random.Random().randint(1, 600)
    deadline = time.monotonic() + 60
    while count_articles(killed_db) < target and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()

    partial = exported(killed_db, tmp_path / "partial")
    assert len(partial) < 800, "the import finished before it was killed; kill it sooner"
    # Every article that made it in is whole: identical to its uninterrupted counterpart.
    for name, text in partial.items():
        assert text == reference[name], name

    running = "SELECT count(*) FROM articles_importrun WHERE status = 'running'"
    assert count_articles(killed_db, running) == 1  # the killed run never closed its record
    manage(killed_db, "import_seeds", str(corpus), "-v0", "--batch-size", "40")
    assert exported(killed_db, tmp_path / "resumed") == reference
    assert count_articles(killed_db, running) == 0  # the next import closed it


@pytest.mark.django_db
def test_a_database_error_on_one_file_rejects_that_file_only(monkeypatch, seed_dir, write_seed):
    write_seed("good.txt", sample_fields())
    poisoned = {**sample_fields(), "title": "Poison", "webUrl": "https://example.com/poison"}
    write_seed("poison.txt", poisoned)
    real_upsert = writer.upsert_rows

    def failing_upsert(model, rows, **kwargs):
        if any(row.get("title") == "Poison" for row in rows):
            raise IntegrityError("simulated failure")
        return real_upsert(model, rows, **kwargs)

    monkeypatch.setattr(writer, "upsert_rows", failing_upsert)
    result = run_import(seed_dir)

    assert result.code == 1
    assert "poison.txt: the database refused it: simulated failure" in result.err
    assert list(Article.objects.values_list("source_file", flat=True)) == ["good.txt"]


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL) for real concurrent connections",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_editor_publishing_during_an_import_of_the_same_article_both_land(
    monkeypatch, write_seed
):
    path = write_seed("item.txt", sample_fields())
    run_import(path)
    editor = User.objects.create_user("editor")
    write_seed("item.txt", {**sample_fields(), "title": "Updated by the source"})

    inside_import = threading.Event()
    real_write_topics = writer.BatchWriter._write_topics

    def slow_write_topics(self, items, ids):
        inside_import.set()
        time.sleep(1.0)  # hold the import's transaction open while the editor acts
        return real_write_topics(self, items, ids)

    monkeypatch.setattr(writer.BatchWriter, "_write_topics", slow_write_topics)
    results = {}

    def import_in_thread():
        try:
            results["import"] = run_import(path)
        finally:
            connection.close()

    thread = threading.Thread(target=import_in_thread)
    thread.start()
    assert inside_import.wait(10)
    changed = Article.objects.all().set_published(True, editor)  # waits for the import's row lock
    thread.join(20)

    assert results["import"].code == 0
    assert changed == 1
    article = Article.objects.get()
    assert article.title == "Updated by the source"
    assert article.published is True
    assert article.reviewed_by == editor
