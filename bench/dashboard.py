"""Benchmark: the editors' flow dashboard (/admin/flow/, articles/flow.py), uncached, at 100,000
articles.

    .venv/bin/python bench/dashboard.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nr_bench .venv/bin/python bench/dashboard.py
    .venv/bin/python bench/dashboard.py --size 20000 --repeat 5

Works in a throw-away test database (`test_<name>`, created and dropped here), never in yours.
The corpus: `--size` articles arriving over 60 days, the arrivals' rate rising towards now;
about 70% decided, each some hours after it arrived (a lognormal wait, median about 3 h), with
one ReviewDecision each (built by `records.review_decision`, the one builder); 2,000
providers, Pareto-sized. Written with bulk_create. The report gives the median of `--repeat`
builds of the dashboard's data and charts (`flow_context`) and of the whole page through the
test Client, each with its number of queries; target: under 200 ms.
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
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.admin.flow_page import flow_context  # noqa: E402
from articles.editorial.records import ArticleState, review_decision  # noqa: E402
from articles.models import Article, ReviewDecision  # noqa: E402
from bench.in_process import providers_topics_and_editor, scratch_test_database  # noqa: E402

BATCH = 5000
DAYS = 60


def build(size: int, providers, editor, rng: random.Random) -> None:
    now = dt.datetime.now(dt.UTC)
    created_at = Article._meta.get_field("created_at")
    created_at.auto_now_add = False  # the bench sets when each article arrived
    try:
        for start in range(0, size, BATCH):
            articles, decided = [], []
            for n in range(start, min(start + BATCH, size)):
                # Arrivals rise towards now: more of them in recent days.
                arrived = now - dt.timedelta(days=DAYS * (1 - rng.random() ** 0.7))
                wait = dt.timedelta(hours=rng.lognormvariate(1.1, 1.0))
                reviewed = arrived + wait if rng.random() < 0.7 and arrived + wait < now else None
                published = reviewed is not None and rng.random() < 0.4
                articles.append(
                    Article(
                        title=f"Story {n}",
                        canonical_url=f"https://bench.example/{n}",
                        web_url=f"https://bench.example/{n}",
                        source_published_at=arrived,
                        created_at=arrived,
                        published=published,
                        reviewed_at=reviewed,
                        reviewed_by=editor if reviewed else None,
                        provider=providers[
                            min(len(providers) - 1, int(rng.paretovariate(1.2)) - 1)
                        ],
                        slug=f"story-{n}",
                    )
                )
            Article.objects.bulk_create(articles, batch_size=1000)
            for article in articles:
                if article.reviewed_at is None:
                    continue
                before = ArticleState(article.pk, False, None, None, None, None)
                decided.append(
                    review_decision(
                        ReviewDecision,
                        before,
                        change=ReviewDecision.change_for(False, article.published),
                        published=article.published,
                        schedule=(None, None),
                        editor=editor,
                        at=article.reviewed_at,
                        via="shell",
                    )
                )
            ReviewDecision.objects.bulk_create(decided, batch_size=1000)
    finally:
        created_at.auto_now_add = True


def timed(function, repeat: int) -> tuple[int, float, float]:
    """Queries, then median wall-clock ms and median CPU ms of this process (on SQLite that is
    all the work, and it holds steadier than wall-clock time on a busy machine)."""
    function()  # warm-up: connection, templates
    times, cpu, queries = [], [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            function()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        queries = len(captured)
    return queries, statistics.median(times) * 1000, statistics.median(cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with scratch_test_database():
        providers, _, editor = providers_topics_and_editor("bench-editor")
        started = time.perf_counter()
        build(args.size, providers, editor, random.Random(7))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum does soon after a bulk load
        print(f"# built {args.size:,} articles in {time.perf_counter() - started:.1f}s")
        client = Client()
        client.force_login(editor)
        url = reverse("admin:flow")

        def page():
            assert client.get(url).status_code == 200

        picture = flow_context()["flow"]
        print(
            f"# last 48 h: {picture.arrivals:,} arrived, {picture.decisions:,} decisions,"
            f" {picture.waiting:,} waiting; median wait {picture.median_wait},"
            f" p90 {picture.p90_wait}"
        )
        print(f"database: {connection.vendor}; median of {args.repeat}, uncached")
        print(f"{'what':<36}{'queries':>8}{'ms':>9}{'cpu ms':>9}")
        for name, function in (("flow_context (data and charts)", flow_context), ("page", page)):
            queries, ms, cpu_ms = timed(function, args.repeat)
            print(f"{name:<36}{queries:>8}{ms:>9.1f}{cpu_ms:>9.1f}")
        with CaptureQueriesContext(connection) as captured:
            flow_context()
        print("# each query of one flow_context (ms, SQL's start):")
        for query in captured.captured_queries:
            print(f"#   {float(query['time']) * 1000:7.1f}  {query['sql'][:110]}")


if __name__ == "__main__":
    main()
