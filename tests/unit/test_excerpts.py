"""Huge excerpts (issue 27, item 6): shortened at import with the whole text kept (and exported
back), remembered words cut from a bounded part of the text, import batches bounded by bytes."""

import gc
import tracemalloc

import pytest
import yaml
from django.core.management import call_command

from articles.ingest import pipeline
from articles.ingest.seeds.values import MAX_EXCERPT
from articles.models import Article, ImportRun
from articles.reader.templating import truncatewords
from tests.support.seeds import run_import, sample_fields

pytestmark = pytest.mark.django_db


def test_a_huge_excerpt_is_shortened_at_import_and_kept_whole(write_seed, tmp_path):
    whole = " ".join(f"word{n}" for n in range(40_000))  # about 300 KB
    result = run_import(write_seed("huge.txt", {**sample_fields(), "excerpt": whole}))
    assert result.code == 0, result
    article = Article.objects.get()
    assert len(article.excerpt) <= MAX_EXCERPT and article.excerpt.endswith("…")
    assert whole.startswith(article.excerpt[:-1].rstrip())  # cut at a word
    assert article.extra["excerpt"] == whole  # nothing lost
    [warning] = ImportRun.objects.get().warning_messages
    assert (
        "excerpt: longer than 5000 characters; shortened, the whole text kept in extra" in warning
    )
    # An export gives the file's excerpt back as it came.
    call_command("export_seeds", str(tmp_path / "out"), verbosity=0)
    [exported] = (tmp_path / "out").iterdir()
    assert yaml.safe_load(exported.read_text().split("---\n")[1])["excerpt"] == whole


def test_shortened_excerpts_are_remembered_without_the_whole_text():
    # A cache keyed on whole texts kept every megabyte excerpt a listing showed.
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(20):
            text = f"excerpt{n} " + "word " * 40_000  # 200 KB each, 4 MB in all
            assert truncatewords(text, 50).endswith(" …")
            del text
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 500_000


def test_import_batches_are_bounded_by_bytes_as_well_as_by_files(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_BYTES", 1_000_000)
    paths = []
    for n in range(10):
        path = tmp_path / f"{n}.txt"
        path.write_bytes(b"x" * 300_000)
        paths.append(str(path))
    batches = []
    pipeline.run_pipeline(
        paths,
        batch_size=250,
        parallel=False,
        read=lambda batch: [],  # what is read does not matter here
        write=lambda parsed: None,
        on_files_done=batches.append,
    )
    assert batches == [3, 3, 3, 1]  # no batch over a megabyte of files
