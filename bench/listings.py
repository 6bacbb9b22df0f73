"""Uncached reader listings, in-process: where a page's time goes.

    python bench/listings.py [--files 2000] [--requests 50] [--profile PAGE]

Builds a throw-away site (SQLite, or PostgreSQL when DATABASE_URL points there) from the generated
corpus, everything published, then, in one process with DEBUG off and the dummy cache (every
request builds its page), requests the article page (the published article with the most related
links: the yardstick), the home page and its second page (the "Older articles" link), the
biggest topic and its second page, the biggest provider and story, and the two index pages
through Django's test client. Prints, per page, the median time of a request, the
part of it spent waiting for SQL (`connection.execute_wrapper`), the rest (ORM, Jinja2, Django),
the process's CPU time (steadier than the wall clock on a shared machine; on SQLite it includes
the database's work), the number of queries, the ratio to the constant view (/bench/constant/)
in the same process, and the page's time over the article page's (the listings' target: 1.5).
Then the two indexes again, as every request but the first after a change builds them: their
counts remembered in a local-memory cache, the page itself built afresh.
`--profile home` (or topic, provider, ...) prints a cProfile of that page instead.

`--database-url URL --folder DIR` measures an existing site instead of building one (for repeated
runs: DIR holds its collected static files, `static/`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import built_site, production_env  # noqa: E402

MEASURE = """
import cProfile, os, pstats, re, statistics, sys, time
from django.db import connection
from django.db.models import Count
from django.test import Client
from taggit.models import Tag
from articles.models import Article, Provider, Story

requests, profile = int(sys.argv[-2]), sys.argv[-1]
article = (Article.objects.published().annotate(n=Count("related_links"))
           .order_by("-n", "id").first())
tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
provider = Provider.objects.annotate(n=Count("articles")).order_by("-n").first()
story = Story.objects.with_readers().order_by("-size", "id").first()
client = Client(HTTP_HOST="127.0.0.1")


def second_page(url):
    # The page a reader reaches by "Older articles" from `url`.
    found = re.search(r'<link rel="next" href="([^"]+)"', client.get(url).content.decode())
    return url + found[1].replace("&amp;", "&")


pages = {
    "constant": "/bench/constant/",
    "article": article.get_absolute_url(),
    "home": "/",
    "home p2": second_page("/"),
    "topic": f"/topics/{tag.slug}/",
    "topic p2": second_page(f"/topics/{tag.slug}/"),
    "provider": f"/providers/{provider.domain}/",
    "story": story.get_absolute_url(),
    "topic index": "/topics/",
    "provider index": "/providers/",
}
sql = []


def timed_sql(execute, query, params, many, context):
    start = time.perf_counter()
    try:
        return execute(query, params, many, context)
    finally:
        sql.append(time.perf_counter() - start)


def get(url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


if profile != "-":
    url = pages[profile]
    for _ in range(3):
        get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        get(url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    if os.environ.get("BENCH_CALLERS"):
        stats.print_callers(os.environ["BENCH_CALLERS"])
    sys.exit()

print(
    f"{'page':15} {'median ms':>9} {'CPU ms':>7} {'SQL ms':>7} {'rest ms':>7} {'queries':>7} "
    f"{'x const':>7} {'/article':>8}"
)
results = {}
with connection.execute_wrapper(timed_sql):
    for name, url in pages.items():
        for _ in range(3):  # warm: templates compiled, connection open
            get(url)
        totals, cpus, waits, counts = [], [], [], []
        for _ in range(requests if name != "provider index" or requests < 10 else 10):
            sql.clear()
            start, cpu = time.perf_counter(), time.process_time()
            get(url)
            totals.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            waits.append(sum(sql) * 1000)
            counts.append(len(sql))
        total, wait = statistics.median(totals), statistics.median(waits)
        results[name] = total
        print(
            f"{name:15} {total:9.2f} {statistics.median(cpus):7.2f} {wait:7.2f} "
            f"{total - wait:7.2f} {max(counts):7} "
            f"{results['constant'] / total:7.3f} {total / results.get('article', total):8.2f}"
        )

# The indexes as built after the first request of a change: their counts remembered (a
# local-memory cache), each page built again (its stored copy deleted before each request).
from django.core.cache import cache
from django.test import override_settings
from articles import page_cache

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
with override_settings(CACHES=LOCAL):
    page_cache.reader_pages_changed(None)
    for name, url in (("topic index*", "/topics/"), ("provider index*", "/providers/")):
        totals, cpus = [], []
        for number in range(requests + 3):
            start, cpu = time.perf_counter(), time.process_time()
            response = get(url)
            if number >= 3:
                totals.append((time.perf_counter() - start) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            cache.delete(response.wsgi_request.reader_page_key)
        total = statistics.median(totals)
        print(
            f"{name:15} {total:9.2f} {statistics.median(cpus):7.2f} {'':7} {'':7} {'':7} "
            f"{results['constant'] / total:7.3f} {total / results['article']:8.2f}"
        )
print("* counts remembered for the change (built once per change), the page built afresh")
"""


def measure(env: dict, args) -> None:
    subprocess.run(
        [sys.executable, "-c", _script(MEASURE), str(args.requests), args.profile or "-"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--profile", help="print a cProfile of this page instead")
    parser.add_argument("--database-url", help="measure this existing site")
    parser.add_argument("--folder", type=Path, help="the existing site's folder")
    args = parser.parse_args()

    if args.database_url:
        env = production_env(
            args.folder, args.database_url, CACHE_URL="dummycache://", BENCHMARK_VIEWS="true"
        )
        measure(env, args)
        return
    with built_site("listings", args.files, CACHE_URL="dummycache://", BENCHMARK_VIEWS="true") as (
        env,
        engine,
    ):
        print(f"nproc={os.cpu_count()} engine={engine} files={args.files}")
        measure(env, args)


def _script(body: str) -> str:
    return (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'newsroom.settings')\n"
        "django.setup()\n" + body
    )


if __name__ == "__main__":
    main()
