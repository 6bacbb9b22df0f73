"""A deterministic generator of realistic seed files, for the demo newsroom, tests and
benchmarks (bench/make_corpus.py writes it to a folder).

Headlines and standfirsts come from a phrase grammar of news (`news_grammar`): files come in
blocks of `FAMILY_BLOCK` numbers, and a block's first few files are one event's coverage (a story
family: up to six providers telling it in different words, within hours, listing each other as
related), the rest unrelated items of any kind (which share the kinds' words). Most families
are told in English, some with one member in French, German or Spanish, and about one in six
wholly in one of those (each from providers of its own country). About 2,000 providers and 300
topics used with a Zipf-like skew, 0-6 related links per item, a third with a Markdown body,
every URL unique. The same seed gives the same files, offline.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from articles.ingest.news_grammar import CITIES, Event

# The old random vocabulary: bench/search.py draws its made-up documents from it.
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


FAMILY_BLOCK = 8  # numbers per block; a block's first `family size` files are one event's
FAMILY_SIZES = (1, 2, 2, 3, 3, 4, 5, 6)
OTHER_LANGUAGES = ("fr", "de", "es")
# A provider's language is its index's last digit: 1 French, 2 German, 3 Spanish, else English.
_PROVIDER_LANGUAGE = {1: "fr", 2: "de", 3: "es"}
_LANGUAGE_TLDS = {
    "fr": ("fr",),
    "de": ("de",),
    "es": ("es",),
    "en": ("com", "co.uk", "org", "net", "io"),
}
_MASTHEADS = {
    "en": ("Herald", "Courier", "Gazette", "Post", "Chronicle", "Observer", "Daily", "Wire"),
    "fr": ("Le Journal de", "La Dépêche de", "Le Courrier de", "L'Écho de"),
    "de": ("Zeitung", "Anzeiger", "Rundschau", "Tagblatt"),
    "es": ("El Diario de", "La Voz de", "El Correo de", "Noticias de"),
}
_SECTIONS = (
    "business",
    "politics",
    "transport",
    "weather",
    "science",
    "sport",
    "courts",
    "labour",
    "technology",
    "health",
    "culture",
    "housing",
)
_KIND_TOPICS = {
    "strike": "Labour",
    "merger": "Business",
    "election": "Politics",
    "flood": "Weather",
    "launch": "Space",
    "court": "Courts",
    "match": "Football",
}
MINUTES_PER_FAMILY = 72  # a new event every 72 minutes of the corpus timeline


@dataclass(frozen=True)
class _Member:
    """What a file's number alone decides: its event, language, provider and address."""

    event: Event
    language: str
    provider: tuple[str, str]
    url: str
    when: dt.datetime
    siblings: tuple[int, ...]  # the other numbers telling the same event
    turn: int | None  # which of the kind's headlines a family member takes (None: any)


class Corpus:
    def __init__(self, seed: int = 1, providers: int = 2000, topics: int = 300):
        rng = random.Random(seed)
        self.seed = seed
        self.providers = []
        for i in range(providers):
            language = _PROVIDER_LANGUAGE.get(i % 10, "en")
            city, masthead = rng.choice(CITIES), rng.choice(_MASTHEADS[language])
            name = f"{masthead} {city}" if masthead.endswith(("de", "of")) else f"{city} {masthead}"
            tld = rng.choice(_LANGUAGE_TLDS[language])
            domain = f"{slug_of(city)}{slug_of(masthead.split()[-1])}{i}.{tld}"
            self.providers.append((f"{name} {i}", domain))
        named = [f"{city} {section}" for section in _SECTIONS for city in CITIES]
        rng.shuffle(named)
        self.topics = (list(_KIND_TOPICS.values()) + named)[:topics]
        while len(self.topics) < topics:
            self.topics.append(f"{rng.choice(named)} {len(self.topics)}")

    def _provider(self, rng: random.Random, language: str) -> tuple[str, str]:
        """A provider of `language`, the first ones of the list much more often (Zipf)."""
        offsets = [o for o in range(10) if _PROVIDER_LANGUAGE.get(o, "en") == language]
        per_offset = max(1, len(self.providers) // 10)
        index = _zipf_index(rng, per_offset) * 10 + rng.choice(offsets)
        return self.providers[min(index, len(self.providers) - 1)]

    def _member(self, number: int) -> _Member:
        block, position = divmod(number, FAMILY_BLOCK)
        family = random.Random(f"{self.seed}-family-{block}")
        size = family.choice(FAMILY_SIZES)
        event = Event.make(family)
        start = BEGINNING + dt.timedelta(minutes=block * MINUTES_PER_FAMILY)
        whole = family.random() < 0.17  # told wholly in another language
        family_language = family.choice(OTHER_LANGUAGES) if whole else "en"
        odd_one = family.randrange(1, 7) if not whole and family.random() < 0.3 else -1
        other_language = family.choice(OTHER_LANGUAGES)
        siblings: tuple[int, ...] = ()
        turn = None
        rng = random.Random(f"{self.seed}-{number}")
        if position < size:
            language = other_language if position == odd_one else family_language
            when = start + dt.timedelta(minutes=rng.randint(0, 360))
            first = block * FAMILY_BLOCK
            siblings = tuple(first + p for p in range(size) if p != position)
            turn = position + block
            provider = self._family_providers(
                family, size, odd_one, family_language, other_language
            )[position]
        else:  # an unrelated item: an event of its own, anywhere on the timeline
            event = Event.make(rng)
            language = rng.choice(OTHER_LANGUAGES) if rng.random() < 0.15 else "en"
            when = BEGINNING + dt.timedelta(minutes=rng.randint(0, 900_000))
            provider = self._provider(rng, language)
        name, domain = provider
        url = f"https://www.{domain}/news/{number}-{event.kind}-{slug_of(event.slots['city'])}"
        return _Member(event, language, (name, domain), url, when, siblings, turn)

    def family(self, number: int) -> tuple[int, ...]:
        """The numbers of the files that tell the same event as file `number`, itself included,
        in order: the demo's true stories, to judge the clusterer by."""
        return tuple(sorted((number, *self._member(number).siblings)))

    def language(self, number: int) -> str:
        """The language file `number` is written in."""
        return self._member(number).language

    def _family_providers(self, family, size, odd_one, language, other_language) -> list:
        """A family's providers, one per member, each a different one."""
        chosen: list[tuple[str, str]] = []
        for position in range(size):
            wanted = other_language if position == odd_one else language
            for _ in range(20):
                provider = self._provider(family, wanted)
                if provider not in chosen:
                    break
            chosen.append(provider)
        return chosen

    def item(self, number: int, *, variant: int = 0) -> str:
        """The text of seed file `number`; another `variant` changes its content, not its URL."""
        # Identity (provider and URL), event and language depend on the number only; the words
        # on the variant too.
        member = self._member(number)
        event, language = member.event, member.language
        name, domain = member.provider
        rng = random.Random(f"{self.seed}-{number}-{variant}")
        # A variant tells it anew: another of the kind's headlines.
        turn = None if member.turn is None else member.turn + variant
        title = event.headline(language, rng, turn)
        excerpt = event.standfirst(language, rng)
        when = member.when + dt.timedelta(minutes=variant)
        topics = {_KIND_TOPICS[event.kind]} if rng.random() < 0.7 else set()
        topics |= {
            self.topics[_zipf_index(rng, len(self.topics))] for _ in range(rng.randint(0, 3))
        }
        lines = [
            "---",
            "category: news",
            f"title: {json.dumps(title, ensure_ascii=False)}",
            f"excerpt: {json.dumps(excerpt, ensure_ascii=False)}",
            f"publishedDateTime: {when:%Y-%m-%dT%H:%M:%SZ}",
            f"originalUrl: {json.dumps(member.url)}",
            f"webUrl: {json.dumps(member.url)}",
            "type: article",
            f"quality: {rng.randint(0, 40)}",
            f"heat: {rng.randint(0, 100)}",
            f"published: {'true' if rng.random() < 0.3 else 'false'}",
            "",
            "provider:",
            f"  name: {json.dumps(name, ensure_ascii=False)}",
            f"  domain: {domain}",
        ]
        if topics:
            lines += ["", "topics:"] + [
                f"  - {json.dumps(topic, ensure_ascii=False)}" for topic in sorted(topics)
            ]
        related = self._related(member, number, rng)
        if related:
            lines += ["", "related:"]
            for title_r, url_r, (rname, rdomain), rwhen in related:
                lines += [
                    f"  - title: {json.dumps(title_r, ensure_ascii=False)}",
                    f"    excerpt: {json.dumps(event.standfirst('en', rng), ensure_ascii=False)}",
                    f"    publishedDateTime: {rwhen:%Y-%m-%dT%H:%M:%SZ}",
                    f"    webUrl: {json.dumps(url_r)}",
                    "    type: article",
                    "    provider:",
                    f"      name: {json.dumps(rname, ensure_ascii=False)}",
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
                " ".join(event.standfirst(language, rng) for _ in range(3)),
                "",
                f"- **{event.slots['city']}**: {event.standfirst(language, rng)}",
                f"- [{domain}](https://{domain}/more/{number})",
                "",
            ]
        return "\n".join(lines)

    def _related(self, member: _Member, number: int, rng: random.Random) -> list:
        """0-6 related links: up to three of the family's other files (the explicit evidence of
        one story), then other outlets' coverage of the event elsewhere."""
        links = []
        for sibling in member.siblings[: rng.randint(0, 3)]:
            other = self._member(sibling)
            title = other.event.headline(other.language, rng, other.turn)
            links.append((title, other.url, other.provider, other.when))
        for r in range(rng.randint(0, 6 - len(links))):
            provider = self._provider(rng, "en")
            when = member.when - dt.timedelta(minutes=rng.randint(1, 600))
            url = f"https://{provider[1]}/story/{number}-{r}"
            links.append((member.event.headline("en", rng), url, provider, when))
        return links

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


BEGINNING = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)


def slug_of(text: str) -> str:
    """Lower-case ASCII letters of `text` (accents dropped), for domains and URL paths."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())
