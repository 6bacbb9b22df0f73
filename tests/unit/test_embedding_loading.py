"""The embedding model is the clustering path's alone: a web worker that loads the URLconf,
the reader views and the admin (the desk and the Story admin included) never imports wordllama
nor loads its weights or tokenizer (its memory stays as it was); clustering loads them on first
use, and embeds as wordllama's own `embed` does."""

import subprocess
import sys

from django.conf import settings

from tests.support.probes import last_figure

PROBE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "true")
import django
django.setup()
import newsroom.urls, articles.reader.views, articles.admin.stories, articles.admin.desk.views
from django.urls import resolve
resolve("/")
{extra}
print(any(name in sys.modules for name in ("wordllama", "tokenizers", "safetensors", "fasttext")))
"""


def _loaded(extra: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(extra=extra)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_web_workers_never_import_the_model():
    assert _loaded() == "False"


def test_clustering_loads_it_when_it_embeds():
    assert _loaded("from articles.clustering.embedding import embed; embed(['a'])") == "True"


def test_the_lean_loader_embeds_as_wordllama_does():
    from wordllama import WordLlama

    from articles.clustering.embedding import embed, wheel_folder

    texts = ["Volcano erupts near Reykjavik airport", "Fed's Plosser sees high bar", "Ça va"]
    model = WordLlama.load(cache_dir=wheel_folder(), disable_download=True)
    theirs = model.embed(texts, norm=True)
    ours = embed(texts)
    assert ours.shape == (3, 256)
    assert (ours * theirs).sum(axis=1).min() > 0.999


def test_embedding_many_headlines_keeps_memory_flat():
    # The tokenizer's cache used to keep every headline it had read: ~5 MB more per 1,000.
    probe = """
from articles.clustering.embedding import embed
rss = lambda: int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
words = "storm vote market strike court rocket flood league summit budget".split()
texts = [
    f"Headline {n}: the {words[n % 10]} in city {n % 97}, event {n * 7919 % 10007}. " * 3
    for n in range(6000)
]
embed(texts[:1000])
before = rss()
for start in range(1000, 6000, 1000):
    embed(texts[start : start + 1000])
print(rss() - before)
"""
    assert last_figure(probe, timeout=120) < 5
