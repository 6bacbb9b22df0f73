"""Rebuild bench/data/ecbplus_headlines.csv from the ECB+ corpus (see bench/data/README.md).

    python bench/data/make_ecbplus_sample.py PATH/TO/ECB+   # the folder of topic folders

Each document gives one row: its first sentence (the headline where the page had one; the lead
sentence otherwise) as `title`, the next sentence as `excerpt`, and `story`: the topic and which
of its two seminal events the document covers (ECB+ splits each topic into two similar events:
the `ecb` and the `ecbplus` documents). Nothing here is decided by Newsroom's clusterer.
"""

import csv
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).with_name("ecbplus_headlines.csv")
_NAME = re.compile(r"^(\d+)_(\d+)(ecbplus|ecb)\.xml$")


def detokenize(words: list[str]) -> str:
    text = " ".join(words)
    text = re.sub(r" ([,.;:!?%)\]'])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    text = text.replace("`` ", '"').replace(" ''", '"').replace(" n't", "n't").replace(" 's", "'s")
    return text.strip()


def sentences(path: Path) -> list[str]:
    by_number = defaultdict(list)
    for token in ET.parse(path).getroot().iter("token"):
        by_number[int(token.get("sentence"))].append(token.text or "")
    out = []
    for number in sorted(by_number):
        words = by_number[number]
        if words and words[0].lower().startswith("http"):
            continue  # the page's address, which ECB+ keeps as sentence 0
        if sum(word[:1].isalpha() for word in words) < 4:
            continue  # a date line or a byline
        out.append(detokenize(words))
    return out


def main(folder: Path) -> None:
    rows = []
    for path in sorted(folder.glob("*/*.xml")):
        match = _NAME.match(path.name)
        if not match:
            continue
        topic, number, part = match.groups()
        found = sentences(path)
        if not found:
            continue
        rows.append(
            {
                "document": path.stem,
                "story": f"{topic}-{part}",
                "title": found[0][:300],
                "excerpt": found[1][:400] if len(found) > 1 else "",
            }
        )
    rows.sort(key=lambda row: (int(row["document"].split("_")[0]), row["document"]))
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["document", "story", "title", "excerpt"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} documents, {len({r['story'] for r in rows})} stories -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
