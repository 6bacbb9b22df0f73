"""Build a benchmark site once, to measure it many times (`--database-url URL --folder DIR` of
bench/pages.py, publish_storm.py, listings.py and the in-process benchmarks).

    python bench/build_site.py --files 100000 --folder DIR [--database-url URL]

Without `--database-url` the site is SQLite in DIR/site.sqlite3; with a PostgreSQL URL the
database must exist and be empty. DIR receives the corpus and the collected static files. The
site is the one `built_site` makes for a single run: the generated corpus imported, everything
published (and on PostgreSQL, analysed). Prints the URL to pass on.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import build_site, production_env, write_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (else SQLite)")
    args = parser.parse_args()
    folder = args.folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite:///{folder / 'site.sqlite3'}"
    env = production_env(folder, database_url)
    started = time.perf_counter()
    write_corpus(env, folder / "corpus", args.files)
    build_site(env, folder / "corpus")
    print(f"built {args.files} files in {time.perf_counter() - started:.0f} s")
    print(f"--database-url {database_url} --folder {folder}")


if __name__ == "__main__":
    main()
