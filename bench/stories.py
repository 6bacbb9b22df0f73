"""How well each way of forming stories agrees with real story labels: B-cubed precision, recall
and F1 on the labelled sets of bench/data/ (see its README: ECB+, 982 real news documents in 86
events; a slice of UCI News Aggregator, 499 headlines in 12 stories; and ECB+ by its titles
alone), and the time each takes.

    .venv/bin/python bench/stories.py                 # every set, every approach available
    .venv/bin/python bench/stories.py --csv FILE      # another labelled CSV (document, story,
                                                      # title, excerpt[, date])
    .venv/bin/python bench/stories.py --seed 3        # undated rows in another order

Approaches: Newsroom's clusterer as it is (TF-IDF and static-embedding similarity mixed,
against story centroids), the same with TF-IDF alone (as before the embeddings), the
embeddings' cosine alone, and scikit-learn's agglomerative clustering where installed.

No database: Newsroom's clusterer (`articles.clustering.index.StoryIndex`) is fed the rows
directly and scored by `articles.clustering.evaluation`, in a shuffled order (a fixed seed), all
inside one time window unless the CSV has dates: the hardest case, since every story is a
candidate for every article. scikit-learn's TF-IDF with agglomerative clustering is measured for
comparison when scikit-learn is installed (it is not a runtime dependency).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from articles.clustering import index, stories, words  # noqa: E402
from articles.clustering.evaluation import b_cubed, load_labelled, story_labels  # noqa: E402
from articles.ingest.corpus import Corpus  # noqa: E402
from articles.ingest.demo import DEMO_ITEMS  # noqa: E402
from articles.ingest.seeds import canonical_url, parse_seed  # noqa: E402

FOLDER = Path(__file__).with_name("data")
SETS = ("ecbplus_headlines.csv", "uci_news_aggregator_heldout.csv")


def demo_rows(files: int = DEMO_ITEMS, seed: int = 1) -> list[dict]:
    """`make demo`'s corpus as labelled rows, in date order: each file parsed as the import
    parses it (its detected language, its related links' canonical URLs), labelled with its
    story family (`Corpus.family`)."""
    corpus = Corpus(seed)
    rows = []
    for number in range(files):
        item = parse_seed(corpus.item(number).encode(), corpus.file_name(number))
        rows.append(
            {
                "document": str(number),
                "story": str(corpus.family(number)[0]),
                "title": item.title,
                "excerpt": item.excerpt,
                "when": item.published_at,
                "url": item.canonical_url,
                "related": [canonical_url(link.url) for link in item.related],
                "language": item.language,
            }
        )
    rows.sort(key=lambda row: (row["when"], int(row["document"])))
    return rows


def names_cost(rows: list[dict], rounds: int = 5) -> None:
    """What finding names costs per item (`words.names`), beside splitting words (`terms`):
    the median of `rounds` passes over `rows`."""
    for what, function in (("names", words.names), ("terms", words.terms)):
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            for row in rows:
                function(row["title"], row["excerpt"], row.get("language", ""))
            times.append((time.perf_counter() - started) / len(rows))
        print(f"{what} per item: {statistics.median(times) * 1e6:.1f} µs ({len(rows)} items)")


def embedding_alone(rows: list[dict], threshold: float) -> list[int]:
    """The clusterer with the embeddings' cosine alone (no TF-IDF in the similarity)."""
    weight = index.LEXICAL_WEIGHT
    index.LEXICAL_WEIGHT = 0.0
    try:
        return story_labels(rows, threshold)
    finally:
        index.LEXICAL_WEIGHT = weight


def agglomerative(rows: list[dict], linkage: str, threshold: float) -> list[int]:
    """scikit-learn: TF-IDF of title and excerpt, agglomerative clustering by cosine distance
    over the whole set at once (not incremental)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{row['title']} {row['title']} {row['excerpt']}" for row in rows]
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage=linkage,
        distance_threshold=1 - threshold,
    )
    return list(model.fit_predict(vectors.toarray()))


def measure(name: str, run, gold: list[str]) -> None:
    started = time.perf_counter()
    predicted = run()
    seconds = time.perf_counter() - started
    precision, recall, f1 = b_cubed(gold, predicted)
    print(
        f"| {name} | {precision:.3f} | {recall:.3f} | {f1:.3f} | "
        f"{len(set(predicted))} | {seconds * 1000:,.0f} |"
    )


def run_set(name: str, rows: list[dict], *, quick: bool = False) -> None:
    gold = [row["story"] for row in rows]
    print(f"\n{name}: {len(rows)} documents, {len(set(gold))} stories\n")
    print("| approach | B3 precision | B3 recall | B3 F1 | stories | ms |")
    print("|---|---|---|---|---|---|")
    measure("every document alone", lambda: list(range(len(rows))), gold)
    if quick:
        measure("Newsroom (default)", lambda: story_labels(rows), gold)
        return
    for threshold in (0.35, 0.4, 0.44, 0.48, 0.5):
        mark = " (default)" if threshold == stories.TEXT_THRESHOLD else ""
        measure(
            f"Newsroom: TF-IDF + embeddings, centroid, >= {threshold}{mark}",
            lambda t=threshold: story_labels(rows, t),
            gold,
        )
    for threshold in (0.25, 0.3, 0.35):
        mark = " (without embeddings)" if threshold == stories.LEXICAL_THRESHOLD else ""
        measure(
            f"TF-IDF alone, centroid, cosine >= {threshold}{mark}",
            lambda t=threshold: story_labels(rows, t, embeddings=False),
            gold,
        )
    for threshold in (0.5, 0.55, 0.6, 0.7):
        measure(
            f"embeddings alone, centroid, cosine >= {threshold}",
            lambda t=threshold: embedding_alone(rows, t),
            gold,
        )
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("\n(scikit-learn not installed: agglomerative baselines skipped)")
        return
    for linkage in ("average", "single"):
        for threshold in (0.2, 0.25, 0.3, 0.4):
            measure(
                f"scikit-learn TF-IDF, {linkage} linkage, cosine >= {threshold}",
                lambda linkage=linkage, t=threshold: agglomerative(rows, linkage, t),
                gold,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--demo-files", type=int, default=DEMO_ITEMS)
    parser.add_argument("--quick", action="store_true", help="the default approach alone")
    # The clusterer is order-sensitive: undated rows (ECB+) score differently in another order.
    parser.add_argument("--seed", type=int, default=14, help="the undated rows' shuffle")
    args = parser.parse_args()
    if args.csv:
        run_set(args.csv.name, load_labelled(args.csv, seed=args.seed), quick=args.quick)
        return
    for name in SETS:
        rows = load_labelled(FOLDER / name, seed=args.seed)
        run_set(name, rows, quick=args.quick)
        if name.startswith("ecbplus"):
            rows = [dict(row, excerpt="") for row in rows]
            run_set(f"{name}, titles alone", rows, quick=args.quick)
    rows = demo_rows(args.demo_files)
    run_set(f"demo corpus ({args.demo_files} files, seed 1)", rows, quick=args.quick)
    print()
    names_cost(rows)
    names_cost(load_labelled(FOLDER / SETS[0]))


if __name__ == "__main__":
    main()
