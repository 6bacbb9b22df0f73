"""The read API's list, uncached, against the uncached article page, in-process.

    python bench/api.py [--files 20000] [--requests 300]
    python bench/api.py --database-url URL --folder DIR  # an existing site (bench/serving.py)

Builds a throw-away site (SQLite, or PostgreSQL when DATABASE_URL points there) from the
generated corpus, everything published, then, in one process with DEBUG off and no cache
(CACHE_URL=dummycache://: every answer built from the database), requests through Django's test
client, in turn: the article page of the published article with the most related links (the
page bench/article_page.py and bench/pages.py measure), the API's first page of articles, a page
deep in the list (by its cursor), the biggest topic's first page, and a search. Prints each one's
median and 90th percentile, and each API answer's median over the article page's: the issue's
target is at most 2x for the list (docs/performance/api.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import in_process_arguments, measure_in_process  # noqa: E402

MEASURE = """
import statistics, sys, time
from django.db.models import Count
from django.test import Client
from taggit.models import Tag
from articles.models import Article

article = (
    Article.objects.published().annotate(n=Count("related_links")).order_by("-n", "id").first()
)
tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
client = Client(HTTP_HOST="127.0.0.1")
deep = "/api/v1/articles/"
for _ in range(50):  # the 51st page: a thousand articles down
    deep = client.get(deep).json()["next"].removeprefix("http://127.0.0.1")
urls = {
    "article page": article.get_absolute_url(),
    "API list": "/api/v1/articles/",
    "API list, page 51": deep,
    "API list, topic": f"/api/v1/articles/?topic={tag.slug}",
    "API list, search": "/api/v1/articles/?q=" + article.title.split()[0],
    "API article": f"/api/v1/articles/{article.pk}/",
}
for url in urls.values():
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert "X-Cache" not in response, "a cache answered: the benchmark needs none"
for _ in range(20):  # warm every path
    for url in urls.values():
        client.get(url)
timings = {name: [] for name in urls}
for _ in range(int(sys.argv[-1])):
    for name, url in urls.items():
        start = time.perf_counter()
        response = client.get(url)
        timings[name].append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
page = statistics.median(timings["article page"])
for name, values in timings.items():
    values.sort()
    median = statistics.median(values)
    print(
        f"{name:18} median {median:6.2f} ms  p90 {values[int(len(values) * 0.9)]:6.2f} ms"
        f"  {median / page:4.2f}x the article page"
    )
"""


def main() -> None:
    args = in_process_arguments(__doc__.splitlines()[0], files=20000, requests=300)
    measure_in_process("api", MEASURE, args, args.requests)


if __name__ == "__main__":
    main()
