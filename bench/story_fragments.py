"""Would merging the clusterer's fragments afterwards raise recall? A probe, not a rule: the
default clusterer's stories on every dev set (bench/stories.py's), then any two stories of at
least MIN members merged when they share a "key" term (in at least SHARE of each story's
members, and in at most MAXDF of all rows: rare), by names alone or by every term. B-cubed
precision / recall per set, one line per setting.

    .venv/bin/python bench/story_fragments.py

Written for issue 23 (docs/performance/stories.md, "Recall round 4"): the UCI slice's stories
are topics ("Mt. Gox", "transit ridership") that the clusterer splits into sub-events; this asks
whether a shared key term is enough to put them back together without false merges.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories as bench_stories  # noqa: E402  (sets Django up)

from articles.clustering.evaluation import b_cubed, load_labelled, story_labels  # noqa: E402
from articles.clustering.words import names, terms  # noqa: E402

FOLDER = Path(__file__).with_name("data")


def dev_sets() -> dict[str, list[dict]]:
    found = {
        "ECB+": load_labelled(FOLDER / "ecbplus_headlines.csv"),
        "UCI slice": load_labelled(FOLDER / "uci_news_aggregator_heldout.csv"),
    }
    found["ECB+ titles"] = [dict(row, excerpt="") for row in found["ECB+"]]
    found["demo"] = bench_stories.demo_rows()
    return found


def merged(rows, predicted, *, share, max_df, min_members, names_only) -> list:
    words = []
    for row in rows:
        language = row.get("language", "")
        found = names(row["title"], row["excerpt"], language)
        words.append(found if names_only else set(terms(row["title"], row["excerpt"], language)))
    frequency = collections.Counter(word for found in words for word in found)
    members = collections.defaultdict(list)
    for position, story in enumerate(predicted):
        members[story].append(position)
    parent = {story: story for story in members}

    def root(story):
        while parent[story] != story:
            parent[story] = parent[parent[story]]
            story = parent[story]
        return story

    by_key = collections.defaultdict(list)
    for story, positions in members.items():
        if len(positions) < min_members:
            continue
        counts = collections.Counter(word for p in positions for word in words[p])
        for word, count in counts.items():
            if count >= share * len(positions) and 2 <= frequency[word] <= max_df * len(rows):
                by_key[word].append(story)
    for stories in by_key.values():
        for story in stories[1:]:
            parent[root(story)] = root(stories[0])
    return [root(story) for story in predicted]


def scores(gold, predicted) -> str:
    precision, recall, _ = b_cubed(gold, predicted)
    return f"{precision:.3f} / {recall:.3f}"


def main() -> None:
    sets = dev_sets()
    default = {name: story_labels(rows) for name, rows in sets.items()}
    gold = {name: [row["story"] for row in rows] for name, rows in sets.items()}
    print("| setting | " + " | ".join(sets) + " |")
    print("|---|" + "---|" * len(sets))
    print("| default | " + " | ".join(scores(gold[n], default[n]) for n in sets) + " |")
    for names_only in (True, False):
        for share in (0.5, 0.7, 0.9):
            for max_df in (0.02, 0.05, 0.3):
                for min_members in (2, 3):
                    cells = [
                        scores(
                            gold[n],
                            merged(
                                sets[n],
                                default[n],
                                share=share,
                                max_df=max_df,
                                min_members=min_members,
                                names_only=names_only,
                            ),
                        )
                        for n in sets
                    ]
                    kind = "names" if names_only else "any term"
                    setting = f"{kind}, share {share}, max df {max_df}, min {min_members}"
                    print(f"| {setting} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
