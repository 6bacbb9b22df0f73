"""The words of a headline that clustering compares: title and excerpt, split and stop words
out as their language reads them (`articles.languages.words`)."""

from __future__ import annotations

from collections import Counter

from articles.languages import words


def terms(title: str, excerpt: str = "", language: str = "") -> Counter:
    """Words of a headline and its excerpt, lower-cased, stop words of `language` out (""
    reads as English); the title counts twice, as the denser statement of the event."""
    title_words = words(title, language)
    counts = Counter(title_words + title_words)
    counts.update(words(excerpt, language))
    return counts
