"""Import benchmark: parse floor, first import, unchanged re-import, 10%-changed re-import.

    python bench/import.py [--files 20000] [--seed 1] [--rules 50]

With `--rules N`, the first import also runs into a third fresh database holding N import rules
(a realistic mix that mostly does not match, so every rule is tried on every item; see
`make_rules`), to show what applying rules adds (issue 25: at most 10%).

The first import is also run into a second fresh database without clustering stories
(`run_import(cluster=False)`), to show what clustering adds (issue 14: at most 25%).

Runs on a fresh SQLite database, and also on PostgreSQL when DATABASE_URL points there (a
throw-away database `<name>_bench` is created beside it). Each phase runs in its own process so
that its peak memory (max RSS) is its own; ratios compare each phase with the parse floor measured
in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def phase(name: str, folder: str, database_url: str, rules: int = 0) -> dict:
    """Run one phase in a child process; return its figures."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false", "SECRET_KEY": "bench"}
    env.pop("BENCH_NO_CLUSTERING", None)
    if name == "import-without-stories":
        name, env["BENCH_NO_CLUSTERING"] = "import", "1"
    proc = subprocess.Popen(
        [sys.executable, __file__, "--phase", name, "--folder", folder, "--rules", str(rules)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    out, _ = proc.communicate()
    if proc.returncode:
        sys.exit(f"phase {name} failed")
    return json.loads(out.strip().splitlines()[-1])


def run_phase(name: str, folder: str, rules: int = 0) -> None:
    import resource

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.core.management import call_command

    if name == "migrate":
        call_command("migrate", verbosity=0)
        from bench.import_rules import make_rules

        make_rules(rules)
        print(json.dumps({}))
        return
    started = time.perf_counter()
    count, rules_seconds, cluster_seconds, cluster_mb = 0, 0.0, 0.0, 0.0
    if name == "floor":
        import frontmatter

        with os.scandir(folder) as entries:
            for entry in entries:
                with open(entry.path, encoding="utf-8") as handle:
                    frontmatter.loads(handle.read())
                count += 1
    else:
        from articles.ingest.run import run_import

        summary = run_import(
            [folder],
            max_bytes=1 << 20,
            started_by="bench",
            cluster=not os.environ.get("BENCH_NO_CLUSTERING"),
        )
        assert not summary.rejections, summary.rejections[:3]
        count = summary.seen
        rules_seconds = summary.rules_seconds
        cluster_seconds, cluster_mb = summary.cluster_seconds, summary.cluster_peak_mb
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "files": count,
                "peak_mb": peak_mb,
                "worker_mb": worker_mb,
                "rules_seconds": rules_seconds,
                "cluster_seconds": cluster_seconds,
                "cluster_mb": cluster_mb,
            }
        )
    )


def bench_database(
    label: str,
    database_url: str,
    corpus,
    count: int,
    workdir: Path,
    without_stories_url: str,
    rules: int = 0,
    with_rules_url: str = "",
) -> None:
    folder = workdir / "corpus"
    corpus.write(folder, count)
    phase("migrate", str(folder), database_url)
    phase("migrate", str(folder), without_stories_url)
    floor = phase("floor", str(folder), database_url)
    rows = [("parse floor (read + frontmatter.loads)", floor)]
    rows.append(
        (
            "first import, no story clustering",
            phase("import-without-stories", str(folder), without_stories_url),
        )
    )
    first = phase("import", str(folder), database_url)
    rows.append(("first import", first))
    if rules:
        phase("migrate", str(folder), with_rules_url, rules)
        ruled = phase("import", str(folder), with_rules_url)
        rows.append((f"first import, {rules} rules", ruled))
        share = ruled["rules_seconds"] / ruled["seconds"]
        print(
            f"rules: {ruled['rules_seconds']:.2f} s of that import's {ruled['seconds']:.2f} s "
            f"({share:.1%}), measured in the importing process"
        )
    rows.append(("re-import, unchanged", phase("import", str(folder), database_url)))
    corpus.write(folder, count, changed_every=10)
    rows.append(("re-import, 10% changed", phase("import", str(folder), database_url)))
    without = rows[1][1]
    print(f"\n{label}: {count} files")
    print(
        f"clustering: {first['cluster_seconds']:.2f} s of the first import's "
        f"{first['seconds']:.2f} s ({first['cluster_seconds'] / first['seconds']:.1%}); the "
        f"first import is {first['seconds'] / without['seconds'] - 1:+.1%} against no clustering"
    )
    print(
        "peak MB: the importing process; children: the largest of the parse worker and the "
        "clustering process; clustering: that process alone (0: nothing to cluster, or in-process)"
    )
    print(
        f"{'phase':40} {'seconds':>8} {'files/s':>9} {'x floor':>8} {'peak MB':>8} "
        f"{'children':>8} {'clustering':>10} {'cluster s':>9}"
    )
    for title, r in rows:
        ratio = r["seconds"] / floor["seconds"]
        rate = r["files"] / r["seconds"]
        print(
            f"{title:40} {r['seconds']:8.2f} {rate:9,.0f} {ratio:8.2f} {r['peak_mb']:8.0f} "
            f"{r['worker_mb']:8.0f} {r['cluster_mb']:10.0f} {r['cluster_seconds']:9.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rules", type=int, default=0, help="also import with this many rules")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase(args.phase, args.folder, args.rules)
        return

    from articles.ingest.corpus import Corpus

    print(f"nproc={os.cpu_count()} python={sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        workdir = Path(tmp)
        bench_database(
            "SQLite",
            f"sqlite:///{workdir / 'bench.sqlite3'}",
            Corpus(args.seed),
            args.files,
            workdir / "sqlite",
            f"sqlite:///{workdir / 'bench-without-stories.sqlite3'}",
            args.rules,
            f"sqlite:///{workdir / 'bench-with-rules.sqlite3'}",
        )
        postgres = os.environ.get("DATABASE_URL", "")
        if postgres.startswith("postgres"):
            base, _, name = postgres.rpartition("/")
            bench_name = f"{name}_bench"
            admin = f"{base}/postgres"
            plain_name = f"{bench_name}_without_stories"
            for db in (bench_name, plain_name):
                subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {db}"], check=True)
                subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {db}"], check=True)
            try:
                bench_database(
                    "PostgreSQL",
                    f"{base}/{bench_name}",
                    Corpus(args.seed),
                    args.files,
                    workdir / "postgres",
                    f"{base}/{plain_name}",
                )
            finally:
                for db in (bench_name, plain_name):
                    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {db}"])


if __name__ == "__main__":
    main()
