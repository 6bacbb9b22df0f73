"""Editors' corrections: what they cost readers and editors, in-process, uncached.

    python bench/corrections.py [--files 2000] [--requests 300] [--corrections 200]

Builds a throw-away site (SQLite, or PostgreSQL when DATABASE_URL points there) from the generated
corpus, then, with DEBUG off and no cache: the article page of one article before and after an
editor corrects it with a public note (the corrected page reads its notes: a fifth query); the
/corrections/ page with `--corrections` public notes on the site; and `Article.correct` itself
(lock, update, record, the story's title). Prints medians and 90th percentiles.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import built_site  # noqa: E402

MEASURE = """
import statistics, sys, time
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from articles.models import Article

requests, corrections = int(sys.argv[-2]), int(sys.argv[-1])
client = Client(HTTP_HOST="127.0.0.1")
editor = User.objects.create_user("bench-editor")


def timed(fn, times):
    values = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        values.append((time.perf_counter() - start) * 1000)
    values.sort()
    return statistics.median(values), values[int(len(values) * 0.9)]


def page(url):
    def get():
        assert client.get(url).status_code == 200
    for _ in range(20):
        get()
    return timed(get, requests)


def show(name, figures):
    print(f"{name:34} median {figures[0]:6.2f} ms  p90 {figures[1]:6.2f} ms")


ids = list(Article.objects.published().order_by("id").values_list("id", flat=True))
article = Article.objects.get(pk=ids[0])
url = article.get_absolute_url()
show("article page, not corrected", page(url))
article.correct(editor, title=article.title + " (corrected)", excerpt="", note="A fix.")
show("article page, corrected with a note", page(url))
for pk in ids[1 : corrections + 1]:
    Article.objects.get(pk=pk).correct(editor, title="Corrected", excerpt="", note="Noted.")
show(f"/corrections/ ({corrections} notes)", page("/corrections/"))
target = Article.objects.get(pk=ids[-1])
flip = iter(range(10**9))
show("Article.correct (one correction)", timed(
    lambda: target.correct(editor, title=f"Headline {next(flip)}", excerpt="", note=""), 100
))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--corrections", type=int, default=200)
    args = parser.parse_args()
    with built_site("corrections", args.files, CACHE_URL="dummycache://") as (env, engine):
        print(f"nproc={os.cpu_count()} engine={engine} files={args.files}")
        script = (
            "import django, os\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'newsroom.settings')\n"
            "django.setup()\n" + MEASURE
        )
        subprocess.run(
            [sys.executable, "-c", script, str(args.requests), str(args.corrections)],
            cwd=ROOT,
            env=env,
            check=True,
        )


if __name__ == "__main__":
    main()
