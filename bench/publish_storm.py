"""Reader pages while editors publish: wrk on three pages, with and without a publishing desk.

    python bench/publish_storm.py [--files 2000] [--duration 30] [--connections 4] [--workers 2]
                                  [--threads 1]
    python bench/publish_storm.py --database-url URL --folder DIR  # bench/build_site.py's site

Builds a throw-away site (SQLite, or PostgreSQL when DATABASE_URL points there), serves it with
gunicorn on the production profile, and runs one wrk per page (home, the biggest topic, an
article) at once: first quietly, then while another process publishes or unpublishes one article
a second through `set_published`. Every decision invalidates every reader page. Prints req/s,
p50 and p99 per page for both runs, and how many times each page was built per invalidation
(responses marked `X-Cache: miss`; 1.0 means no stampede).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import urllib.request
from contextlib import contextmanager
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

PORT = int(os.environ.get("BENCH_PORT", "8732"))  # several benchmarks at once: one port each

PICK_URLS = """
from django.db.models import Count
from articles.models import Article
from taggit.models import Tag
tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
print(f"/topics/{tag.slug}/")
print(Article.objects.published().order_by("-source_published_at", "-id")[25].get_absolute_url())
"""

# Runs in a manage.py shell: every second, takes one of the newest articles off the site or puts
# it back, as an editor at the desk would; prints how many decisions changed what readers see.
PUBLISHER = """
import time
from django.contrib.auth.models import User
from articles.models import Article
editor, _ = User.objects.get_or_create(username="storm-editor", defaults={"is_staff": True})
newest = list(Article.objects.order_by("-source_published_at", "-id")[:10])
decisions, started = 0, time.monotonic()
while time.monotonic() - started < DURATION:
    article = newest[decisions % len(newest)]
    decisions += article.set_published(not article.published, editor, via="shell")
    time.sleep(max(0, started + decisions + 1 - time.monotonic()))
print("decisions", decisions)
"""

# wrk's Lua hooks: count the responses that were built for their request, across threads.
COUNT_BUILDS = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) built = 0 end
function response(status, headers, body)
  if headers["X-Cache"] == "miss" then built = built + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("built") end
  io.write(string.format("built %d\\n", total))
end
"""


def run_wrk(url: str, args, script: Path) -> subprocess.Popen:
    return subprocess.Popen(
        ["wrk", "-t1", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
        + ["-s", str(script), url],
        stdout=subprocess.PIPE,
        text=True,
    )


def measure(env, pages, args, script: Path, publish: bool) -> tuple[dict, int]:
    base = f"http://127.0.0.1:{PORT}"
    for _, path in pages:
        urllib.request.urlopen(base + path).read()  # stored before the clock starts
    publisher = None
    if publish:
        code = PUBLISHER.replace("DURATION", str(args.duration))
        publisher = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
    runs = {name: run_wrk(base + path, args, script) for name, path in pages}
    results = {}
    for name, run in runs.items():
        out = run.communicate()[0]
        results[name] = {**wrk_figures(out), "built": int(out.rsplit("built ", 1)[1].split()[0])}
    decisions = 0
    if publisher:
        decisions = int(publisher.communicate()[0].rsplit("decisions", 1)[1].split()[0])
    return results, decisions


@contextmanager
def site(args):
    """(environment, engine) of the site `--database-url`/`--folder` name, else a throw-away one."""
    threads = str(args.threads)
    if args.database_url:
        engine = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
        yield production_env(args.folder, args.database_url, GUNICORN_THREADS=threads), engine
        return
    with built_site("storm", args.files, GUNICORN_THREADS=threads) as built:
        yield built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=4, help="per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--database-url", help="measure this existing site")
    parser.add_argument("--folder", type=Path, help="the existing site's folder")
    args = parser.parse_args()
    exit_if_port_taken(PORT)

    with site(args) as (env, engine), tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "count_builds.lua"
        script.write_text(COUNT_BUILDS)
        topic, article = [p for p in manage(env, "shell", "-c", PICK_URLS).split() if p[0] == "/"]
        published = manage(env, "shell", "-c", COUNT_PUBLISHED).strip()
        pages = [("home", "/"), ("topic", topic), ("article", article)]
        server = start_gunicorn(env, PORT, args.workers)
        try:
            wait_for(f"http://127.0.0.1:{PORT}/")
            quiet, _ = measure(env, pages, args, script, publish=False)
            storm, decisions = measure(env, pages, args, script, publish=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(10)

    print(
        f"nproc={os.cpu_count()} engine={engine} published={published} workers={args.workers} "
        f"threads={args.threads} wrk -t1 -c{args.connections} -d{args.duration}s per page, "
        f"3 pages at once; cache: {env.get('CACHE_URL') or 'file cache (default)'}"
    )
    print(f"decisions that changed what readers see: {decisions} (each invalidates every page)")
    print(
        f"{'page':8} {'quiet r/s':>9} {'storm r/s':>9} {'x quiet':>7} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'builds':>6} {'per inv.':>8}  errors"
    )
    for name, _ in pages:
        q, s = quiet[name], storm[name]
        per_invalidation = (s["built"] - q["built"]) / decisions if decisions else float("nan")
        bad = s["non_2xx_3xx"] + s["socket_errors"]
        print(
            f"{name:8} {q['rps']:9.0f} {s['rps']:9.0f} {s['rps'] / q['rps']:7.2f} "
            f"{s['p50']:7.2f} {s['p99']:7.2f} {s['built']:6d} {per_invalidation:8.2f}  "
            f"{bad or ''}"
        )


if __name__ == "__main__":
    main()
