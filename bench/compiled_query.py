"""Listings compiled once against plain querysets, in-process: is `CompiledQuery` worth keeping?

    python bench/compiled_query.py [--files 2000] [--requests 40] [--blocks 5]
    python bench/compiled_query.py --database-url URL --folder DIR  # an existing site

Builds a throw-away site (SQLite, or PostgreSQL when DATABASE_URL points there) from the generated
corpus, everything published, then, in one process with DEBUG off and the dummy cache (every
request builds its page), requests the home page (and its page 2), the biggest topic, provider
and story through Django's test client, alternating request by request between two forms of the
same reads:

- compiled: `CompiledQuery.rows()`, the SQL compiled once per process, values re-bound;
- plain: the same `values_list` queryset built and run through the ORM at every call
  (`list(query.build(**values))`), with the same card building after it.

Both forms must give the same page (checked before timing). Prints, per page, the median
wall-clock and CPU milliseconds of each form, the difference, plain / compiled, and the lowest
and highest plain / compiled of the run's blocks (`--blocks`, consecutive stretches of
requests): the spread to read the difference against.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import in_process_arguments, measure_in_process  # noqa: E402

MEASURE = """
import re, statistics, sys, time
from django.db.models import Count
from django.test import Client
from taggit.models import Tag
from articles.models import Article, Provider, Story
from articles.db.compiled import CompiledQuery

requests, blocks = int(sys.argv[-2]), int(sys.argv[-1])
compiled_rows = CompiledQuery.rows


def plain_rows(self, **values):
    # The queryset `CompiledQuery` compiles, run as any view would run it; a flat values_list
    # (the entry count) gives values, the compiled form one-column rows.
    return [row if isinstance(row, tuple) else (row,) for row in self.build(**values)]


FORMS = {"compiled": compiled_rows, "plain": plain_rows}
tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
provider = Provider.objects.annotate(n=Count("articles")).order_by("-n").first()
story = Story.objects.with_readers().order_by("-size", "id").first()
client = Client(HTTP_HOST="127.0.0.1")
# Home's second page: where its "Older" link leads (listings page by cursor, issue 22).
older = re.search(r'<link rel="next" href="([^"]+)"', client.get("/").content.decode())[1]
pages = {
    "home": "/",
    "home p2": "/" + older.replace("&amp;", "&"),
    "topic": f"/topics/{tag.slug}/",
    "provider": f"/providers/{provider.domain}/",
    "story": story.get_absolute_url(),
}


def get(form, url):
    CompiledQuery.rows = FORMS[form]
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code)
    return response, wall * 1000, cpu * 1000


print(f"published={Article.objects.published().count()} requests={requests} per form and page")
print(
    f"{'page':9} {'compiled ms':>11} {'plain ms':>9} {'plain-comp':>10} {'plain/comp':>10} "
    f"{'blocks min-max':>14} {'CPU comp':>8} {'CPU plain':>9}"
)
for name, url in pages.items():
    first = {form: get(form, url)[0].content for form in FORMS}
    assert first["compiled"] == first["plain"], f"{name}: the two forms build different pages"
    for _ in range(2):  # warm: templates compiled, connection open, statements prepared
        for form in FORMS:
            get(form, url)
    walls = {form: [] for form in FORMS}
    cpus = {form: [] for form in FORMS}
    for i in range(requests):
        for form in (FORMS if i % 2 == 0 else reversed(FORMS)):  # neither always goes first
            _, wall, cpu = get(form, url)
            walls[form].append(wall)
            cpus[form].append(cpu)
    size = max(1, requests // blocks)
    ratios = [
        statistics.median(walls["plain"][i : i + size])
        / statistics.median(walls["compiled"][i : i + size])
        for i in range(0, requests - size + 1, size)
    ]
    comp, plain = (statistics.median(walls[form]) for form in FORMS)
    print(
        f"{name:9} {comp:11.2f} {plain:9.2f} {plain - comp:10.2f} {plain / comp:10.2f} "
        f"{min(ratios):6.2f}-{max(ratios):<7.2f} {statistics.median(cpus['compiled']):8.2f} "
        f"{statistics.median(cpus['plain']):9.2f}"
    )
CompiledQuery.rows = compiled_rows
"""


def main() -> None:
    args = in_process_arguments(__doc__.splitlines()[0], files=2000, requests=40, blocks=5)
    measure_in_process("compiled", MEASURE, args, args.requests, args.blocks)


if __name__ == "__main__":
    main()
