"""Showing what a search matched: its words marked in a title or an excerpt, the way both indexes
compare words (case and accents folded, English endings stemmed). No database."""

import re
import unicodedata

from markupsafe import Markup, escape


def fold(text: str) -> str:
    """Lower case without accents, as both indexes compare words ("Société" -> "societe")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# English endings the indexes' stemmers remove, so "bridges" marks "bridge" and the other way
# round. Marking is a hint for the eye; the index decides what matches.
_ENDINGS = re.compile(r"(?:ing|ed|es|s)$")


def highlight(text: str, words) -> Markup:
    """`text` escaped, with the words of a search (and their forms) in <mark>, found with
    accents and case folded. Each piece is escaped on its own, so markup in `text` stays text."""
    stems = {_ENDINGS.sub("", w) if len(w) > 4 else w for w in (fold(w) for w in words) if w}
    if not text or not stems:
        return escape(text or "")
    # The folded text, and where each of its characters came from in `text`.
    folded, origin = [], []
    for index, character in enumerate(text):
        for piece in fold(character):
            folded.append(piece)
            origin.append(index)
    folded_text = "".join(folded)
    pattern = re.compile(
        r"(?<![^\W_])(?:" + "|".join(map(re.escape, sorted(stems, key=len, reverse=True))) + r")"
        r"[^\W_]*"
    )
    pieces, shown_to = [], 0
    for found in pattern.finditer(folded_text):
        start, end = origin[found.start()], origin[found.end() - 1] + 1
        if start < shown_to:
            continue
        pieces.append(escape(text[shown_to:start]))
        pieces.append(Markup("<mark>{}</mark>").format(text[start:end]))
        shown_to = end
    pieces.append(escape(text[shown_to:]))
    return Markup("").join(pieces)
