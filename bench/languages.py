"""What language detection costs the import, and what the demo corpus's stories look like.

    .venv/bin/python bench/languages.py [--files 5000] [--seed 1]

Prints: the detector's load time (once per importing process), its cost per item on the
generated corpus's files (title, excerpt and body as the importer passes them; the median of
five rounds), what `parse_seed` costs per file with and without it, the languages found, and
the B-cubed precision and recall of the stories the clusterer makes of the corpus (no database:
`StoryIndex` fed in date order) against the corpus's own families (`Corpus.family`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from articles.clustering.evaluation import b_cubed, item_of  # noqa: E402
from articles.clustering.index import StoryIndex  # noqa: E402
from articles.ingest.corpus import Corpus  # noqa: E402
from articles.ingest.seeds import canonical_url, parse_seed  # noqa: E402
from articles.ingest.seeds import item as seed_item  # noqa: E402
from articles.languages import detect  # noqa: E402


def resident_mb() -> float:
    """This process's resident memory now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def per_item(function, values, rounds: int = 5) -> float:
    """Median seconds per value over `rounds` passes."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for value in values:
            function(value)
        times.append((time.perf_counter() - start) / len(values))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    corpus = Corpus(args.seed)
    raws = [(corpus.item(n).encode(), corpus.file_name(n)) for n in range(args.files)]

    before, start = resident_mb(), time.perf_counter()
    detect._model()
    print(
        f"detector load (once per process): {time.perf_counter() - start:.2f} s, "
        f"+{resident_mb() - before:.1f} MB resident"
    )
    items = [parse_seed(raw, name) for raw, name in raws]
    texts = [(item.title, item.excerpt, item.body) for item in items]
    cost = per_item(lambda text: detect.detect_language(*text), texts)
    print(f"detect_language per item: {cost * 1e6:.0f} µs ({args.files} corpus files)")
    with_detection = per_item(lambda raw: parse_seed(*raw), raws, rounds=3)
    with mock.patch.object(seed_item, "detect_language", lambda *text: ""):
        without = per_item(lambda raw: parse_seed(*raw), raws, rounds=3)
    print(
        f"parse_seed per file: {with_detection * 1e6:.0f} µs with detection, "
        f"{without * 1e6:.0f} µs without (+{(with_detection / without - 1) * 100:.0f}%)"
    )
    found = Counter(item.language or "unknown" for item in items)
    print("languages found:", ", ".join(f"{lang} {count}" for lang, count in found.most_common()))
    stated = Counter(corpus.language(n) for n in range(args.files))
    agree = sum(item.language == corpus.language(n) for n, item in enumerate(items))
    print(f"detected as the corpus wrote it: {agree / args.files:.1%} ({dict(stated)})")

    def score(language_of) -> tuple[float, float, float]:
        index = StoryIndex()
        order = sorted(range(args.files), key=lambda n: (items[n].published_at, n))
        labels = {}
        for n in order:
            item = items[n]
            row = {
                "document": n,
                "when": item.published_at,
                "url": item.canonical_url,
                "title": item.title,
                "excerpt": item.excerpt,
                "related": [canonical_url(link.url) for link in item.related],
                "language": language_of(item),
            }
            labels[n] = index.add(item_of(n, row))[0]
        gold = [str(corpus.family(n)[0]) for n in range(args.files)]
        return b_cubed(gold, [labels[n] for n in range(args.files)])

    try:
        for name, language_of in (
            ("stop words of each article's language", lambda item: item.language),
            ("English stop words for all (before)", lambda item: ""),
        ):
            precision, recall, f1 = score(language_of)
            print(f"demo stories, {name}: P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
    except (AttributeError, TypeError) as error:  # the clusterer's interface moved on
        print(f"demo stories: not scored ({error})")


if __name__ == "__main__":
    main()
