"""The uncached article page, in-process: the reader seam against the same page read by the ORM.

    python bench/article_page.py [--files 2000] [--requests 400]
    python bench/article_page.py --database-url URL --folder DIR  # an existing site

Builds a throw-away site (SQLite, or PostgreSQL when DATABASE_URL points there) from the generated
corpus, then, in one process with DEBUG off and no cache, requests the article page of the
published article with the most related links through Django's test client, alternating between
`articles.reader.article_page` (four hand-written SELECTs building model instances) and an ORM
twin that returns the same objects from the same four reads (select_related, only; visibility
checked in Python, as the seam does). Both must give the same page (checked before timing).
Prints the median and 90th percentile of each, and the ratio: the measurement behind keeping the
fast path (docs/PERFORMANCE.md).

`--database-url URL --folder DIR` measures an existing site instead of building one.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import in_process_arguments, measure_in_process  # noqa: E402

MEASURE = """
import statistics, sys, time
from django.db.models import Count, Q
from django.http import Http404
from django.test import Client
from django.utils import timezone
from taggit.models import Tag
from articles.reader import article_page as reader, views
from articles.models import Article, RelatedLink
from articles.ingest.seeds import canonical_url


def orm_article_page(pk, *, preview=False):
    # The seam's four reads, written with the ORM: the same rows, the same instances, the
    # visibility of hosted and coverage articles checked in Python as the seam checks it.
    article = (
        Article.objects.select_related("provider")
        .only(*reader.ARTICLE_FIELDS, *(f"provider__{f}" for f in reader.PROVIDER_FIELDS))
        .filter(pk=pk)
        .first()
    )
    if article is None or not (preview or article.is_visible()):
        raise Http404("No such article.")
    topics = list(
        Tag.objects.filter(articles_taggedarticle_items__content_object=pk).order_by(
            "articles_taggedarticle_items__id"
        )
    )
    links = list(RelatedLink.objects.filter(article=pk).select_related("provider"))
    wanted = {canonical_url(link.url) for link in links}
    hosted, coverage = {}, []
    if wanted or article.story_id:
        same_story = Q(story=article.story_id) if article.story_id else Q()
        now = timezone.now()
        for hit in (
            Article.objects.filter(Q(canonical_url__in=wanted) | same_story)
            .select_related("provider")
            .only(*reader.HOSTED_FIELDS, *(f"provider__{f}" for f in reader.PROVIDER_FIELDS))
        ):
            if not hit.is_visible(now):
                continue
            hosted[hit.canonical_url] = hit.get_absolute_url()
            if article.story_id and hit.story_id == article.story_id and hit.pk != article.pk:
                coverage.append(hit)
    for link in links:
        link.hosted_url = hosted.get(canonical_url(link.url), "")
    coverage.sort(key=lambda hit: (hit.source_published_at, hit.pk), reverse=True)
    return reader.ArticlePage(article, topics, links, coverage)


article = (
    Article.objects.published().annotate(n=Count("related_links")).order_by("-n", "id").first()
)
url = article.get_absolute_url()
client = Client(HTTP_HOST="127.0.0.1")
seam = reader.article_page
timings = {"seam": [], "orm": []}
pages = []
for fn in (seam, orm_article_page):
    views.article_page = fn
    pages.append(client.get(url).content)
assert pages[0] == pages[1], "the ORM twin builds another page"
for _ in range(20):  # warm both
    for fn in (seam, orm_article_page):
        views.article_page = fn
        assert client.get(url).status_code == 200
for _ in range(int(sys.argv[-1])):
    for name, fn in (("seam", seam), ("orm", orm_article_page)):
        views.article_page = fn
        start = time.perf_counter()
        response = client.get(url)
        timings[name].append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
for name, values in timings.items():
    values.sort()
    print(
        f"{name:5} median {statistics.median(values):6.2f} ms  "
        f"p90 {values[int(len(values) * 0.9)]:6.2f} ms"
    )
ratio = statistics.median(timings["orm"]) / statistics.median(timings["seam"])
print(f"ORM / seam: {ratio:.2f}x")
"""


def main() -> None:
    args = in_process_arguments(__doc__.splitlines()[0], files=2000, requests=400)
    measure_in_process("article", MEASURE, args, args.requests)


if __name__ == "__main__":
    main()
