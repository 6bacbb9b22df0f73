"""A deterministic generator of realistic seed files, for the demo newsroom, tests and
benchmarks (bench/make_corpus.py writes it to a folder).

About 2,000 providers and 300 topics used with a Zipf-like skew, 0-6 related links per item, a
third with a Markdown body, a quarter of titles with non-ASCII text, every URL unique.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
from pathlib import Path

WORDS = (
    "market chip energy climate court vote league vaccine rocket startup bank model river city "
    "budget drought trial robot satellite merger strike harvest festival museum election privacy "
    "battery ocean wildfire bridge subway tariff orbit genome lawsuit cloud quantum railway"
).split()
NON_ASCII = [
    "Zürich",
    "São Paulo",
    "Málaga",
    "東京",
    "北京の市場",
    "서울",
    "Ελλάδα",
    "🚀",
    "📈",
    "Kraków",
    "naïve café",
]
TLDS = ["com", "org", "net", "io", "co.uk", "de", "fr", "jp"]


def _zipf_index(rng: random.Random, n: int, s: float = 1.1) -> int:
    """An index in [0, n) where low indexes are much more likely (Zipf-like)."""
    return min(n - 1, int(n ** rng.random() ** s) - 1) if n > 1 else 0


class Corpus:
    def __init__(self, seed: int = 1, providers: int = 2000, topics: int = 300):
        rng = random.Random(seed)
        self.seed = seed
        self.providers = [
            (
                f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}",
                f"{rng.choice(WORDS)}{i}.{rng.choice(TLDS)}",
            )
            for i in range(providers)
        ]
        self.topics = [
            f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {i}" for i in range(topics)
        ]

    def item(self, number: int, *, variant: int = 0) -> str:
        """The text of seed file `number`; another `variant` changes its content, not its URL."""
        # Identity (provider and URL) depends on the number only; content on the variant too.
        identity = random.Random(f"{self.seed}-{number}")
        name, domain = self.providers[_zipf_index(identity, len(self.providers))]
        slug = "-".join(identity.choice(WORDS) for _ in range(3))
        rng = random.Random(f"{self.seed}-{number}-{variant}")
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 10))).capitalize()
        if number % 4 == 0:
            title = f"{title} {rng.choice(NON_ASCII)}"
        when = dt.datetime(2023, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            minutes=rng.randint(0, 900_000)
        )
        url = f"https://www.{domain}/news/{number}-{slug}"
        topics = sorted(
            {self.topics[_zipf_index(rng, len(self.topics))] for _ in range(rng.randint(0, 4))}
        )
        lines = [
            "---",
            "category: news",
            f"title: {json.dumps(title, ensure_ascii=False)}",
            f"excerpt: {json.dumps(self._sentence(rng, 30) + '.')}",
            f"publishedDateTime: {when:%Y-%m-%dT%H:%M:%SZ}",
            f"originalUrl: {json.dumps(url)}",
            f"webUrl: {json.dumps(url)}",
            "type: article",
            f"quality: {rng.randint(0, 40)}",
            f"heat: {rng.randint(0, 100)}",
            f"published: {'true' if rng.random() < 0.3 else 'false'}",
            "",
            "provider:",
            f"  name: {json.dumps(name)}",
            f"  domain: {domain}",
        ]
        if topics:
            lines += ["", "topics:"] + [f"  - {json.dumps(topic)}" for topic in topics]
        related = rng.randint(0, 6)
        if related:
            lines += ["", "related:"]
            for r in range(related):
                rname, rdomain = self.providers[_zipf_index(rng, len(self.providers))]
                rwhen = when - dt.timedelta(minutes=rng.randint(1, 600))
                lines += [
                    f"  - title: {json.dumps(self._sentence(rng, 7))}",
                    f"    excerpt: {json.dumps(' '.join(rng.choice(WORDS) for _ in range(20)))}",
                    f"    publishedDateTime: {rwhen:%Y-%m-%dT%H:%M:%SZ}",
                    f'    webUrl: "https://{rdomain}/story/{number}-{r}"',
                    "    type: article",
                    "    provider:",
                    f"      name: {json.dumps(rname)}",
                    f"      domain: {rdomain}",
                    f"    quality: {rng.randint(0, 40)}",
                ]
        payload = base64.b64encode(rng.randbytes(rng.randint(200, 600))).decode()
        iv = base64.b64encode(rng.randbytes(16)).decode()
        lines += ["", f'secured: "{payload};{iv}"', "---", ""]
        if number % 3 == 0:
            lines += [
                f"## {title}",
                "",
                " ".join(rng.choice(WORDS) for _ in range(60)) + ".",
                "",
                f"- **{rng.choice(WORDS)}**: {rng.choice(WORDS)}",
                f"- [{rng.choice(WORDS)}](https://{domain}/more/{number})",
                "",
            ]
        return "\n".join(lines)

    @staticmethod
    def _sentence(rng: random.Random, words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()

    @staticmethod
    def file_name(number: int) -> str:
        return f"{number % 1000:03d}_{number:016x}.txt"

    def write(
        self, outdir: Path, count: int, *, changed_every: int = 0, variant: int = 1
    ) -> list[Path]:
        """Write `count` files; with `changed_every=k`, every k-th file gets new content."""
        outdir = Path(outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        paths = []
        for number in range(count):
            changed = changed_every and number % changed_every == 0
            path = outdir / self.file_name(number)
            path.write_text(self.item(number, variant=variant if changed else 0), encoding="utf-8")
            paths.append(path)
        return paths
