"""Reader-page benchmark under gunicorn on the production profile, with wrk.

    python bench/pages.py [--files 2000] [--duration 10] [--connections 8] [--workers 2]
    python bench/pages.py --database-url URL --folder DIR [--uncached-only]  # an existing site

Builds a throw-away database (SQLite, or PostgreSQL when DATABASE_URL points there) from a
generated corpus, publishes everything, then serves it with gunicorn twice: with the configured
cache (pages cached) and with Django's dummy cache (every page built from the database). Each
page's requests/s is compared with a constant view served by the same server in the same run.
"article" is the published article with the most related links; "article+body" the same among
those with a Markdown body; "story" the story with the most articles readers may see, "story
(median)" one of median size.

`--database-url URL --folder DIR` measures a site built before (DIR holds its collected static
files, `static/`): a 100,000-article site takes minutes to build.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import (  # noqa: E402
    COUNT_PUBLISHED,
    built_site,
    exit_if_port_taken,
    manage,
    production_env,
    start_gunicorn,
    wait_for,
    wrk_figures,
)

PORT = int(os.environ.get("BENCH_PORT", "8731"))  # several benchmarks at once: one port each


PICK_URLS = """
from django.db.models import Count
from articles.models import Article, Provider, Story
from taggit.models import Tag
article = (Article.objects.published().annotate(n=Count("related_links"))
           .order_by("-n", "id").first())
with_body = (Article.objects.published().exclude(body="").annotate(n=Count("related_links"))
             .order_by("-n", "id").first())
tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
provider = Provider.objects.annotate(n=Count("articles")).order_by("-n").first()
print(article.get_absolute_url())
print(with_body.get_absolute_url())
print(f"/topics/{tag.slug}/")
print(f"/providers/{provider.domain}/")
print("/search/?q=" + article.title.split()[0])
stories = list(Story.objects.with_readers().order_by("-size", "id").values_list("pk", flat=True))
biggest, median = (Story.objects.get(pk=stories[i]) for i in (0, len(stories) // 2))
print(biggest.get_absolute_url())
print(median.get_absolute_url())
"""


def wrk(url: str, duration: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return wrk_figures(out)


def serve_and_measure(label, env, urls, args) -> None:
    server = start_gunicorn(env, PORT, args.workers)
    try:
        base = f"http://127.0.0.1:{PORT}"
        wait_for(base + "/bench/constant/")
        results = {}
        for name, path in [("constant view", "/bench/constant/"), *urls]:
            urllib.request.urlopen(base + path).read()  # warm: fill caches, open connections
            results[name] = wrk(base + path, args.duration, args.connections)
        ceiling = results["constant view"]["rps"]
        print(f"\n{label}")
        print(f"{'page':16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'x const':>8}  errors")
        for name, r in results.items():
            bad = r["non_2xx_3xx"] or r["socket_errors"]
            bad = f"{r['non_2xx_3xx']} not 2xx/3xx; {r['socket_detail']}" if bad else ""
            print(
                f"{name:16} {r['rps']:8.0f} {r['p50']:8.2f} {r['p99']:8.2f} "
                f"{r['rps'] / ceiling:8.2f}  {bad}"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="measure this existing site")
    parser.add_argument("--folder", type=Path, help="the existing site's folder")
    parser.add_argument("--uncached-only", action="store_true")
    args = parser.parse_args()
    exit_if_port_taken(PORT)

    if args.database_url:
        env = production_env(args.folder, args.database_url, BENCHMARK_VIEWS="true")
        engine = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
        measure(env, engine, args)
        return
    with built_site("pages", args.files, BENCHMARK_VIEWS="true") as (env, engine):
        measure(env, engine, args)


def measure(env: dict, engine: str, args) -> None:
    paths = [line for line in manage(env, "shell", "-c", PICK_URLS).split() if line[0] == "/"]
    names = ["article", "article+body", "topic", "provider", "search", "story", "story (median)"]
    urls = list(zip(names, paths, strict=True))
    urls.insert(0, ("home", "/"))
    articles = manage(env, "shell", "-c", COUNT_PUBLISHED).strip()
    print(
        f"nproc={os.cpu_count()} engine={engine} published={articles} "
        f"workers={args.workers} wrk -t2 -c{args.connections} -d{args.duration}s"
    )
    if not args.uncached_only:
        serve_and_measure("cached (configured CACHE_URL)", env, urls, args)
    serve_and_measure(
        "uncached (CACHE_URL=dummycache://)", {**env, "CACHE_URL": "dummycache://"}, urls, args
    )


if __name__ == "__main__":
    main()
