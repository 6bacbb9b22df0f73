"""Lighthouse 12.2.3 on the reader site's home and article pages, served as in production.

    .venv/bin/python bench/lighthouse.py [--port 8420] [--articles 200] [--keep REPORT_DIR]

Builds a throw-away SQLite site from the deterministic corpus (plus the sample seed), publishes
it, serves it with DEBUG off on 127.0.0.1, runs Lighthouse (npm, `npm ci` first) with Debian's
Chromium, and prints the four category scores per page. Exits 1 if any score is below 0.9.
"""

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.ingest.corpus import Corpus  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 0.9

PICK_ARTICLE = """
from articles.models import Article
Article.objects.all().set_published(True, editor=None)
article = (
    Article.objects.published().exclude(body="").filter(related_links__isnull=False)
    .order_by("id").first()
)
print(article.get_absolute_url())
"""


def manage(env, *args, capture=False):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def lighthouse(url: str, report: Path) -> dict[str, float]:
    env = os.environ | {"CHROME_PATH": CHROMIUM}
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    data = json.loads(report.read_text())
    return {name: data["categories"][name]["score"] for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="folder to keep the JSON reports in")
    options = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is missing: run `npm ci` in the project folder first.")

    with tempfile.TemporaryDirectory(prefix="newsroom-lighthouse-") as folder:
        work = Path(folder)
        seeds = work / "seeds"
        seeds.mkdir()
        Corpus(1).write(seeds, options.articles)
        env = os.environ | {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"sqlite:///{work / 'site.sqlite3'}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_ROOT": str(work / "media"),
            "STATIC_ROOT": str(work / "static"),
        }
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "import_seeds", "-v0", str(seeds), str(ROOT / "seeds"))
        article_path = manage(env, "shell", "-v0", "-c", PICK_ARTICLE, capture=True)
        article_path = article_path.stdout.strip().splitlines()[-1]
        assert re.fullmatch(r"/articles/\d+/[^/]+/", article_path), article_path

        base = f"http://127.0.0.1:{options.port}"
        # The production profile: gunicorn with the repository's config, whitenoise serving the
        # collected, hashed and compressed static files.
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env
            | {
                "GUNICORN_BIND": f"127.0.0.1:{options.port}",
                "WEB_CONCURRENCY": "2",
                "GUNICORN_ACCESS_LOG": "",
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(base + "/")
            reports = options.keep or work
            reports.mkdir(parents=True, exist_ok=True)
            results = {
                "home": lighthouse(base + "/", reports / "home.json"),
                "article": lighthouse(base + article_path, reports / "article.json"),
            }
        finally:
            server.terminate()
            server.wait(timeout=10)

    failed = False
    print(f"{'page':<8} " + " ".join(f"{name:>15}" for name in CATEGORIES))
    for page, scores in results.items():
        print(f"{page:<8} " + " ".join(f"{scores[name]:>15.2f}" for name in CATEGORIES))
        failed |= any(score is None or score < TARGET for score in scores.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
