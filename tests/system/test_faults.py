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
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections

from articles.ingest import writer
from articles.ingest.corpus import Corpus
from articles.models import Article
from tests.support.seeds import run_import, sample_fields

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]
CORPUS_FILES, BATCH_SIZE = 120, 10  # twelve batches, each written and committed on its own
MIDDLE_BATCH = CORPUS_FILES // BATCH_SIZE // 2

# `manage.py import_seeds`, in a process that counts the SQL statements it sends on Django's
# connection: with KILL_AT=n it kills itself (SIGKILL) just before sending statement n; with
# STATEMENT_LOG it writes the first words of each statement there, one a line.
IMPORT_COUNTING_STATEMENTS = """
import os, signal, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection

kill_at = int(os.environ.get("KILL_AT", "0"))
log = open(os.environ["STATEMENT_LOG"], "w") if os.environ.get("STATEMENT_LOG") else None
sent = 0

def count(execute, sql, params, many, context):
    global sent
    sent += 1
    if sent == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    if log:
        print(" ".join(sql.split()[:3]), file=log, flush=True)
    return execute(sql, params, many, context)

with connection.execute_wrapper(count):
    call_command("import_seeds", *sys.argv[1:])
"""


def child_env(database_url: str, **more) -> dict:
    # A cache of its own (not the project's .cache folder): pages are not what is tested here.
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": "locmemcache://",
        **more,
    }


def manage(database_url, *args, check=True):
    return subprocess.run(
        MANAGE + list(args),
        env=child_env(database_url),
        capture_output=True,
        text=True,
        check=check,
    )


def import_counting_statements(database_url, corpus: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", IMPORT_COUNTING_STATEMENTS, str(corpus), "-v0"]
        + ["--batch-size", str(BATCH_SIZE)],
        env=child_env(database_url, **env),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def query(database_url, sql) -> list[tuple]:
    """Rows read from outside Django, as another program would."""
    if database_url.startswith("sqlite"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            return db.execute(sql).fetchall()
    with psycopg.connect(database_url) as db:
        return db.execute(sql).fetchall()


def articles_with_their_rows(database_url) -> dict[str, tuple]:
    """{canonical URL: (title, provider, topics, related links in order)} from the tables."""
    topics, related = {}, {}
    for article_id, name in query(
        database_url,
        "SELECT ta.content_object_id, t.name FROM articles_taggedarticle ta"
        " JOIN taggit_tag t ON t.id = ta.tag_id",
    ):
        topics.setdefault(article_id, set()).add(name)
    for article_id, position, url, title in query(
        database_url, "SELECT article_id, position, url, title FROM articles_relatedlink"
    ):
        related.setdefault(article_id, []).append((position, url, title))
    return {
        url: (title, domain, topics.get(pk, set()), sorted(related.get(pk, [])))
        for pk, url, title, domain in query(
            database_url,
            "SELECT a.id, a.canonical_url, a.title, p.domain FROM articles_article a"
            " JOIN articles_provider p ON p.id = a.provider_id",
        )
    }


def exported(database_url, folder: Path) -> dict[str, str]:
    manage(database_url, "export_seeds", str(folder), "-v0")
    return {path.name: path.read_text(encoding="utf-8") for path in folder.iterdir()}


@pytest.fixture(scope="module")
def scratch_database(tmp_path_factory):
    """make(name) -> DATABASE_URL of a new, migrated database of the engine under test (a copy
    of one migrated once: PostgreSQL's CREATE DATABASE ... TEMPLATE, or SQLite's backup)."""
    folder = tmp_path_factory.mktemp("databases")
    server = os.environ.get("DATABASE_URL", "")
    on_postgresql = server.startswith("postgres")
    base = server.rpartition("/")[0]
    made = []

    def psql(sql, check=True):
        subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=check)

    def new(name, template=None) -> str:
        name = f"newsroom_scratch_{name}_{uuid.uuid4().hex[:8]}"
        if on_postgresql:
            psql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
            made.append(name)
            return f"{base}/{name}"
        path = folder / f"{name}.sqlite3"
        if template:
            with closing(sqlite3.connect(template.removeprefix("sqlite:///"))) as source:
                with closing(sqlite3.connect(path)) as copy:
                    source.backup(copy)
        return f"sqlite:///{path}"

    template = new("template")
    manage(template, "migrate", "-v0")
    template_name = template.rpartition("/")[2] if on_postgresql else template

    yield lambda name: new(name, template_name)
    for name in made:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", check=False)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, scratch_database):
    """An uninterrupted import of the corpus: its database, export, rows and statements."""
    folder = tmp_path_factory.mktemp("reference")
    corpus = folder / "corpus"
    Corpus(seed=11, providers=50, topics=40).write(corpus, CORPUS_FILES)
    database = scratch_database("reference")
    log = folder / "statements.txt"
    result = import_counting_statements(database, corpus, STATEMENT_LOG=str(log))
    assert result.returncode == 0, result.stderr
    return {
        "corpus": corpus,
        "export": exported(database, folder / "export"),
        "rows": articles_with_their_rows(database),
        "statements": log.read_text().splitlines(),
    }


def nth(statements: list[str], start: str, n: int) -> int:
    """The number (from 1) of the n-th statement that begins with `start`; n=-1: the last."""
    numbers = [number for number, sql in enumerate(statements, 1) if sql.startswith(start)]
    return numbers[n - 1 if n > 0 else n]


# Statements of a batch's transaction, in the order the import sends them (each batch of this
# corpus has related links, written last).
BATCH_BEGINS = 'SELECT "articles_article"."canonical_url"'
ARTICLES_WRITTEN = 'INSERT INTO "articles_article"'
LINKS_WRITTEN = 'INSERT INTO "articles_relatedlink"'


def seeded_point(seed: int):
    """A statement drawn with random.Random(seed), from the first batch's first one to the last
    batch's last write: the same one for the same seed and corpus, every run."""

    def point(statements):
        first, last = nth(statements, BATCH_BEGINS, 1), nth(statements, LINKS_WRITTEN, -1)
        return random.Random(seed).randint(first, last)

    return point


# Where the import is killed: just before the statement each of these picks out of the
# uninterrupted import's statements.
IN_THE_MIDDLE_BATCH = {
    "a batch begun, nothing of it written": lambda log: nth(log, BATCH_BEGINS, MIDDLE_BATCH),
    "a batch's articles written, not their topics": (
        lambda log: nth(log, ARTICLES_WRITTEN, MIDDLE_BATCH) + 1
    ),
    "a batch's topics written, not its related links": (
        lambda log: nth(log, LINKS_WRITTEN, MIDDLE_BATCH)
    ),
}
KILL_POINTS = {
    **IN_THE_MIDDLE_BATCH,
    "a statement drawn with seed 1": seeded_point(1),
}


@pytest.mark.slow
@pytest.mark.parametrize("point", KILL_POINTS)
def test_an_import_killed_at_any_point_leaves_no_half_written_article(
    point, tmp_path, scratch_database, reference
):
    kill_at = KILL_POINTS[point](reference["statements"])
    killed_db = scratch_database("killed")

    killed = import_counting_statements(killed_db, reference["corpus"], KILL_AT=str(kill_at))

    assert killed.returncode == -signal.SIGKILL, f"not killed at statement {kill_at}"
    rows = articles_with_their_rows(killed_db)
    # Whole batches only: each commits on its own, and the one it was in left nothing.
    assert len(rows) % BATCH_SIZE == 0 and len(rows) < CORPUS_FILES
    if point in IN_THE_MIDDLE_BATCH:
        assert len(rows) == (MIDDLE_BATCH - 1) * BATCH_SIZE
    # Every article in is whole: its topics and related links are all there, and it exports
    # exactly as its uninterrupted counterpart does.
    assert rows == {url: reference["rows"][url] for url in rows}
    partial = exported(killed_db, tmp_path / "partial")
    assert len(partial) == len(rows)
    assert partial == {name: reference["export"][name] for name in partial}

    runs = "SELECT id, status, finished_at FROM articles_importrun ORDER BY id"
    [(killed_run, status, finished_at)] = query(killed_db, runs)
    assert (status, finished_at) == ("running", None)  # the killed run never closed its record

    manage(killed_db, "import_seeds", str(reference["corpus"]), "-v0")
    assert exported(killed_db, tmp_path / "resumed") == reference["export"]
    # The next import closed the killed run's record as failed, and finished its own.
    (_, status, finished_at), (_, resumed_status, _) = query(killed_db, runs)
    assert status == "failed" and finished_at is not None
    assert resumed_status == "finished"


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


def a_connection_waits_for_a_lock(seconds: float = 10) -> bool:
    """Whether, within `seconds`, another connection to the test database waits for a lock
    (PostgreSQL). Asked on a connection of its own: each question sees the present."""
    watcher = connections.create_connection(DEFAULT_DB_ALIAS)
    deadline = time.monotonic() + seconds
    try:
        with watcher.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    return True
                time.sleep(0.01)  # polling the other connection's state, not waiting out a time
    finally:
        watcher.close()
    return False


@pytest.mark.postgres
@pytest.mark.requires("postgresql database")  # for real concurrent connections
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

    def slow_write_topics(self, *batch):
        inside_import.set()
        # The import's transaction stays open until the editor's update waits for its row lock.
        results["editor waited"] = a_connection_waits_for_a_lock()
        return real_write_topics(self, *batch)

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

    assert results["editor waited"], "the editor's update never waited for the import"
    assert results["import"].code == 0
    assert changed == 1
    article = Article.objects.get()
    assert article.title == "Updated by the source"
    assert article.published is True
    assert article.reviewed_by == editor
