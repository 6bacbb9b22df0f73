"""The uncached article page on Django templates against Jinja2: could the reader do with one
template engine?

    python bench/template_engines.py [--files 2000] [--requests 300] [--serve]
    python bench/template_engines.py --database-url URL --folder DIR [--serve]  # existing site

Builds a throw-away site (SQLite, or PostgreSQL when DATABASE_URL points there) from the generated
corpus, everything published. In one process with DEBUG off and the dummy cache (every request
builds its page), requests through Django's test client, alternating request by request, the
constant view (/bench/constant/), and the article page (the published article with the most
related links, and the same among articles with a body) rendered two ways: today's Jinja2
templates, and a port of them to Django templates with the dates and URLs prepared in the view
(bench/django_article.py, bench/django_templates/). Both renderings must give the same page
(checked before timing, whitespace aside). Prints the median wall-clock and CPU milliseconds
of each (CPU time is steadier on a shared machine), each page's rate as a fraction of the
constant view's ("x const", the 0.25x target's measure), and the lowest and highest Django /
Jinja2 of the run's blocks (`--blocks`), the spread to read the difference against.

`--serve` then also serves the site with gunicorn (2 workers) and wrk, as bench/pages.py does,
once with each engine, twice in turn: the 0.25x target is defined on that measure.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import (  # noqa: E402
    built_site,
    exit_if_port_taken,
    manage,
    production_env,
    start_gunicorn,
    wait_for,
    wrk_figures,
)

PORT = 8733

PICK_ARTICLES = """
from django.db.models import Count
from articles.models import Article
most_links = Article.objects.published().annotate(n=Count("related_links")).order_by("-n", "id")
print(most_links.first().get_absolute_url())
print(most_links.exclude(body="").first().get_absolute_url())
"""

MEASURE = """
import re, statistics, sys, time
from django.test import Client
from bench.django_article import use_django_templates

requests, blocks, urls = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
client = Client(HTTP_HOST="127.0.0.1")


def get(url, engine="jinja2"):
    use_django_templates(engine == "django")
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode(), wall * 1000, cpu * 1000


def words(html):
    return re.sub(r">\\s+", ">", re.sub(r"\\s+<", "<", re.sub(r"\\s+", " ", html))).strip()


print(
    f"{'page':13} {'view':9} {'ms':>6} {'x const':>7} {'CPU ms':>6} {'x const':>7}   "
    f"{'Django-Jinja2 ms':>16} {'Django/Jinja2':>13} {'blocks min-max':>14}"
)
for name, url in zip(("article", "article+body"), urls):
    jinja2_page, django_page = get(url)[0], get(url, "django")[0]
    assert words(jinja2_page) == words(django_page), f"{name}: the two engines differ"
    forms = {
        "constant": ("/bench/constant/", "jinja2"),
        "Jinja2": (url, "jinja2"),
        "Django": (url, "django"),
    }
    for _ in range(20):  # warm: templates compiled, connection open, statements prepared
        for path, engine in forms.values():
            get(path, engine)
    walls = {form: [] for form in forms}
    cpus = {form: [] for form in forms}
    for i in range(requests):
        order = list(forms) if i % 2 == 0 else list(reversed(forms))  # none always first
        for form in order:
            _, wall, cpu = get(*forms[form])
            walls[form].append(wall)
            cpus[form].append(cpu)
    wall = {form: statistics.median(values) for form, values in walls.items()}
    cpu = {form: statistics.median(values) for form, values in cpus.items()}
    size = max(1, requests // blocks)
    ratios = [
        statistics.median(walls["Django"][i : i + size])
        / statistics.median(walls["Jinja2"][i : i + size])
        for i in range(0, requests - size + 1, size)
    ]
    for form in forms:
        line = (
            f"{name if form == 'constant' else '':13} {form:9} {wall[form]:6.2f} "
            f"{wall['constant'] / wall[form]:7.3f} {cpu[form]:6.2f} "
            f"{cpu['constant'] / cpu[form]:7.3f}"
        )
        if form == "Django":
            line += (
                f"   {wall[form] - wall['Jinja2']:16.2f} {wall[form] / wall['Jinja2']:13.2f} "
                f"{min(ratios):6.2f}-{max(ratios):.2f}"
            )
        print(line)
"""


def measure_in_process(env: dict, urls: list[str], args) -> None:
    print(f"\nin-process, test client, {args.requests} requests of each, alternating")
    subprocess.run(
        [sys.executable, "-c", _script(MEASURE), str(args.requests), str(args.blocks), *urls],
        cwd=ROOT,
        env=env,
        check=True,
    )


def wrk(url: str, duration: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return wrk_figures(out)


def serve_and_measure(env: dict, urls: list[str], args) -> None:
    print(f"\ngunicorn, 2 workers, wrk -t2 -c8 -d{args.duration}s; req/s (x const)")
    print(f"{'engine':8} {'constant':>9} {'article':>16} {'article+body':>16}")
    for _ in range(2):
        for engine, app in (("Jinja2", []), ("Django", ["bench.django_article:served()"])):
            server = start_gunicorn(env, PORT, 2) if not app else _gunicorn_app(env, app)
            try:
                base = f"http://127.0.0.1:{PORT}"
                wait_for(base + "/bench/constant/")
                rates = []
                for path in ("/bench/constant/", *urls):
                    urllib.request.urlopen(base + path).read()  # warm
                    result = wrk(base + path, args.duration)
                    assert not result["non_2xx_3xx"] and not result["socket_errors"], result
                    rates.append(result["rps"])
                cells = [f"{rate:7.0f} ({rate / rates[0]:.2f})" for rate in rates[1:]]
                print(f"{engine:8} {rates[0]:9.0f} " + " ".join(f"{c:>16}" for c in cells))
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(10)


def _gunicorn_app(env: dict, app: list[str]) -> subprocess.Popen:
    """As bench.serving.start_gunicorn, serving `app` instead of the configured one."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", *app],
        cwd=ROOT,
        env={
            "GUNICORN_LOG_LEVEL": "warning",
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_ACCESS_LOG": "",
        },
    )


def measure(env: dict, engine: str, args) -> None:
    urls = [line for line in manage(env, "shell", "-c", PICK_ARTICLES).split() if line[0] == "/"]
    print(f"nproc={os.cpu_count()} engine={engine} pages: {' '.join(urls)}")
    measure_in_process(env, urls, args)
    if args.serve:
        serve_and_measure(env, urls, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300, help="of each page, in-process")
    parser.add_argument("--blocks", type=int, default=5)
    parser.add_argument("--serve", action="store_true", help="also under gunicorn and wrk")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--database-url", help="measure this existing site")
    parser.add_argument("--folder", type=Path, help="the existing site's folder")
    args = parser.parse_args()
    if args.serve:
        exit_if_port_taken(PORT)

    extra = {"CACHE_URL": "dummycache://", "BENCHMARK_VIEWS": "true"}
    if args.database_url:
        engine = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
        measure(production_env(args.folder, args.database_url, **extra), engine, args)
        return
    with built_site("engines", args.files, **extra) as (env, engine):
        measure(env, engine, args)


def _script(body: str) -> str:
    return (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'newsroom.settings')\n"
        "django.setup()\n" + body
    )


if __name__ == "__main__":
    main()
