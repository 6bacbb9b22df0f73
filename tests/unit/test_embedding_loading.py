"""The embedding model is the clustering path's alone: a web worker that loads the URLconf,
the reader views and the admin (the desk and the Story admin included) never imports wordllama
nor loads its weights or tokenizer (its memory stays as it was); clustering loads them on first
use, and embeds as wordllama's own `embed` does."""

import subprocess
import sys

from django.conf import settings

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
print(any(name in sys.modules for name in ("wordllama", "tokenizers", "safetensors")))
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
