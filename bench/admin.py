"""Benchmark: the admin's article list (the review queue) at 100 and at 100,000 articles.

    .venv/bin/python bench/admin.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/admin.py
    .venv/bin/python bench/admin.py --sizes 100 20000 --repeat 3

Works in a throw-away test database (`test_<name>`, created and dropped here), never in yours.
Articles, providers and topics are written with bulk_create (no seed files), then an editor
requests each list URL through the test Client: the report gives, per size and URL, the number
of queries and the median time of `--repeat` requests after one warm-up request.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "true")  # settings as on a developer's machine, as before

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.models import Article, TaggedArticle  # noqa: E402
from bench.in_process import providers_topics_and_editor, scratch_test_database  # noqa: E402

BATCH = 5000
START = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)


def build(first: int, last: int, providers, tags, rng: random.Random) -> None:
    """Articles number `first` to `last - 1`, with 0-4 topics each."""
    now = dt.datetime.now(dt.UTC)
    for start in range(first, last, BATCH):
        numbers = range(start, min(start + BATCH, last))
        articles = [
            Article(
                title=f"Story {n}: " + " ".join(rng.sample(WORDS, 6)),
                excerpt=" ".join(rng.sample(WORDS, 12)),
                category=rng.choice(["news", "news", "news", "opinion", "analysis"]),
                type=rng.choice(["article", "article", "video"]),
                source_published_at=START + dt.timedelta(minutes=rng.randint(0, 900_000)),
                canonical_url=f"https://bench.example/{n}",
                web_url=f"https://bench.example/{n}",
                quality=rng.choice([None] + list(range(41))),
                heat=rng.choice([None] + list(range(101))),
                source_published=rng.random() < 0.3,
                published=rng.random() < 0.3,
                reviewed_at=now if rng.random() < 0.5 else None,
                provider=providers[min(len(providers) - 1, int(rng.paretovariate(1.2)) - 1)],
                slug=f"story-{n}",
            )
            for n in numbers
        ]
        Article.objects.bulk_create(articles, batch_size=1000)
        links = [
            TaggedArticle(content_object=article, tag=tag)
            for article in articles
            for tag in rng.sample(tags, rng.randint(0, 4))
        ]
        TaggedArticle.objects.bulk_create(links, batch_size=2000)


WORDS = (
    "market chip energy climate court vote league vaccine rocket startup bank model river city "
    "budget drought trial robot satellite merger strike harvest festival museum election privacy"
).split()


def measure(client: Client, url: str, repeat: int) -> tuple[int, float, int]:
    response = client.get(url)  # warm-up: caches, connection, template loading
    assert response.status_code == 200, (url, response.status_code)
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        queries = len(captured)
    rows = len(response.context["cl"].result_list)
    return queries, statistics.median(times) * 1000, rows


PAGE_STEPS = ("article page (from the queue)", "Publish, then next (POST)")


def measure_page_decisions(client: Client, repeat: int) -> dict:
    """An editor's step on the article page: open the queue's first article, press Publish (the
    answer is the redirect to the next one). Median queries and ms of `repeat` articles."""
    filters = "?_changelist_filters=review%3Dwaiting"
    pages, decisions = [], []
    for _ in range(repeat + 1):  # the first is the warm-up
        response = client.get(reverse("admin:articles_article_changelist") + "?review=waiting")
        article = response.context["cl"].result_list[0]
        url = reverse("admin:articles_article_change", args=[article.pk]) + filters
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            pages.append((len(captured), time.perf_counter() - started))
        form = {
            "related_links-TOTAL_FORMS": 0,
            "related_links-INITIAL_FORMS": 0,
            "related_links-MIN_NUM_FORMS": 0,
            "related_links-MAX_NUM_FORMS": 1000,
            "published": "on" if article.published else "",
            "_publish": "Publish",
        }
        form.update(
            {f"{name}_{part}": "" for name in ("publish_at", "unpublish_at") for part in "01"}
        )
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            assert client.post(url, form).status_code == 302
            decisions.append((len(captured), time.perf_counter() - started))
    return {
        name: (steps[-1][0], statistics.median(seconds for _, seconds in steps[1:]) * 1000)
        for name, steps in zip(PAGE_STEPS, (pages, decisions), strict=True)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 100_000])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    with scratch_test_database():
        run(args)


def run(args) -> None:
    rng = random.Random(7)
    providers, tags, editor = providers_topics_and_editor("bench-editor")
    client = Client()
    client.force_login(editor)

    changelist = reverse("admin:articles_article_changelist")
    urls = {
        "review queue": changelist + "?review=waiting",
        "all articles": changelist,
        "search (common word)": changelist + "?q=harvest",
        "provider filter": changelist + f"?provider={providers[0].pk}",
        "source disagrees, quality high": changelist + "?disagrees=yes&quality_band=high",
        "waiting or live, not reviewed": changelist + "?review=waiting,live-not-reviewed",
    }
    print(f"database: {connection.vendor}; {args.repeat} timed requests per URL (median)")
    print(f"{'articles':>9}  {'page':<32}{'queries':>8}{'ms':>9}{'rows':>6}")
    built, results = 0, {}
    for size in sorted(args.sizes):
        started = time.perf_counter()
        build(built, size, providers, tags, rng)
        built = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # As autovacuum does soon after a bulk load (PostgreSQL 13+ vacuums after
                # inserts): statistics for the planner, the visibility map for index-only scans.
                cursor.execute("VACUUM ANALYZE")
        print(f"# built {size:,} articles in {time.perf_counter() - started:.1f}s")
        for name, url in urls.items():
            queries, ms, rows = measure(client, url, args.repeat)
            results[size, name] = (queries, ms)
            print(f"{size:>9,}  {name:<32}{queries:>8}{ms:>9.1f}{rows:>6}")
        for name, (queries, ms) in measure_page_decisions(client, args.repeat).items():
            results[size, name] = (queries, ms)
            print(f"{size:>9,}  {name:<32}{queries:>8}{ms:>9.1f}{'':>6}")
    if len(args.sizes) > 1:
        small, large = min(args.sizes), max(args.sizes)
        urls = {**urls, **dict.fromkeys(PAGE_STEPS)}
        print(
            f"# time at {large:,} / time at {small:,}"
            " (target: review queue and all articles <= 2x):"
        )
        for name in urls:
            ratio = results[large, name][1] / results[small, name][1]
            print(f"#   {name:<32}{ratio:>6.2f}x")


if __name__ == "__main__":
    main()
