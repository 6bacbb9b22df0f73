"""Reader-page benchmark under gunicorn on the production profile, with wrk.

    python bench/pages.py [--files 2000] [--duration 10] [--connections 8] [--workers 2]

Builds a throw-away database (SQLite, or PostgreSQL when DATABASE_URL points there) from a
generated corpus, publishes everything, then serves it with gunicorn twice: with the configured
cache (pages cached) and with Django's dummy cache (every page built from the database). Each
page's requests/s is compared with a constant view served by the same server in the same run.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PORT = 8731


def manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode not in (0, 1):  # 1: some seeds rejected, which the bench tolerates
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


PICK_URLS = """
from django.db.models import Count
from articles.models import Article, Provider
from taggit.models import Tag
article = (Article.objects.published().annotate(n=Count("related_links"))
           .order_by("-n", "id").first())
tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
provider = Provider.objects.annotate(n=Count("articles")).order_by("-n").first()
print(article.get_absolute_url())
print(f"/topics/{tag.slug}/")
print(f"/providers/{provider.domain}/")
print("/search/?q=" + article.title.split()[0])
"""


def wait_for(url: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"server did not answer {url}")


def wrk(url: str, duration: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)

    def latency(percent):
        value, unit = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": rps,
        "p50": latency(50),
        "p99": latency(99),
        "bad": int(non_2xx.group(1)) if non_2xx else 0,
        "errors": errors.group(1) if errors else "",
    }


def serve_and_measure(label, env, urls, args) -> None:
    # The repository's gunicorn.conf.py (the production profile), without the access log.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "WEB_CONCURRENCY": str(args.workers),
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_LOG_LEVEL": "warning",
        },
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        wait_for(base + "/bench/constant/")
        results = {}
        for name, path in [("constant view", "/bench/constant/"), *urls]:
            urllib.request.urlopen(base + path).read()  # warm: fill caches, open connections
            results[name] = wrk(base + path, args.duration, args.connections)
        ceiling = results["constant view"]["rps"]
        print(f"\n{label}")
        print(f"{'page':16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'x const':>8}  errors")
        for name, r in results.items():
            bad = f"{r['bad']} non-2xx {r['errors']}" if r["bad"] or r["errors"] else ""
            print(
                f"{name:16} {r['rps']:8.0f} {r['p50']:8.2f} {r['p99']:8.2f} "
                f"{r['rps'] / ceiling:8.2f}  {bad}"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            sys.exit(f"port {PORT} is taken")

    from bench.corpus import Corpus

    with tempfile.TemporaryDirectory(prefix="newsroom-pages-") as tmp:
        tmp = Path(tmp)
        database_url = os.environ.get("DATABASE_URL", "")
        scratch = None
        if database_url.startswith("postgres"):
            base = database_url.rpartition("/")[0]
            scratch = f"newsroom_pages_bench_{os.getpid()}"
            subprocess.run(
                ["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {scratch}"], check=True
            )
            database_url = f"{base}/{scratch}"
        else:
            database_url = f"sqlite:///{tmp / 'pages.sqlite3'}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BENCHMARK_VIEWS": "true",
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
        }
        try:
            Corpus(seed=5).write(tmp / "corpus", args.files)
            manage(env, "migrate", "-v0")
            manage(env, "collectstatic", "--noinput", "-v0")
            manage(env, "import_seeds", str(tmp / "corpus"), "-v0")
            manage(
                env,
                "shell",
                "-c",
                "from articles.models import Article; Article.objects.update(published=True)",
            )
            paths = [
                line for line in manage(env, "shell", "-c", PICK_URLS).split() if line[0] == "/"
            ]
            urls = list(zip(["article", "topic", "provider", "search"], paths, strict=True))
            urls.insert(0, ("home", "/"))
            engine = "PostgreSQL" if scratch else "SQLite"
            print(
                f"nproc={os.cpu_count()} engine={engine} files={args.files} "
                f"workers={args.workers} wrk -t2 -c{args.connections} -d{args.duration}s"
            )
            serve_and_measure("cached (configured CACHE_URL)", env, urls, args)
            serve_and_measure(
                "uncached (CACHE_URL=dummycache://)",
                {**env, "CACHE_URL": "dummycache://"},
                urls,
                args,
            )
        finally:
            if scratch:
                subprocess.run(
                    [
                        "psql",
                        f"{base}/postgres",
                        "-qc",
                        f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)",
                    ]
                )


if __name__ == "__main__":
    main()
