"""The words of a headline that clustering compares: title and excerpt, split and stop words
out as their language reads them (`articles.languages.words`), and the names among them
(`names`: people, places, companies), which say more of one event than other words do."""

from __future__ import annotations

import re
from collections import Counter

from articles.languages import stop_words, words

# A mark that ends a sentence or a headline's clause (after it a capital says nothing), or a
# word as `languages.words` splits one (names must be the same terms, lower-cased).
_WORD_OR_END = re.compile(r"([.!?:;|\"“”«»‘'(\[–—])|([^\W_]{2,})", re.UNICODE)
# Capitals mark names in these languages only (German capitalises every noun; Japanese,
# Chinese and Korean have no capitals).
_CASED = frozenset({"", "en", "fr", "es", "it", "pt", "nl"})
# A text with at least this share of its words capitalised (and TITLE_CASE_WORDS of them) is
# in title case ("Stocks Down At Midday On Weak China Data"): its capitals mark no names.
TITLE_CASE_SHARE = 0.6
TITLE_CASE_WORDS = 4


def terms(title: str, excerpt: str = "", language: str = "") -> Counter:
    """Words of a headline and its excerpt, lower-cased, stop words of `language` out (""
    reads as English); the title counts twice, as the denser statement of the event."""
    title_words = words(title, language)
    counts = Counter(title_words + title_words)
    counts.update(words(excerpt, language))
    return counts


def names(title: str, excerpt: str = "", language: str = "") -> frozenset[str]:
    """The terms of a headline that are names: words written with a capital where a sentence
    does not start (lower-cased, as `terms` has them; "Fenwick ordered to pay ... Judges in
    Brno found that Fenwick kept" names "fenwick" and "brno"). Nothing in a language whose
    capitals mark other words, nor in a text written in title case."""
    primary = language.partition("-")[0].lower()
    if primary not in _CASED:
        return frozenset()
    stop = stop_words(primary)
    found: set[str] = set()
    for text in (title, excerpt):
        found |= _capitalised_inside(text, stop)
    return frozenset(found)


def _capitalised_inside(text: str, stop: frozenset[str]) -> set[str]:
    found: set[str] = set()
    capitalised = seen = 0
    clause_start, previous = True, ""
    # One pass over words and the marks that end a clause (the only marks that matter).
    for mark, word in _WORD_OR_END.findall(text):
        if mark:
            # "Mt. Gox", "Gov. Sarah Palin": the full stop of an abbreviation ends nothing.
            if not (mark == "." and len(previous) <= 3 and previous[:1].isupper()):
                clause_start = True
            previous = ""
            continue
        previous = word
        if word[0].isdigit():
            clause_start = False
            continue
        seen += 1
        if word[0].isupper():
            capitalised += 1
            if not clause_start:
                lowered = word.lower()
                if lowered not in stop:
                    found.add(lowered)
        clause_start = False
    if seen >= TITLE_CASE_WORDS and capitalised >= TITLE_CASE_SHARE * seen:
        return set()
    return found
