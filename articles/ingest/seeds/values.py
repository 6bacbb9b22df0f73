"""How one value of a seed is checked, whatever key holds it: text, whole numbers, dates and
times, http(s) URLs, the canonical URL that identifies an item, and the JSON copy of what the
importer keeps without understanding it.

An optional value that fails its check is refused through `Fields.refuse`: not applied, kept
verbatim in `extra`, with a warning (docs/SEED_FORMAT.md)."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import math
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from articles.ingest.seeds.errors import SeedError, shorten, yaml_type

MAX_TITLE = 500
MAX_LABEL = 100  # category, type, topic names
MAX_URL = 2000
MAX_EXTRA_DEPTH = 32
# An excerpt is a standfirst: longer ones are shortened (the whole text kept in `extra`), so
# listings, caches and the search index never carry megabytes per article.
MAX_EXCERPT = 5000

_validate_http_url = URLValidator(schemes=["http", "https"])


class Fields:
    """Reads one mapping, collecting warnings and keeping values it could not apply."""

    def __init__(self, data: dict, where: str, warnings: list[str], extra: dict):
        self.data = data
        self.where = where
        self.warnings = warnings
        self.extra = extra

    def refuse(self, key: str, why: str) -> None:
        self.warnings.append(f"{self.where}{key}: {why}; not applied, kept as it came")
        self.extra[key] = self.data[key]

    def text(self, key: str, max_length: int | None = None) -> str:
        value = self.data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.refuse(key, f"expected text, got {yaml_type(value)}")
            return ""
        if max_length is not None and len(value) > max_length:
            self.refuse(key, f"longer than {max_length} characters")
            return ""
        return value

    def shortened_text(self, key: str, max_length: int) -> str:
        """Text cut to at most `max_length` characters at a word, ending in "…"; a longer
        value is kept whole in `extra` under its key, with a warning (nothing is lost)."""
        value = self.text(key)
        if len(value) <= max_length:
            return value
        self.warnings.append(
            f"{self.where}{key}: longer than {max_length} characters; shortened, the whole "
            f"text kept in extra"
        )
        self.extra[key] = value
        cut = value[: max_length - 1]
        space = max(cut.rfind(" "), cut.rfind("\n"))
        if space > max_length // 2:
            cut = cut[:space]
        return cut.rstrip() + "…"

    def count(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.refuse(key, f"expected a whole number, got {yaml_type(value)}")
            return None
        if value < 0 or value > 2_147_483_647:
            self.refuse(key, "expected a whole number of 0 or more")
            return None
        return value


def parse_datetime(value: Any) -> dt.datetime | None:
    """A moment in UTC from ISO text or a YAML date or datetime (naive ones are UTC); else None."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        try:
            return value.astimezone(dt.UTC)
        except OverflowError:  # year 1 or 9999 with an offset: no such moment in UTC
            return None
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return None


# Remembered: a story page asks it of every link its coverage cites (a big story's: ~200 a
# page, a third of the page's cost), and those links come back on the next request.
@functools.lru_cache(maxsize=8192)
def canonical_url(url: str) -> str:
    """The identity of an item: scheme and host lower-cased, fragment dropped."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def is_http_url(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_URL and _valid_http_url(value)


@functools.lru_cache(maxsize=1024)  # a file's originalUrl and webUrl are usually the same
def _valid_http_url(value: str) -> bool:
    try:
        _validate_http_url(value)
    except ValidationError:
        return False
    return True


def required_url(data: dict, key: str) -> str:
    """The URL under `key`, or "" when absent; a value that is not an http(s) URL rejects the
    file."""
    value = data.get(key)
    if value is None or value == "":
        return ""
    if not is_http_url(value):
        raise SeedError(f"{key} is not an http(s) URL: {shorten(value)}")
    return value


def json_safe(value: Any, depth: int = 0) -> Any:
    """A JSON-storable copy of YAML data: dates as ISO text, binary as base64, keys as text."""
    if depth > MAX_EXTRA_DEPTH:
        raise SeedError(f"an unknown key holds data nested deeper than {MAX_EXTRA_DEPTH} levels")
    if isinstance(value, dict):
        return {str(key): json_safe(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        items = sorted(value, key=repr) if isinstance(value, set) else value
        return [json_safe(item, depth + 1) for item in items]
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or infinity; PostgreSQL refuses them
    return value
