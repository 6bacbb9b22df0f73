import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest
import yaml
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.db.locks import import_lock
from articles.ingest import run as imports
from articles.ingest import writer
from articles.ingest.corpus import Corpus
from articles.ingest.writer import Telling
from articles.models import Article, ImportRun, Provider, RelatedLink
from tests.support.seeds import SAMPLE_SEED, run_import, sample_fields, seed_text

pytestmark = pytest.mark.django_db

SAMPLE_URL = (
    "https://www.datanami.com/this-just-in/"
    "lenovo-announces-2b-ai-revenue-and-unveils-1b-global-expansion-plan/"
)


def writes(queries):
    return [
        q["sql"]
        for q in queries
        if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        and "articles_importrun" not in q["sql"]
    ]


def test_sample_seed_imports_with_every_field_in_place():
    result = run_import(SAMPLE_SEED)

    assert result.code == 0, result
    assert "1 file seen: 1 created" in result.out
    article = Article.objects.get()
    assert article.title == "Lenovo Announces $2B AI Revenue and Unveils $1B Global Expansion Plan"
    assert article.excerpt.startswith("Fueled by increased global digitalization")
    assert article.category == "news"
    assert article.type == "article"
    assert article.source_published_at == dt.datetime(2023, 6, 14, 12, 23, tzinfo=dt.UTC)
    assert article.original_url == SAMPLE_URL
    assert article.web_url == SAMPLE_URL
    assert article.canonical_url == SAMPLE_URL
    assert (article.quality, article.heat) == (19, 19)
    assert article.published is False
    assert article.source_published is False
    assert (article.provider.name, article.provider.domain) == ("datanami.com", "datanami.com")
    assert sorted(article.topics.names()) == ["AI", "AI Hardware"]
    assert article.secured == sample_fields()["secured"]
    assert article.extra == {}
    assert article.source_file == "000_0d7d1d0ba49d6fa5.txt"
    assert article.slug == "lenovo-announces-2b-ai-revenue-and-unveils-1b-global-expansion-plan"
    assert article.get_absolute_url() == f"/articles/{article.pk}/{article.slug}/"

    [link] = article.related_links.all()
    assert link.title.startswith("Targeting artificial intelligence")
    assert link.url.startswith("https://wraltechwire.com/2023/06/14/")
    assert link.source_published_at == dt.datetime(2023, 6, 14, 11, 47, tzinfo=dt.UTC)
    assert (link.type, link.quality, link.position) == ("article", 15, 0)
    assert (link.provider.name, link.provider.domain) == ("WRAL TechWire", "wraltechwire.com")

    run = ImportRun.objects.get()
    assert (run.status, run.files_seen, run.created, run.rejected) == ("finished", 1, 1, 0)
    assert article.import_run == run


def test_reimporting_an_unchanged_file_writes_nothing():
    run_import(SAMPLE_SEED)
    before = Article.objects.get()

    with CaptureQueriesContext(connection) as queries:
        result = run_import(SAMPLE_SEED)

    assert result.code == 0
    assert "0 created, 0 updated, 1 unchanged" in result.out
    assert writes(queries.captured_queries) == []
    assert Article.objects.get().updated_at == before.updated_at


def test_changed_seed_updates_source_fields_but_keeps_the_editors_decision(write_seed):
    fields = sample_fields()
    path = write_seed("item.txt", fields)
    run_import(path)
    editor = User.objects.create_user("editor")
    Article.objects.all().set_published(True, editor)
    original = Article.objects.get()

    fields.update(title="Lenovo revises its AI plan", quality=30, published=False, topics=["AI"])
    fields["related"] = []
    write_seed("item.txt", fields, body="New **body**.")
    result = run_import(path)

    assert result.code == 0
    assert "0 created, 1 updated" in result.out
    article = Article.objects.get()
    assert article.title == "Lenovo revises its AI plan"
    assert article.quality == 30
    assert article.body == "New **body**."
    assert list(article.topics.names()) == ["AI"]
    assert article.related_links.count() == 0
    # Editor-owned and stable fields stand.
    assert article.published is True
    assert article.reviewed_by == editor
    assert article.source_published is False
    assert article.get_absolute_url() == original.get_absolute_url()


def test_the_files_published_value_applies_when_the_article_is_created(write_seed):
    path = write_seed("item.txt", {**sample_fields(), "published": True})
    run_import(path)
    assert Article.objects.published().count() == 1


HTTP = "https://example.com/story"


def _fields(**changes):
    fields = sample_fields()
    fields["webUrl"] = fields["originalUrl"] = HTTP
    fields.update(changes)
    return {key: value for key, value in fields.items() if value is not ...}


BAD_FILES = {
    "not-utf8.txt": (
        seed_text(_fields()).encode("utf-8").replace(b"Lenovo", b"L\xe9novo"),
        "not UTF-8",
    ),
    "binary.txt": (bytes(range(256)) * 4, "binary"),
    "empty.txt": (b"", "empty"),
    "unclosed.txt": (
        b"---\ntitle: Hello\npublishedDateTime: 2023-06-14T12:23:00Z\n",
        "never closed",
    ),
    "no-front-matter.txt": (b"Just some text\n", "no front matter"),
    "list.txt": (b"---\n- a\n- b\n---\n", "not a list"),
    "scalar.txt": (b"---\njust a string\n---\n", "not a string"),
    "syntax.txt": (b"---\ntitle: ok\nexcerpt: [unclosed\n---\n", "YAML error"),
    "python-tag.txt": (
        b"---\ntitle: !!python/object/apply:os.system ['true']\n---\n",
        "YAML error",
    ),
    "alias.txt": (
        b'---\na: &a ["x","x"]\nb: &b [*a,*a]\ntitle: *b\n---\n',
        "aliases",
    ),
    "no-title.txt": (seed_text(_fields(title=...)), "title is missing"),
    "empty-title.txt": (seed_text(_fields(title="  ")), "title is missing or empty"),
    "list-title.txt": (seed_text(_fields(title=["a"])), "title must be text"),
    "no-date.txt": (seed_text(_fields(publishedDateTime=...)), "publishedDateTime is missing"),
    "bad-date.txt": (seed_text(_fields(publishedDateTime="yesterday")), "not a date"),
    "nul-escape.txt": (b'---\ntitle: "a\\0b"\n---\n', "NUL character"),
    "date-out-of-range.txt": (
        seed_text(_fields(publishedDateTime="0001-01-01T00:00:00+01:00")),
        "not a date",
    ),
    "javascript-url.txt": (
        seed_text(_fields(webUrl="javascript:alert(1)")),
        "webUrl is not an http(s) URL",
    ),
    "data-url.txt": (
        seed_text(_fields(originalUrl="data:text/html,<script>", webUrl=...)),
        "originalUrl is not an http(s) URL",
    ),
    "ftp-url.txt": (seed_text(_fields(webUrl="ftp://example.com/x")), "not an http(s) URL"),
    "no-url.txt": (seed_text(_fields(webUrl=..., originalUrl=...)), "one of them is required"),
    "deep.txt": (b"---\ntitle: " + b"[" * 5000 + b"]" * 5000 + b"\n---\n", "nest"),
    # Unquoted, YAML reads these as dates and the calendar has no such day.
    "no-such-day.txt": (b"---\ntitle: x\npublishedDateTime: 2023-02-30\n---\n", "2023-02-30"),
    "no-such-month.txt": (b"---\ntitle: x\nseen: 2023-13-01\n---\n", "not on the calendar"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_rejected_with_a_clear_message_and_the_rest_imports(
    name, write_seed, seed_dir
):
    content, reason = BAD_FILES[name]
    write_seed(name, content if isinstance(content, bytes) else content.encode("utf-8"))
    shutil.copy(SAMPLE_SEED, seed_dir / "good.txt")

    result = run_import(seed_dir)

    assert result.code == 1, result
    rejected_lines = [line for line in result.err.splitlines() if line.startswith("rejected")]
    assert len(rejected_lines) == 1, result.err
    assert name in rejected_lines[0]
    assert reason.lower() in rejected_lines[0].lower()
    assert "Traceback" not in result.err + result.out
    assert "1 rejected" in result.out
    assert Article.objects.get().source_file == "good.txt"
    run = ImportRun.objects.get()
    assert run.rejected == 1
    assert run.rejections[0]["file"].endswith(name)


def test_a_yaml_error_names_the_line(write_seed):
    path = write_seed("syntax.txt", "---\ntitle: ok\nexcerpt: ok\nquality: [1\n---\n")
    result = run_import(path)
    assert result.code == 1
    assert "syntax.txt:4: YAML error" in result.err, result.err  # `quality: [1` is line 4


def test_a_file_over_the_size_limit_is_refused_and_the_limit_can_be_changed(write_seed):
    path = write_seed("big.txt", _fields(), body="x" * 5000)

    refused = run_import(path, max_bytes=4096)
    assert refused.code == 1
    assert "over the limit of 4,096 bytes" in refused.err

    accepted = run_import(path, max_bytes=8192)
    assert accepted.code == 0
    assert Article.objects.count() == 1


def test_a_bad_related_entry_is_dropped_with_a_warning_and_the_article_imports(write_seed):
    fields = sample_fields()
    good = fields["related"][0]
    fields["related"] = [
        {**good, "webUrl": "javascript:alert(1)"},
        "not a mapping",
        {**good, "title": ""},
        good,
    ]
    path = write_seed("item.txt", fields)

    result = run_import(path)

    assert result.code == 0
    assert result.out.count("warning ") == 3
    assert "3 warnings" in result.out
    assert "related[1]: webUrl is not an http(s) URL" in result.out
    article = Article.objects.get()
    assert [link.url for link in article.related_links.all()] == [good["webUrl"]]


def test_wrong_optional_values_are_not_applied_but_kept(write_seed):
    fields = {**sample_fields(), "quality": "high", "topics": 5, "heat": -3}
    fields["mood"] = {"tone": "upbeat", "when": dt.date(2023, 1, 2)}
    path = write_seed("item.txt", fields)

    result = run_import(path)

    assert result.code == 0
    assert "quality: expected a whole number" in result.out
    article = Article.objects.get()
    assert article.quality is None
    assert article.heat is None
    assert list(article.topics.all()) == []
    assert article.extra == {
        "quality": "high",
        "topics": 5,
        "heat": -3,
        "mood": {"tone": "upbeat", "when": "2023-01-02"},
    }


def test_dry_run_reports_and_writes_nothing(seed_dir):
    shutil.copy(SAMPLE_SEED, seed_dir)
    with CaptureQueriesContext(connection) as queries:
        result = run_import(seed_dir, dry_run=True)

    assert result.code == 0
    assert "Dry run, nothing written" in result.out
    assert "1 would be created" in result.out
    assert [q for q in queries.captured_queries if q["sql"].split()[0] != "SELECT"] == []
    assert Article.objects.count() == 0
    assert ImportRun.objects.count() == 0


@pytest.mark.parametrize("batch_size", [1, 500], ids=["separate batches", "one batch"])
def test_the_same_url_in_two_files_makes_one_article(batch_size, write_seed, seed_dir):
    fields = sample_fields()
    write_seed("a.txt", fields)
    # Same identity: host case and a fragment do not make a new article.
    other = {
        **fields,
        "title": "Second telling",
        "webUrl": fields["webUrl"].replace("www.datanami.com", "WWW.Datanami.com") + "#top",
    }
    write_seed("b.txt", other)

    result = run_import(seed_dir, batch_size=batch_size)

    assert result.code == 0
    [warning] = [line for line in result.out.splitlines() if "same URL as" in line]
    assert "a.txt" in warning and "b.txt" in warning
    article = Article.objects.get()
    # Same source date: the later file name is the newer telling.
    assert article.title == "Second telling"

    # Importing the folder again does not flip the article back and forth between the two.
    for _ in range(2):
        again = run_import(seed_dir, batch_size=batch_size)
        assert "0 created, 0 updated, 2 unchanged" in again.out
        assert Article.objects.get().title == "Second telling"


def test_of_two_files_with_one_url_the_later_source_date_wins(write_seed, seed_dir):
    fields = sample_fields()
    write_seed("b-old.txt", {**fields, "title": "First version"})
    later = fields["publishedDateTime"] + dt.timedelta(hours=2)
    write_seed("a-new.txt", {**fields, "title": "Revised version", "publishedDateTime": later})

    for _ in range(3):
        run_import(seed_dir, batch_size=1)
        assert Article.objects.get().title == "Revised version"


def test_a_files_own_new_version_applies_even_with_an_earlier_source_date(write_seed, seed_dir):
    fields = sample_fields()
    later = fields["publishedDateTime"] + dt.timedelta(hours=2)
    write_seed("item.txt", {**fields, "title": "First version", "publishedDateTime": later})
    run_import(seed_dir)
    write_seed("item.txt", {**fields, "title": "Corrected date"})

    result = run_import(seed_dir)

    assert "0 created, 1 updated" in result.out
    assert Article.objects.get().title == "Corrected date"


def test_the_newer_telling_is_the_later_source_date_then_the_later_file_name():
    day = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    later = day + dt.timedelta(hours=1)

    assert Telling(later, "a.txt").is_newer_than(Telling(day, "b.txt"))
    assert Telling(day, "b.txt").is_newer_than(Telling(day, "a.txt"))
    assert not Telling(day, "a.txt").is_newer_than(Telling(day, "a.txt"))
    assert Telling(later, "b.txt").supersedes(Telling(day, "a.txt"))
    # A file's earlier version never stands against the file itself.
    assert not Telling(later, "a.txt").supersedes(Telling(day, "a.txt"))


def test_exit_codes(tmp_path, write_seed):
    good = write_seed("good.txt", sample_fields())
    assert run_import(good).code == 0
    bad = write_seed("bad.txt", b"")
    assert run_import(good, bad).code == 1
    missing = run_import(tmp_path / "nowhere")
    assert missing.code == 2
    assert "no such file or folder" in missing.err

    usage = subprocess.run(
        [sys.executable, "manage.py", "import_seeds", "--no-such-option"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert usage.returncode == 2
    assert "unrecognized arguments" in usage.stderr


def test_symbolic_links_are_not_followed(tmp_path, seed_dir):
    outside = tmp_path / "outside.txt"
    shutil.copy(SAMPLE_SEED, outside)
    (seed_dir / "link.txt").symlink_to(outside)

    result = run_import(seed_dir)

    assert result.code == 1
    assert "link.txt: symbolic link" in result.err
    assert Article.objects.count() == 0


def test_a_generated_corpus_imports_then_reimports_unchanged_then_partly_changed(tmp_path):
    corpus = Corpus(seed=7, providers=40, topics=30)
    folder = tmp_path / "corpus"
    corpus.write(folder, 300)

    first = run_import(folder, batch_size=64)
    assert first.code == 0, first.err
    assert "300 files seen: 300 created" in first.out
    assert Article.objects.count() == 300
    assert RelatedLink.objects.count() > 300
    assert Provider.objects.count() <= 40

    with CaptureQueriesContext(connection) as queries:
        again = run_import(folder, batch_size=64)
    assert "0 created, 0 updated, 300 unchanged" in again.out
    assert writes(queries.captured_queries) == []

    corpus.write(folder, 300, changed_every=10)
    changed = run_import(folder, batch_size=64)
    assert "0 created, 30 updated, 270 unchanged" in changed.out
    assert Article.objects.count() == 300
    changed_article = Article.objects.get(source_file=Corpus.file_name(10))
    new_fields = yaml.safe_load(corpus.item(10, variant=1).split("---\n")[1])
    assert changed_article.title == new_fields["title"]
    assert changed_article.related_links.count() == len(new_fields.get("related", []))
    assert changed_article.import_run == ImportRun.objects.first()  # the latest run


def test_a_symbolically_linked_folder_is_not_followed(tmp_path, seed_dir):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(SAMPLE_SEED, outside / "secret.txt")
    (seed_dir / "linked").symlink_to(outside, target_is_directory=True)

    result = run_import(seed_dir)

    assert result.code == 1
    assert "linked: symbolic link; not followed" in result.err
    assert Article.objects.count() == 0


def test_a_run_left_running_by_a_killed_import_is_closed_by_the_next_import():
    interrupted = ImportRun.objects.create(started_by="cron")  # as a SIGKILL leaves it

    assert run_import(SAMPLE_SEED).code == 0

    interrupted.refresh_from_db()
    assert interrupted.status == ImportRun.Status.FAILED
    assert interrupted.finished_at is not None
    assert ImportRun.objects.exclude(pk=interrupted.pk).get().status == "finished"


def test_run_import_closes_killed_runs_and_keeps_a_record_of_its_own(seed_dir):
    shutil.copy(SAMPLE_SEED, seed_dir)
    interrupted = ImportRun.objects.create(started_by="cron")  # as a SIGKILL leaves it

    summary = imports.run_import([seed_dir], max_bytes=settings.SEED_MAX_BYTES, started_by="api")

    assert (summary.seen, summary.created, summary.rejected) == (1, 1, 0)
    interrupted.refresh_from_db()
    assert interrupted.status == ImportRun.Status.FAILED
    run = ImportRun.objects.exclude(pk=interrupted.pk).get()
    assert (run.status, run.started_by, run.paths) == ("finished", "api", str(seed_dir))
    assert (run.files_seen, run.created) == (1, 1)
    assert Article.objects.get().import_run == run


def test_run_import_closes_its_record_as_failed_when_the_import_breaks(seed_dir, monkeypatch):
    shutil.copy(SAMPLE_SEED, seed_dir)

    def broken_upsert(*args, **kwargs):
        raise RuntimeError("not a database refusal: the whole import stops")

    monkeypatch.setattr(writer, "upsert_rows", broken_upsert)
    with pytest.raises(RuntimeError):
        imports.run_import([seed_dir], max_bytes=settings.SEED_MAX_BYTES)

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.finished_at is not None
    with import_lock():  # and it let go of the lock
        pass


def test_a_folder_named_on_the_command_line_may_itself_be_a_link(tmp_path, seed_dir):
    shutil.copy(SAMPLE_SEED, seed_dir)
    link = tmp_path / "incoming"
    link.symlink_to(seed_dir, target_is_directory=True)

    assert run_import(link).code == 0
    assert Article.objects.count() == 1


def test_a_folder_that_cannot_be_read_is_named_and_the_rest_imports(
    seed_dir, write_seed, monkeypatch
):
    write_seed("item.txt", sample_fields())
    (seed_dir / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):  # root reads anything, so refuse it here
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr("articles.ingest.files.os.scandir", scandir)
    result = run_import(seed_dir)

    assert result.code == 1
    assert "locked: cannot read this folder: Permission denied" in result.err
    assert Article.objects.count() == 1


def _seed_of(provider_name: str, number: int, *, published: bool) -> dict:
    url = f"https://www.datanami.com/item-{number}/"
    return {
        **sample_fields(),
        "title": f"Item {number}",
        "originalUrl": url,
        "webUrl": url,
        "published": published,
        "provider": {"name": provider_name, "domain": "datanami.com"},
    }


def test_a_held_seed_does_not_rename_a_provider_readers_see(write_seed, settings):
    settings.HOLD_NEW_ARTICLES = False
    run_import(write_seed("1.txt", _seed_of("Datanami", 1, published=True)))
    # An unpublished, unreviewed seed with a new name: readers' bylines keep the old one.
    run_import(write_seed("2.txt", _seed_of("Hijacked Name", 2, published=False)))
    assert Provider.objects.get(domain="datanami.com").name == "Datanami"
    [warning] = ImportRun.objects.latest("pk").warning_messages
    assert "2.txt: names provider datanami.com “Hijacked Name”" in warning
    assert "not applied" in warning
    # A seed readers may see renames it, and the run says so.
    run_import(write_seed("3.txt", _seed_of("Datanami News", 3, published=True)))
    assert Provider.objects.get(domain="datanami.com").name == "Datanami News"
    [warning] = ImportRun.objects.latest("pk").warning_messages
    assert warning.endswith(
        "3.txt: provider datanami.com renamed from “Datanami” to “Datanami News”"
    )
