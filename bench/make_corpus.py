"""Write N realistic seed files: `python bench/make_corpus.py OUTDIR N [--seed S]`."""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.ingest.corpus import Corpus  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--changed-every", type=int, default=0, help="give every k-th file new content"
    )
    args = parser.parse_args()
    Corpus(args.seed).write(args.outdir, args.count, changed_every=args.changed_every)
    print(f"wrote {args.count} seed files to {args.outdir}")


if __name__ == "__main__":
    main()
