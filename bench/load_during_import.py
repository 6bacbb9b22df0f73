"""Reader pages under load while an import writes to the same database, on the production profile.

    python bench/load_during_import.py [--files 5000] [--duration 60] [--connections 8]

Builds a throw-away database (SQLite; PostgreSQL when DATABASE_URL points there: a scratch
database beside it, dropped afterwards) holding 1,000 published articles, serves it with gunicorn
(gunicorn.conf.py, 2 workers, DEBUG off) on 127.0.0.1, then for `--duration` seconds hits home,
article, topic, search and feed pages with wrk (one Lua script rotating over the URLs) while
`import_seeds` imports `--files` generated files into the same database: half of the served
articles updated, the rest new. When an import finishes before the load does, the next one
starts (every file changed again), so the database is written to for the whole run.

Prints requests/s, p50, p99, answers that were not 2xx/3xx (and how many were 5xx), socket
errors, server errors logged, and each import's summary. Exits 1 on any 5xx, failed request or
server error, or when an import failed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import (  # noqa: E402
    build_site,
    exit_if_port_taken,
    manage,
    production_env,
    scratch_database,
    start_gunicorn,
    wait_for,
    wrk_figures,
)

PORT = int(os.environ.get("LOAD_PORT", "8733"))
SERVED_ARTICLES = 1000

PICK_URLS = """
from django.db.models import Count
from articles.models import Article
from taggit.models import Tag
articles = Article.objects.published().order_by("id")
for article in articles[:20]:
    print(article.get_absolute_url())
for tag in Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n", "slug")[:5]:
    print(f"/topics/{tag.slug}/")
    print(f"/topics/{tag.slug}/feed/")
for article in articles[:5]:
    print("/search/?q=" + "+".join(article.title.split()[:2]))
"""

# Rotates over the URLs; counts 5xx and 4xx per thread and adds them up at the end.
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counter = 0; status5xx = 0; status4xx = 0 end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
function response(status, headers, body)
  if status >= 500 then status5xx = status5xx + 1
  elseif status >= 400 then status4xx = status4xx + 1 end
end
function done(summary, latency, requests)
  local n5, n4 = 0, 0
  for _, thread in ipairs(threads) do
    n5 = n5 + thread:get("status5xx")
    n4 = n4 + thread:get("status4xx")
  end
  io.write(string.format("5xx: %%d\\n4xx: %%d\\n", n5, n4))
end
"""


def parse_wrk(out: str) -> dict:
    """wrk's figures, and the 4xx/5xx counts the Lua script reports."""
    return {
        **wrk_figures(out),
        "5xx": int(re.search(r"^5xx: (\d+)", out, re.M).group(1)),
        "4xx": int(re.search(r"^4xx: (\d+)", out, re.M).group(1)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000, help="files per import")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not 1 <= args.duration <= 600:
        sys.exit("--duration: 1 to 600 seconds")
    exit_if_port_taken(PORT, " (set LOAD_PORT)")

    from articles.ingest.corpus import Corpus

    with (
        tempfile.TemporaryDirectory(prefix="newsroom-load-") as tmp,
        scratch_database(Path(tmp), "load") as (database_url, engine),
    ):
        tmp = Path(tmp)
        env = production_env(tmp, database_url)
        server = None
        try:
            corpus = Corpus(seed=5)
            corpus.write(tmp / "served", SERVED_ARTICLES)
            build_site(env, tmp / "served")
            picked = manage(env, "shell", "--no-imports", "-c", PICK_URLS).splitlines()
            paths = ["/", "/feed/", "/feed/atom/", *(p for p in picked if p.startswith("/"))]

            # The first import during the load: every second served article changed, the rest of
            # the files new. Later ones (written while the load runs) change every file again.
            corpus.write(tmp / "incoming-2", args.files, changed_every=2, variant=2)

            log = tmp / "gunicorn.log"
            server = start_gunicorn(
                {**env, "GUNICORN_ERROR_LOG": str(log)},
                PORT,
                2,
                stderr=open(tmp / "django.log", "w"),  # noqa: SIM115 (closed with the process)
            )
            base = f"http://127.0.0.1:{PORT}"
            wait_for(base + "/healthz")
            for path in paths:  # every URL answers before the load starts
                try:
                    urllib.request.urlopen(base + path).read()
                except OSError as error:
                    for name in ("gunicorn.log", "django.log"):
                        print((tmp / name).read_text()[-3000:], file=sys.stderr)
                    sys.exit(f"{path}: {error}")

            script = tmp / "mix.lua"
            script.write_text(WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)})
            print(
                f"nproc={os.cpu_count()} engine={engine} served={SERVED_ARTICLES} "
                f"urls={len(paths)} files/import={args.files} gunicorn workers=2 "
                f"wrk -t2 -c{args.connections} -d{args.duration}s"
            )
            wrk = subprocess.Popen(
                [
                    "wrk",
                    "-t2",
                    f"-c{args.connections}",
                    f"-d{args.duration}s",
                    "--timeout",
                    "10s",
                    "--latency",
                    "-s",
                    str(script),
                    base + "/",
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            started = time.monotonic()
            imports = []
            for variant in itertools.count(2):
                if time.monotonic() - started > args.duration - 5:
                    break
                folder = tmp / f"incoming-{variant}"
                # The next import's files are written while this one runs: no pause between.
                following = threading.Thread(
                    target=corpus.write,
                    args=(tmp / f"incoming-{variant + 1}", args.files),
                    kwargs={"changed_every": 1, "variant": variant + 1},
                )
                following.start()
                begun = time.monotonic() - started
                result = subprocess.run(
                    [sys.executable, "manage.py", "import_seeds", str(folder), "-v1"],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
                imports.append((begun, time.monotonic() - started, result.returncode, summary))
                if result.returncode != 0:
                    print(result.stderr[-2000:], file=sys.stderr)
                shutil.rmtree(folder)
                following.join()
            out = wrk.communicate(timeout=args.duration + 60)[0]
            figures = parse_wrk(out)
        finally:
            if server:
                server.send_signal(signal.SIGTERM)
                server.wait(20)
        server_errors = [
            line
            for path in (log, tmp / "django.log")
            for line in path.read_text(errors="replace").splitlines()
            if re.search(r"\b(ERROR|CRITICAL|Traceback)\b", line)
        ]

    print(
        f"requests {figures['requests']}, {figures['rps']:.0f} requests/s, "
        f"p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms"
    )
    print(
        f"answers not 2xx/3xx: {figures['non_2xx_3xx']} (5xx: {figures['5xx']}, "
        f"4xx: {figures['4xx']}); socket errors: {figures['socket_detail']}"
    )
    print(f"server errors logged: {len(server_errors)}")
    for line in server_errors[:10]:
        print("  " + line)
    for begun, ended, code, summary in imports:
        print(f"import {begun:5.1f}s → {ended:5.1f}s, exit {code}: {summary}")
    failed = (
        figures["5xx"]
        or figures["non_2xx_3xx"]
        or figures["socket_errors"]
        or server_errors
        or any(code != 0 for _, _, code, _ in imports)
        or not imports
    )
    print("FAILED" if failed else "OK: no 5xx, no failed request, every import finished")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
