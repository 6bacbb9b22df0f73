"""How long the topic and provider indexes take to build, uncached, in-process.

    python bench/indexes.py [--files 20000] [--repeat 7]

Builds a throw-away database (SQLite, or PostgreSQL when DATABASE_URL points there) from the
generated corpus with everything published, then asks each index page through Django's test
client with the dummy cache (every request builds the page from the database), and prints the
median time and the number of entries. An index is rebuilt after each editor's decision, once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import built_site, manage  # noqa: E402

TIMING = """
import statistics, time
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
for url in ("/topics/", "/topics/?sort=size", "/providers/", "/providers/?sort=size"):
    times = []
    for _ in range({repeat}):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    entries = response.content.count(b'class="index-count"')
    print(f"{{url:24}} {{statistics.median(times) * 1000:7.1f}} ms  {{entries:5}} entries")
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with built_site("indexes", args.files, CACHE_URL="dummycache://") as (env, engine):
        print(
            f"{engine}, {args.files:,} articles, all published; uncached, median of {args.repeat}"
        )
        print(manage(env, "shell", "--no-imports", "-c", TIMING.format(repeat=args.repeat)), end="")


if __name__ == "__main__":
    main()
