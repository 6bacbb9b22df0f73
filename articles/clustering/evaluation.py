"""How well the clusterer agrees with real story labels: B-cubed precision, recall and F1 over
a labelled CSV (columns document, story, title, excerpt, and an optional ISO date), fed to
`StoryIndex` directly, with no database. The labelled sets and the comparison with other
approaches are the benchmark's (bench/stories.py, bench/data/); a test holds the figures."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import Counter
from pathlib import Path

from articles.clustering.embedding import embed, headline_text
from articles.clustering.index import TEXT_THRESHOLD, Item, StoryIndex
from articles.clustering.words import names, terms

# Rows without a date are one second apart from here: all inside one window, the hardest case,
# since every story is then a candidate for every article.
UNDATED_START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def load_labelled(path: Path, *, seed: int = 14) -> list[dict]:
    """The rows of a labelled CSV in date order, shuffled first with `seed` (undated rows keep
    the shuffled order), each with its moment under "when"."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    random.Random(seed).shuffle(rows)
    for position, row in enumerate(rows):
        if row.get("date"):
            row["when"] = dt.datetime.fromisoformat(row["date"])
        else:
            row["when"] = UNDATED_START + dt.timedelta(seconds=position)
    rows.sort(key=lambda row: row["when"])
    return rows


def b_cubed(gold: list[str], predicted: list[object]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga and Baldwin 1998), averaged over items."""
    pairs = Counter(zip(gold, predicted, strict=True))
    gold_sizes, predicted_sizes = Counter(gold), Counter(predicted)
    precision = recall = 0.0
    for g, p in zip(gold, predicted, strict=True):
        both = pairs[(g, p)]
        precision += both / predicted_sizes[p]
        recall += both / gold_sizes[g]
    precision /= len(gold)
    recall /= len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def story_labels(
    rows: list[dict], threshold: float = TEXT_THRESHOLD, *, embeddings: bool = True
) -> list[int]:
    """The story the clusterer gives each row, in order: explicit links (a row's optional
    "url" and "related" canonical URLs; labelled headlines have none), then the story centroid
    at `threshold` (with the embeddings' similarity mixed in, unless not `embeddings`: then
    TF-IDF alone, as before they were). A row's optional "language" picks its stop words."""
    index = StoryIndex(threshold=threshold, lexical_threshold=threshold)
    vectors = [None] * len(rows)
    if embeddings:
        vectors = list(embed([headline_text(row["title"], row["excerpt"]) for row in rows]))
    return [index.add(item_of(number, row, vectors[number]))[0] for number, row in enumerate(rows)]


def item_of(number: int, row: dict, embedding=None) -> Item:
    """The `Item` the clusterer reads of a labelled row, as `reading` builds one of an article."""
    language = row.get("language", "")
    return Item(
        id=number,
        date=row["when"],
        url=row.get("url") or f"https://example.com/{row['document']}",
        terms=terms(row["title"], row["excerpt"], language),
        related=frozenset(row.get("related", ())),
        story_id=None,
        embedding=embedding,
        names=names(row["title"], row["excerpt"], language),
    )
