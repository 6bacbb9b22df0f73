"""The words of a headline that clustering compares: title and excerpt, lower-cased, stop words
out."""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[^\W_]{2,}", re.UNICODE)
STOP_WORDS = frozenset(
    """a about after again against all also am an and any are as at be because been before being
    between both but by can could did do does doing down during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just me more most my
    no nor not now of off on once only or other our out over own same she should so some such
    than that the their them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your says said
    new news report reports update live latest video watch how why what""".split()
)


def terms(title: str, excerpt: str = "") -> Counter:
    """Words of a headline and its excerpt, lower-cased, stop words out; the title counts
    twice, as the denser statement of the event."""
    title_words = [w for w in _WORD.findall(title.lower()) if w not in STOP_WORDS]
    counts = Counter(title_words + title_words)
    counts.update(w for w in _WORD.findall(excerpt.lower()) if w not in STOP_WORDS)
    return counts
