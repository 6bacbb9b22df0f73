"""How the similarity threshold moves for one article and one story, on evidence the cosine
misses: a shared headline eases it, numbers that disagree raise it. No database, no numpy."""

from __future__ import annotations

import heapq

# An article whose strongest terms are many of a story's strongest (HEADLINE_TERMS of each)
# tells the same headline: the threshold eases by HEADLINE_EASING for each such term shared
# beyond HEADLINE_FREE (the two any join needs, `index.MIN_SHARED_TERMS`).
HEADLINE_TERMS = 10
HEADLINE_EASING = 0.015
HEADLINE_FREE = 2
# The threshold rises by this for an article whose numbers the story has none of (two
# takeovers of one kind: "$6bn" and "$37bn"). 0.06 cut the demo's false merges more, at a cost
# in recall on ECB+ (docs/performance/stories.md).
NUMBER_CONFLICT = 0.03


def shift(vector: dict[str, float], centroid: dict[str, float]) -> float:
    """What to add to the threshold for an article (its TF-IDF `vector`) and a story (its
    `centroid`): negative where it tells the story's headline, positive where its numbers
    disagree."""
    return numbers_disagree(vector, centroid) - headline_easing(vector, centroid)


def bounds() -> tuple[float, float]:
    """The least and the most `shift` can be."""
    return -HEADLINE_EASING * (HEADLINE_TERMS - HEADLINE_FREE), NUMBER_CONFLICT


def headline_easing(vector: dict[str, float], centroid: dict[str, float]) -> float:
    """How much the threshold eases for an article that shares many of a story's strongest
    terms (`HEADLINE_TERMS`, `HEADLINE_EASING`)."""
    ours = heapq.nlargest(HEADLINE_TERMS, vector, key=vector.get)
    theirs = set(heapq.nlargest(HEADLINE_TERMS, centroid, key=centroid.get))
    shared = sum(term in theirs for term in ours)
    return HEADLINE_EASING * max(0, shared - HEADLINE_FREE)


def numbers_disagree(vector: dict[str, float], centroid: dict[str, float]) -> float:
    """How much the threshold rises for an article whose numbers ("$6bn", "17") the story has
    none of, while the story has numbers of its own: two events of one kind differ there."""
    ours = [term for term in vector if term[0].isdigit()]
    if not ours or any(term in centroid for term in ours):
        return 0.0
    return NUMBER_CONFLICT if any(term[0].isdigit() for term in centroid) else 0.0
