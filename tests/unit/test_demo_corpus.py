"""The demo corpus reads like news: story families (one event told by several providers in
different words, some in other languages), unrelated items that share words, reproducible from
its seed."""

from collections import Counter

from articles.ingest.corpus import Corpus
from articles.ingest.seeds import parse_seed

FILES = 400


def _items(corpus):
    return [parse_seed(corpus.item(n).encode(), corpus.file_name(n)) for n in range(FILES)]


def test_the_corpus_has_story_families_of_several_providers_some_in_other_languages():
    corpus = Corpus(seed=1)
    items = _items(corpus)
    families = {corpus.family(n) for n in range(FILES)}
    big = [family for family in families if len(family) >= 3]
    assert len(big) >= 20
    for family in big:
        members = [items[n] for n in family if n < FILES]
        assert len({item.provider.domain for item in members}) == len(members)
        # In different words: as many headlines as the grammar has (two or more).
        assert len({item.title for item in members}) >= min(len(members), 2)
        span = max(i.published_at for i in members) - min(i.published_at for i in members)
        assert span.total_seconds() <= 6 * 3600
    # What the detector says of them, at import: mostly English, French, German, Spanish too.
    detected = Counter(item.language for item in items)
    assert detected["en"] > FILES / 2
    assert all(detected[language] >= 10 for language in ("fr", "de", "es")), detected
    assert sum(detected[lang] for lang in ("en", "fr", "de", "es")) >= 0.95 * FILES
    # A family wholly in French, German or Spanish, and one mixing English with another.
    languages = [{items[n].language for n in family} for family in big]
    assert any(langs <= {"fr", "de", "es"} and len(langs) == 1 for langs in languages)
    assert any("en" in langs and len(langs) > 1 for langs in languages)


def test_unrelated_items_share_words_with_a_story_family():
    corpus = Corpus(seed=1)
    items = _items(corpus)
    singles = [items[n] for n in range(FILES) if corpus.family(n) == (n,)]
    family_words = {
        word
        for n in range(FILES)
        if len(corpus.family(n)) >= 3
        for word in items[n].title.lower().split()
        if len(word) > 4
    }
    sharing = [s for s in singles if family_words & set(s.title.lower().split())]
    assert len(sharing) >= len(singles) / 3


def test_the_corpus_is_the_same_for_the_same_seed_and_changes_with_a_variant():
    assert Corpus(seed=3).item(17) == Corpus(seed=3).item(17)
    assert Corpus(seed=3).item(17) != Corpus(seed=4).item(17)
    first, changed = (parse_seed(Corpus(3).item(17, variant=v).encode(), "x") for v in (0, 1))
    assert first.canonical_url == changed.canonical_url
    assert first.content_hash != changed.content_hash
