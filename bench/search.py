"""Benchmark: search at 100 and at 100,000 articles, uncached and in-process.

    .venv/bin/python bench/search.py                      # SQLite (FTS5)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/search.py
    .venv/bin/python bench/search.py --sizes 100 20000 --repeat 5

Works in a throw-away test database (`test_<name>`, created and dropped here), never in yours.
Articles with a title, excerpt and body of words from articles/ingest/corpus.py's vocabulary are
written with bulk_create (the search index fills through its triggers, as on an import); a third
are published. Then, per size, the median of `--repeat` runs after one warm-up of:

- the reader's results page, `/search/?q=...`, through the test Client with no cache at all
  (every request builds the page: matches, the page's articles, their topics);
- the admin's article list searched for the same words, as an editor.

The vocabulary is skewed as real text is: "market" is in nearly every article, "bridge" in about
a third, the "less common" word in about one in twelve; the results column shows how many
matched (the reader's page ranks at most the latest 500 matches; the admin shows 50 a page).

Target: the reader's page answers a common word and a rare word in a median of 30 ms or less at
100,000 articles; the admin search at 100,000 is within 2x of its time at 100.
"""

import argparse
import datetime as dt
import os
import random
import re
import statistics
import sys
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.ingest.corpus import NON_ASCII, WORDS, _zipf_index  # noqa: E402
from articles.models import Article, TaggedArticle  # noqa: E402
from bench.in_process import providers_topics_and_editor, scratch_test_database  # noqa: E402

BATCH = 5000
START = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
RARE = "zeppelin"  # in about one article in 10,000
# A news-like vocabulary: articles/ingest/corpus.py's topical words, then 3,000 made-up ones, drawn
# with a Zipf-like skew, so a few words are in most articles and most words in few (as in real
# text).
_SYLLABLES = "ka lo mi ra te su no ve ti pa do ru se li ma ko".split()
VOCABULARY = WORDS + [
    _SYLLABLES[i % 16] + _SYLLABLES[i // 16 % 16] + _SYLLABLES[i // 256 % 16] for i in range(3000)
]


def words(rng: random.Random, count: int) -> str:
    return " ".join(VOCABULARY[_zipf_index(rng, len(VOCABULARY))] for _ in range(count))


def build(first: int, last: int, providers, tags, rng: random.Random) -> None:
    for start in range(first, last, BATCH):
        numbers = range(start, min(start + BATCH, last))
        articles = []
        for n in numbers:
            title = f"{words(rng, 7)} {rng.choice(NON_ASCII) if rng.random() < 0.25 else ''}"
            rare = rng.random() < 0.0001 or n == 7
            if rare:
                title += f" {RARE}"
            articles.append(
                Article(
                    title=title.strip().capitalize(),
                    excerpt=words(rng, 25),
                    body=words(rng, rng.choice([0, 0, 120, 300])),
                    source_published_at=START + dt.timedelta(minutes=rng.randint(0, 900_000)),
                    canonical_url=f"https://bench.example/{n}",
                    quality=rng.choice([None] + list(range(41))),
                    heat=rng.choice([None] + list(range(101))),
                    published=rare or rng.random() < 0.33,
                    provider=providers[min(len(providers) - 1, int(rng.paretovariate(1.2)) - 1)],
                    slug=f"story-{n}",
                )
            )
        Article.objects.bulk_create(articles, batch_size=1000)
        links = [
            TaggedArticle(content_object=article, tag=tag)
            for article in articles
            for tag in rng.sample(tags, rng.randint(0, 3))
        ]
        TaggedArticle.objects.bulk_create(links, batch_size=2000)


NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def measure(client: Client, url: str, repeat: int) -> tuple[int, float, float]:
    """Queries, median wall-clock ms, median CPU ms of this process. On a shared machine the
    wall clock counts other people's work too; on SQLite (in this process) CPU time does not.

    Reader pages are built with no cache at all (none is stored or looked up), the admin's
    with its cache, warm, as an editor's second request finds it."""
    uncached = override_settings(CACHES=NO_CACHE) if "/admin/" not in url else nullcontext()
    with uncached:
        return _measure(client, url, repeat)


def _measure(client: Client, url: str, repeat: int) -> tuple[int, float, float]:
    response = client.get(url)  # warm-up: connection, templates
    assert response.status_code == 200, (url, response.status_code)
    times, cpu_times, queries = [], [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu_started)
        queries = len(captured)
    return queries, statistics.median(times) * 1000, statistics.median(cpu_times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 100_000])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    with scratch_test_database():
        run(args)


def run(args) -> None:
    rng = random.Random(11)
    providers, tags, editor = providers_topics_and_editor("bench-editor")
    reader, staff = Client(), Client()
    staff.force_login(editor)

    search = reverse("articles:search")
    changelist = reverse("admin:articles_article_changelist")
    pages = {
        "reader, very common word": (reader, f"{search}?q=market"),
        "reader, common word": (reader, f"{search}?q=bridge"),
        "reader, common word, newest": (reader, f"{search}?q=bridge&order=newest"),
        "reader, two common words": (reader, f"{search}?q=bridge+railway"),
        "reader, less common word": (reader, f"{search}?q={VOCABULARY[240]}"),
        "reader, rare word": (reader, f"{search}?q={RARE}"),
        "reader, accented": (reader, f"{search}?q=zurich"),
        "admin, very common word": (staff, f"{changelist}?q=market"),
        "admin, common word": (staff, f"{changelist}?q=bridge"),
        "admin, rare word": (staff, f"{changelist}?q={RARE}"),
    }
    print(f"database: {connection.vendor}; {args.repeat} timed requests per URL (median)")
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    print(f"{'articles':>9}  {'page':<30}{'queries':>8}{'ms':>9}{'cpu ms':>9}{'results':>9}")
    built, results = 0, {}
    for size in sorted(args.sizes):
        started = time.perf_counter()
        build(built, size, providers, tags, rng)
        built = size
        with connection.cursor() as cursor:
            # As autovacuum (PostgreSQL) would soon after a bulk load; SQLite's planner
            # statistics and FTS5's segments merged, as `optimize` leaves them.
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("INSERT INTO article_fts (article_fts) VALUES ('optimize')")
                cursor.execute("ANALYZE")
        print(f"# built {size:,} articles in {time.perf_counter() - started:.1f}s")
        for name, (client, url) in pages.items():
            queries, ms, cpu_ms = measure(client, url, args.repeat)
            count = _count(client, url)
            results[size, name] = ms, cpu_ms
            print(f"{size:>9,}  {name:<30}{queries:>8}{ms:>9.1f}{cpu_ms:>9.1f}{count:>9,}")
    if len(args.sizes) > 1:
        small, large = min(args.sizes), max(args.sizes)
        print(
            f"# admin search: time at {large:,} / time at {small:,} (target <= 2x), wall and CPU:"
        )
        for name in pages:
            if name.startswith("admin"):
                (wall_large, cpu_large), (wall_small, cpu_small) = (
                    results[large, name],
                    results[small, name],
                )
                print(
                    f"#   {name:<30}{wall_large / wall_small:>6.2f}x{cpu_large / cpu_small:>7.2f}x"
                )


def _count(client: Client, url: str) -> int:
    with override_settings(CACHES=NO_CACHE):  # not a page stored at another size
        response = client.get(url)
    if response.context and "cl" in response.context:
        return len(response.context["cl"].result_list)  # the admin's page (count estimated)
    return int(re.search(r"([0-9,]+) results? for", response.content.decode())[1].replace(",", ""))


if __name__ == "__main__":
    main()
