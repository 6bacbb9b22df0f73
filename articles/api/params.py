"""The API's query parameters, checked at the edge: each has a canonical form (for the page
cache's key, as reader pages' do: `canonical_values.Canonical`), and a value out of it is a 400 with
a message that names the parameter (`BadParameter`), never an error inside.

    /api/v1/articles/?topic=weather&provider=example.com&story=12&since=2024-03-01T00:00:00Z
        &q=flood&cursor=1709285400000000.42
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime

from articles.models import database_id
from articles.reader.cursors import Position
from articles.search.query import clean_query
from articles.search.results_page import canonical_provider, canonical_topic


class BadParameter(ValueError):
    """A query parameter out of its form: the API answers 400 with this message."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name


_LONGEST_MOMENT = 40  # characters of `since`: "2024-03-01T09:30:00.123456+05:30" is 32


def _moment(value: str) -> datetime | None:
    """An ISO 8601 moment (a date alone is its midnight, UTC; no offset means UTC), or None."""
    if not value.isascii() or len(value) > _LONGEST_MOMENT or "\x00" in value:
        return None
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        value += "T00:00:00"
    try:
        moment = parse_datetime(value.replace("z", "Z"))
    except ValueError:  # well formed, but no such moment (2024-02-30, hour 25)
        return None
    if moment is None:
        return None
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:  # an offset that takes it out of years 1 to 9999
        return None


def canonical_since(value: str) -> str | None:
    moment = _moment(value) if value else None
    if value and moment is None:
        return None
    return moment.isoformat() if moment else ""


def canonical_story(value: str) -> str | None:
    return value if value == "" or database_id(value) else None


def canonical_q(value: str) -> str | None:
    return clean_query(value)


def canonical_article_cursor(value: str) -> str | None:
    return value if value == "" or Position.from_cursor(value) else None


def canonical_id_cursor(value: str) -> str | None:
    return canonical_story(value)


def canonical_name_cursor(value: str) -> str | None:
    """A topic's slug or a provider's domain, the last one a page listed."""
    return value if canonical_topic(value) is not None or canonical_provider(value) else None


# What each list reads from its URL (page_cache keys on these, in canonical form).
ARTICLE_LIST_READS = {
    "topic": canonical_topic,
    "provider": canonical_provider,
    "story": canonical_story,
    "since": canonical_since,
    "q": canonical_q,
    "cursor": canonical_article_cursor,
}
STORY_LIST_READS = {"cursor": canonical_id_cursor}
NAME_LIST_READS = {"cursor": canonical_name_cursor}

_MESSAGES = {
    "topic": "a topic's slug, e.g. weather (letters, digits, - and _; at most 100)",
    "provider": "a provider's domain in lower case, e.g. example.com",
    "story": "a story's id, a positive whole number",
    "since": "an ISO 8601 moment, e.g. 2024-03-01T09:30:00Z or 2024-03-01",
    "q": "search words",
    "cursor": "the cursor from a page's `next` link, unchanged",
}


def checked(parameters, reads: dict) -> dict[str, str]:
    """The parameters `reads` names, each in canonical form ("" when absent), or BadParameter
    for the first one out of it. Others are ignored, as reader pages ignore them."""
    values = {}
    for name, canonical in reads.items():
        value = canonical(parameters.get(name, ""))
        if value is None:
            raise BadParameter(name, f"expected {_MESSAGES[name]}.")
        values[name] = value
    return values


def moment(value: str) -> datetime | None:
    """A canonical `since` as a moment (None for "")."""
    return _moment(value) if value else None


def article_cursor(value: str) -> Position | None:
    return Position.from_cursor(value) if value else None
