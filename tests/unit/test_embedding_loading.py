"""The embedding model is the clustering path's alone: a web worker that loads the URLconf,
the reader views and the admin (the desk and the Story admin included) never imports wordllama
(its memory stays as it was); clustering loads it on first use."""

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
print("wordllama" in sys.modules)
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
