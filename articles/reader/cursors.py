"""Where a reader is in a listing: a `Position` (an entry's date, then id: the listings' order,
newest first), written in URLs as a cursor, and a `ListingPage`, the entries read from one.
No database here (`reader.listings` reads the pages). `LISTING_READS`: the cursor parameters
in canonical form, for the page cache's key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from articles.models import database_id
from articles.reader.cards import Card


class Position(NamedTuple):
    """Where an entry stands in a listing's order (newest first: date, then id): a cursor.
    Written in URLs as `<microseconds since 1970>.<id>` (`cursor`, `from_cursor`)."""

    date: datetime
    pk: int

    @property
    def cursor(self) -> str:
        return f"{(self.date - _EPOCH) // _MICROSECOND}.{self.pk}"

    @classmethod
    def from_cursor(cls, value: str) -> Position | None:
        """The position a cursor names, or None unless it is written as `cursor` writes it
        (one spelling per position: the page cache keys on it)."""
        match = _CURSOR.fullmatch(value) if value.isascii() else None
        pk = database_id(match[2]) if match else None
        if pk is None:
            return None
        try:
            return cls(_EPOCH + int(match[1]) * _MICROSECOND, pk)
        except OverflowError:  # before year 1 or after 9999
            return None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_CURSOR = re.compile(r"(0|-?[1-9][0-9]{0,17})\.([1-9][0-9]{0,18})")


@dataclass
class ListingPage:
    """A page of a listing: up to ARTICLES_PER_PAGE cards, newest first, and where the pages
    beside it start. No count: a page is read by walking the listing from its cursor."""

    cards: list[Card]
    older: Position | None  # the last card's position, if older entries follow
    newer: Position | None  # the first card's, if newer ones precede (None on the first page)
    cursor: Position | None  # what the page's entries are older or newer than; None: the newest
    direction: str  # "newest", "older" or "newer" (than `cursor`)
    stored: bool  # its cursor is a listed entry's: a page the site links to, fit to store

    @property
    def first(self) -> bool:
        return self.cursor is None

    def __iter__(self):
        return iter(self.cards)

    def __len__(self):
        return len(self.cards)


def _canonical_cursor(value: str) -> str | None:
    """`?before=` / `?after=`: a position as `Position.cursor` writes it, else not cached."""
    return value if value == "" or Position.from_cursor(value) else None


def _no_old_page(value: str) -> str | None:
    """`?page=`, from before listings paged by cursor: never cached (the view redirects)."""
    return "" if value == "" else None


# What a listing reads from its URL, for the page cache's key (each in its canonical form).
LISTING_READS = {"before": _canonical_cursor, "after": _canonical_cursor, "page": _no_old_page}
