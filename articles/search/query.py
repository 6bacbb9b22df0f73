"""The query language readers and editors type, parsed without a database.

What people type: every word must match; "quoted phrases" match as written; -word (or
-"a phrase") leaves articles with it out; `or` between two words (or phrases) accepts either.
`parse_query` turns the text into a `ParsedQuery` and never raises: odd input (lone quotes or
minus signs, NUL, emoji, SQL or FTS syntax) only loses the characters that are not words.

Every distinct query is work for the index that no cache saves, and alternatives and phrases
cost the most (each phrase is checked word position by word position, in every article holding
its words: OR-ed phrases took 105 ms at 20,000 articles on PostgreSQL). So a query keeps at
most MAX_TERMS terms, MAX_ALTERNATIVES in one `or` group and MAX_PHRASES phrases; the rest is
left out and named in `ParsedQuery.left_out`, for the page to tell the reader.

Each engine's backend (articles/search/backends/) compiles a `ParsedQuery` into its own index's
query; a new operator is parsed here and compiled there, once per engine.
"""

import re
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16  # what a person types; more only makes the index work harder
MAX_ALTERNATIVES = 4  # terms joined by `or` into one group
MAX_PHRASES = 4  # terms of several words, included or excluded

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
    # Terms over the caps, as typed: not searched for.
    left_out: tuple[str, ...] = field(default=(), compare=False)

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
    left_out: list[str] = []
    # The group an `or` adds to: the last one started, or [] when the term that would have
    # started it was left out (what follows its `or` then starts a group of its own).
    open_group: list[Term] | None = None
    join_next = False  # the last token was `or` between two terms
    terms = phrases = 0
    for minus, phrase, bare in _TOKEN.findall(clean_query(text)):
        if not minus and phrase == "" and bare.lower() == "or" and open_group is not None:
            join_next = True
            continue
        words = tuple(_WORD.findall((phrase or bare).lower()))
        if not words:
            continue
        term = Term(words, typed=phrase or bare)
        joins = join_next and not minus and bool(open_group)
        join_next = False
        if (
            terms >= MAX_TERMS
            or (len(words) > 1 and phrases >= MAX_PHRASES)
            or (joins and len(open_group) >= MAX_ALTERNATIVES)
        ):
            left_out.append(term.typed)
            if not minus and not joins:
                open_group = []
            continue
        terms += 1
        phrases += len(words) > 1
        if minus:
            excluded.append(term)
        elif joins:
            open_group.append(term)
        else:
            open_group = [term]
            groups.append(open_group)
    return ParsedQuery(tuple(tuple(group) for group in groups), tuple(excluded), tuple(left_out))
