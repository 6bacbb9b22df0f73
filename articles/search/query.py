"""The query language readers and editors type, parsed without a database.

What people type: every word must match; "quoted phrases" match as written; -word (or
-"a phrase") leaves articles with it out; `or` between two words (or phrases) accepts either.
`parse_query` turns the text into a `ParsedQuery` and never raises: odd input (lone quotes or
minus signs, NUL, emoji, SQL or FTS syntax) only loses the characters that are not words.

Each engine's backend (articles/search/backends/) compiles a `ParsedQuery` into its own index's
query; a new operator is parsed here and compiled there, once per engine.
"""

import re
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16  # what a person types; more only makes the index work harder

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]+")
# A token: an optional minus, then a quoted phrase (its closing quote may be missing) or a run
# of anything but spaces and quotes.
_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
# A word as both indexes see one: letters and digits (FTS5's unicode61 and PostgreSQL's parser
# both split on everything else, "_" included).
_WORD = re.compile(r"[^\W_]+")


def clean_query(raw: str | None) -> str:
    """The query as we search for it: no control characters, single spaces, at most 200 chars."""
    text = _CONTROL_CHARACTERS.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


@dataclass(frozen=True)
class Term:
    """One word, or a phrase: several words that must appear together, in this order."""

    # Letters and digits only, lower case: never a quote or an operator of any index's syntax.
    words: tuple[str, ...]
    typed: str = field(default="", compare=False)  # as written, for a plain text match


@dataclass(frozen=True)
class ParsedQuery:
    """All `groups` must match (a group: terms of which any one will do); no `excluded` may."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        # Exclusions alone are no search: they would list nearly everything.
        return bool(self.groups)

    @property
    def words(self) -> list[str]:
        """The words looked for (not the excluded ones), for highlighting."""
        return [word for group in self.groups for term in group for word in term.words]


def parse_query(text: str) -> ParsedQuery:
    """The query language (see the module's docstring), from cleaned or raw text."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False  # the last token was `or` between two terms
    count = 0
    for minus, phrase, bare in _TOKEN.findall(clean_query(text)):
        if not minus and phrase == "" and bare.lower() == "or" and groups:
            join_next = True
            continue
        words = tuple(_WORD.findall((phrase or bare).lower()))
        if not words or count >= MAX_TERMS:
            continue
        count += 1
        term = Term(words, typed=phrase or bare)
        if minus:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return ParsedQuery(tuple(tuple(group) for group in groups), tuple(excluded))
