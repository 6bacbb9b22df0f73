"""What the serving benchmarks share: a throw-away database, the production profile's
environment, gunicorn with the repository's config, and reading wrk's report."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNT_PUBLISHED = "from articles.models import Article; print(Article.objects.published().count())"


def manage(env: dict, *args: str, allowed_codes=(0,)) -> str:
    """Run manage.py; stop the benchmark with its error output if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode not in allowed_codes:
        sys.exit(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def build_site(env: dict, seeds: Path) -> None:
    """Migrate, collect static files, import `seeds` and publish every article."""
    manage(env, "migrate", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "import_seeds", str(seeds), "-v0", allowed_codes=(0, 1))
    publish_all = "from articles.models import Article; Article.objects.update(published=True)"
    manage(env, "shell", "--no-imports", "-c", publish_all)
    if env["DATABASE_URL"].startswith("postgres"):
        # What autovacuum does within a minute of a bulk import: without the statistics the
        # planner took the listings' per-story NOT EXISTS for every article (400 ms at 2,000),
        # and without the visibility map no count is answered from an index alone.
        subprocess.run(["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)


def write_corpus(env: dict, folder: Path, files: int) -> None:
    """The generated corpus (`articles.ingest.corpus`, seed 5) of `files` seeds in `folder`,
    written by manage.py: importing `articles.ingest` needs Django set up."""
    write = (
        f"from articles.ingest.corpus import Corpus; Corpus(seed=5).write({str(folder)!r}, {files})"
    )
    manage(env, "shell", "--no-imports", "-c", write)


def exit_if_port_taken(port: int, hint: str = "") -> None:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"port {port} is taken{hint}")


@contextmanager
def scratch_database(folder: Path, label: str):
    """Yields (DATABASE_URL, engine name) of a new database: PostgreSQL beside the one in
    DATABASE_URL when that points there (dropped afterwards), else SQLite in `folder`."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        yield f"sqlite:///{folder / f'{label}.sqlite3'}", "SQLite"
        return
    base, _, name = configured.rpartition("/")
    scratch = f"{name or 'newsroom'}_{label}_{os.getpid()}"
    admin = f"{base}/postgres"
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {scratch}"], check=True)
    try:
        yield f"{base}/{scratch}", "PostgreSQL"
    finally:
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)"])


@contextmanager
def built_site(label: str, files: int, **extra: str):
    """Yields (environment, engine name) of a throw-away site in the production profile: a
    scratch database, the generated corpus of `files` seeds imported, everything published."""
    with (
        tempfile.TemporaryDirectory(prefix=f"newsroom-{label}-") as tmp,
        scratch_database(Path(tmp), label) as (database_url, engine),
    ):
        env = production_env(Path(tmp), database_url, **extra)
        write_corpus(env, Path(tmp) / "corpus", files)
        build_site(env, Path(tmp) / "corpus")
        yield env, engine


def in_process_arguments(description: str, files: int, requests: int, **more):
    """The arguments every in-process benchmark takes: a site to build (`--files`), or an
    existing one (`--database-url`, `--folder`), and how many requests; `more` adds
    `--name=default` integer options."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--files", type=int, default=files)
    parser.add_argument("--requests", type=int, default=requests)
    for name, default in more.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--database-url", help="measure this existing site")
    parser.add_argument("--folder", type=Path, help="the existing site's folder")
    return parser.parse_args()


def measure_in_process(label: str, body: str, args, *script_args) -> None:
    """Run `body` (Python, after django.setup()) in one child process with DEBUG off and no
    cache (every answer built from the database), on the existing site `args` names or on a
    throw-away one of `args.files` seeds; `script_args` reach it as sys.argv[1:]."""
    script = (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'newsroom.settings')\n"
        "django.setup()\n" + body
    )

    def run(env: dict) -> None:
        command = [sys.executable, "-c", script, *map(str, script_args)]
        subprocess.run(command, cwd=ROOT, env=env, check=True)

    if args.database_url:
        engine = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
        print(f"nproc={os.cpu_count()} engine={engine}")
        run(production_env(args.folder, args.database_url, CACHE_URL="dummycache://"))
        return
    with built_site(label, args.files, CACHE_URL="dummycache://") as (env, engine):
        print(f"nproc={os.cpu_count()} engine={engine} files={args.files}")
        run(env)


def production_env(folder: Path, database_url: str, **extra: str) -> dict:
    """The production profile on loopback: DEBUG off, a real key, files in `folder`."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def start_gunicorn(env: dict, port: int, workers: int, **popen) -> subprocess.Popen:
    """gunicorn with the repository's gunicorn.conf.py, without the access log (BENCH_ACCESS_LOG=
    FILE keeps it there, each request's time in it: to find which requests a p99 is made of)."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env={
            "GUNICORN_LOG_LEVEL": "warning",
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_ACCESS_LOG": env.get("BENCH_ACCESS_LOG", ""),
        },
        **popen,
    )


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"server did not answer {url}")


def wrk_figures(out: str) -> dict:
    """Requests, requests/s, p50/p99 (ms), non-2xx/3xx answers and socket errors from
    `wrk --latency` output."""

    def latency(percent):
        value, unit = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
        "socket_detail": errors.group(0) if errors else "none",
    }
