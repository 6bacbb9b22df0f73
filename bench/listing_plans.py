"""The query plans of the biggest topic's and the biggest provider's listings, as the views run
them (captured from the requests, not retyped): EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL,
EXPLAIN QUERY PLAN on SQLite.

    python bench/listing_plans.py [--files 2000]
    python bench/listing_plans.py --database-url URL --folder DIR   # bench/build_site.py's site

Each page is requested once to warm up, then once with its queries captured; every captured
SELECT that reads articles is explained, with its time on PostgreSQL.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import in_process_arguments, measure_in_process  # noqa: E402

BODY = r"""
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from articles.models import Provider

tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
provider = Provider.objects.annotate(n=Count("articles")).order_by("-n").first()
postgres = connection.vendor == "postgresql"
client = Client(HTTP_HOST="127.0.0.1")
for name, path, size in (
    ("biggest topic", f"/topics/{tag.slug}/", tag.n),
    ("biggest provider", f"/providers/{provider.domain}/", provider.n),
):
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    print(f"\n== {name} {path} ({size} articles; {status}; {len(captured)} queries)")
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.startswith("SELECT") or "articles_article" not in sql:
            continue
        print(f"\n-- {sql[:300]}{' …' if len(sql) > 300 else ''}")
        explain = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(explain + sql)
            for row in cursor.fetchall():
                print("   ", row[-1] if not postgres else row[0])
"""


def main() -> None:
    args = in_process_arguments(__doc__.splitlines()[0], files=2000, requests=1)
    measure_in_process("plans", BODY, args)


if __name__ == "__main__":
    main()
