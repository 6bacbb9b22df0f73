"""Reading and validating seed files, with no database.

`parse_seed(raw, file_name)` turns the bytes of one seed file into a `SeedItem` or raises
`SeedError` with a reason a person can act on (and the line, where YAML gives one). The rules are
those of docs/SEED_FORMAT.md: a broken required field rejects the file; a wrong optional field is
not applied, is kept verbatim in `extra` and produces a warning; a bad related entry is dropped
with a warning.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import frontmatter
import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# Bump when parsing or validation rules change, so that files imported under the old rules are
# no longer recognised as unchanged and get parsed again.
RULES_VERSION = b"seed-rules-1\n"

KNOWN_KEYS = frozenset(
    {
        "title",
        "excerpt",
        "category",
        "type",
        "publishedDateTime",
        "originalUrl",
        "webUrl",
        "quality",
        "heat",
        "published",
        "provider",
        "topics",
        "related",
        "secured",
        # Not in the upstream format: written by `export_seeds` so that an editor's schedule
        # survives a round trip; applied, like `published`, only when an article is created.
        "publishAt",
        "unpublishAt",
    }
)
RELATED_KEYS = frozenset(
    {"title", "excerpt", "publishedDateTime", "webUrl", "type", "provider", "quality"}
)

MAX_TITLE = 500
MAX_LABEL = 100  # category, type, topic names
MAX_URL = 2000
MAX_DOMAIN = 253
MAX_PROVIDER_NAME = 200

_yaml_handler = frontmatter.YAMLHandler()
_validate_http_url = URLValidator(schemes=["http", "https"])


class SeedError(Exception):
    """A seed file that cannot be imported. `line` is 1-based within the file, when known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line

    def __reduce__(self):  # keep the line when sent between processes
        return SeedError, (self.reason, self.line)


@dataclass
class SeedProvider:
    domain: str
    name: str


@dataclass
class SeedRelatedLink:
    position: int
    title: str
    url: str
    excerpt: str = ""
    published_at: dt.datetime | None = None
    type: str = ""
    quality: int | None = None
    provider: SeedProvider | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class SeedItem:
    file_name: str
    content_hash: str
    title: str
    published_at: dt.datetime
    canonical_url: str
    provider: SeedProvider
    original_url: str = ""
    web_url: str = ""
    excerpt: str = ""
    body: str = ""
    category: str = ""
    type: str = ""
    quality: int | None = None
    heat: int | None = None
    source_published: bool = False
    publish_at: dt.datetime | None = None
    unpublish_at: dt.datetime | None = None
    topics: list[str] = field(default_factory=list)
    related: list[SeedRelatedLink] = field(default_factory=list)
    secured: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def content_hash(raw: bytes) -> str:
    """Fingerprint of a file's bytes under the current rules: equal hash, nothing to do."""
    return hashlib.sha256(RULES_VERSION + raw).hexdigest()


def read_seed(path, max_bytes: int) -> bytes:
    """Read a seed file, refusing one over `max_bytes` before reading it."""
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            if size > max_bytes:
                raise SeedError(f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes")
            handle.seek(0)
            return handle.read(max_bytes + 1)
    except OSError as error:
        raise SeedError(f"cannot be read: {error.strerror or error}") from None


def parse_seed(raw: bytes, file_name: str, digest: str | None = None) -> SeedItem:
    try:
        data, body = _load_front_matter(raw)
        return _validate(data, body, file_name, digest or content_hash(raw))
    except RecursionError:
        raise SeedError("YAML is nested too deeply") from None


def parse_seeds(files: list[tuple[str, bytes, str]]) -> list[tuple[str, SeedItem | SeedError]]:
    """parse_seed over (file name, bytes, hash) triples; runs in a worker process too."""
    results: list[tuple[str, SeedItem | SeedError]] = []
    for file_name, raw, digest in files:
        try:
            results.append((file_name, parse_seed(raw, file_name, digest)))
        except SeedError as error:
            results.append((file_name, error))
        except Exception as error:  # noqa: BLE001
            # A bug of ours met by one file must not stop the import of all the others; the
            # file is rejected, named, and the error reported so that it gets fixed.
            reason = f"could not be checked ({type(error).__name__}: {error}); please report this"
            results.append((file_name, SeedError(reason)))
    return results


# --- Parsing ---------------------------------------------------------------------------------


def _load_front_matter(raw: bytes) -> tuple[dict, str]:
    if not raw.strip():
        raise SeedError("file is empty")
    if b"\x00" in raw:
        raise SeedError("file is binary (it contains NUL bytes), not a text seed")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SeedError(f"not UTF-8 text (invalid byte at offset {error.start})", line) from None
    text = text.removeprefix("\ufeff")
    if not _yaml_handler.detect(text):
        raise SeedError("no front matter: the file must start with a '---' line", 1)
    try:
        front_matter, body = _yaml_handler.split(text)
    except ValueError:
        raise SeedError("front matter is never closed: no second '---' line", 1) from None

    # Aliases let a few hundred bytes expand into gigabytes once the data is walked; refuse them
    # before building anything. Only a document that contains '*' can hold an alias.
    if "*" in front_matter:
        _refuse_aliases(front_matter)
    try:
        data = _yaml_handler.load(front_matter)
    except yaml.YAMLError as error:
        raise SeedError(f"YAML error: {_yaml_problem(error)}", _yaml_line(error)) from None
    except RecursionError:
        raise SeedError("YAML is nested too deeply") from None
    except ValueError as error:
        # An unquoted date the calendar does not have (2023-02-30, month 13, year 0): YAML's
        # date constructor raises a plain ValueError, without the line.
        raise SeedError(
            f"{_impossible_date(front_matter)} is not on the calendar ({error})"
        ) from None
    if data is None:
        raise SeedError("front matter is empty", 2)
    if _has_nul(data):
        # A YAML "\0" escape: PostgreSQL cannot store it, SQLite would; refuse it on both.
        raise SeedError("text contains a NUL character")
    if not isinstance(data, dict):
        raise SeedError(
            f"front matter must be a mapping of keys to values, not a {_yaml_type(data)}", 2
        )
    return data, body.strip()


def _impossible_date(front_matter: str) -> str:
    for match in re.finditer(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", front_matter):
        try:
            dt.date(*map(int, match.groups()))
        except ValueError:
            return match.group(0)
    return "a date"


def _refuse_aliases(front_matter: str) -> None:
    try:
        for event in yaml.parse(front_matter, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else None
                raise SeedError("YAML aliases (*name) are not allowed in seed files", line)
    except yaml.YAMLError as error:
        raise SeedError(f"YAML error: {_yaml_problem(error)}", _yaml_line(error)) from None


def _yaml_line(error: yaml.YAMLError) -> int | None:
    # The context mark is where the broken construct starts ("while parsing a flow sequence");
    # the problem mark is often only where the parser gave up, at the end of the block.
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    # The YAML text begins with the newline that ends the opening '---' line, so YAML's 0-based
    # line n is the file's line n + 1.
    return mark.line + 1 if mark is not None else None


def _yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    context = getattr(error, "context", None)
    if problem:
        return f"{context} {problem}" if context else problem
    return str(error).splitlines()[0]


def _yaml_type(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


# --- Validation ------------------------------------------------------------------------------


class _Fields:
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
            self.refuse(key, f"expected text, got {_yaml_type(value)}")
            return ""
        if max_length is not None and len(value) > max_length:
            self.refuse(key, f"longer than {max_length} characters")
            return ""
        return value

    def count(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.refuse(key, f"expected a whole number, got {_yaml_type(value)}")
            return None
        if value < 0 or value > 2_147_483_647:
            self.refuse(key, "expected a whole number of 0 or more")
            return None
        return value


def _validate(data: dict, body: str, file_name: str, digest: str) -> SeedItem:
    warnings: list[str] = []
    extra = {str(key): value for key, value in data.items() if key not in KNOWN_KEYS}
    fields = _Fields(data, "", warnings, extra)

    title = data.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        raise SeedError("title is missing or empty")
    if not isinstance(title, str):
        raise SeedError(f"title must be text, got {_yaml_type(title)}")
    if len(title) > MAX_TITLE:
        raise SeedError(f"title is longer than {MAX_TITLE} characters")

    if "publishedDateTime" not in data:
        raise SeedError("publishedDateTime is missing")
    published_at = _parse_datetime(data["publishedDateTime"])
    if published_at is None:
        raise SeedError(
            f"publishedDateTime is not a date and time: {_short(data['publishedDateTime'])}"
        )

    original_url = _required_url(data, "originalUrl")
    web_url = _required_url(data, "webUrl")
    if not original_url and not web_url:
        raise SeedError("neither webUrl nor originalUrl is given; one of them is required")
    canonical = canonical_url(web_url or original_url)

    provider = _provider(fields, "provider", canonical)

    publish_at, unpublish_at = _schedule(fields)
    source_published = False
    if data.get("published") is not None:
        if isinstance(data["published"], bool):
            source_published = data["published"]
        else:
            fields.refuse(
                "published", f"expected true or false, got {_yaml_type(data['published'])}"
            )

    item = SeedItem(
        file_name=file_name,
        content_hash=digest,
        title=title,
        published_at=published_at,
        canonical_url=canonical,
        provider=provider,
        original_url=original_url,
        web_url=web_url,
        excerpt=fields.text("excerpt"),
        body=body,
        category=fields.text("category", MAX_LABEL),
        type=fields.text("type", MAX_LABEL),
        quality=fields.count("quality"),
        heat=fields.count("heat"),
        source_published=source_published,
        publish_at=publish_at,
        unpublish_at=unpublish_at,
        topics=_topics(fields),
        related=_related(fields),
        secured=fields.text("secured"),
        extra=extra,
        warnings=warnings,
    )
    # Keys the model has no field for are stored in JSON: make them JSON values now, so a file
    # cannot fail later, in the database, half-way through a batch.
    item.extra = _json_safe(item.extra)
    for link in item.related:
        link.extra = _json_safe(link.extra)
    return item


def _schedule(fields: _Fields) -> tuple[dt.datetime | None, dt.datetime | None]:
    """`publishAt` / `unpublishAt`: an embargo and an expiry, as `export_seeds` writes them."""
    moments = []
    for key in ("publishAt", "unpublishAt"):
        value = fields.data.get(key)
        moment = None if value is None else _parse_datetime(value)
        if value is not None and moment is None:
            fields.refuse(key, "not a date and time")
        moments.append(moment)
    publish_at, unpublish_at = moments
    if publish_at and unpublish_at and unpublish_at <= publish_at:
        fields.refuse("publishAt", "the schedule ends before it starts")
        fields.refuse("unpublishAt", "the schedule ends before it starts")
        return None, None
    return publish_at, unpublish_at


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


def _required_url(data: dict, key: str) -> str:
    value = data.get(key)
    if value is None or value == "":
        return ""
    if not is_http_url(value):
        raise SeedError(f"{key} is not an http(s) URL: {_short(value)}")
    return value


def _parse_datetime(value: Any) -> dt.datetime | None:
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


def _provider(fields: _Fields, key: str, url: str) -> SeedProvider:
    """The provider named in the file, or one derived from the URL's host."""
    value = fields.data.get(key)
    if value is None:
        return _provider_from_url(url)
    if not isinstance(value, dict):
        fields.refuse(key, f"expected a mapping with name and domain, got {_yaml_type(value)}")
        return _provider_from_url(url)
    domain = value.get("domain")
    name = value.get("name")
    if domain is not None and not _is_domain(domain):
        fields.refuse(key, f"domain is not a domain name: {_short(domain)}")
        return _provider_from_url(url)
    if name is not None and (not isinstance(name, str) or len(name) > MAX_PROVIDER_NAME):
        fields.refuse(key, f"name must be text of at most {MAX_PROVIDER_NAME} characters")
        return _provider_from_url(url)
    domain = domain.strip().lower() if domain else _provider_from_url(url).domain
    name = name.strip() if isinstance(name, str) and name.strip() else domain
    unknown = set(value) - {"name", "domain"}
    if unknown:
        # Keep what we do not understand rather than drop it.
        fields.extra.setdefault(f"{key}Extra", {k: value[k] for k in unknown})
    return SeedProvider(domain=domain, name=name)


def _provider_from_url(url: str) -> SeedProvider:
    domain = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return SeedProvider(domain=domain, name=domain)


def _is_domain(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value.strip()) <= MAX_DOMAIN
        and not any(ch.isspace() or ch in "/\\@:?#" for ch in value.strip())
    )


def _topics(fields: _Fields) -> list[str]:
    value = fields.data.get("topics")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(topic, str) for topic in value):
        fields.refuse("topics", "expected a list of text")
        return []
    if any(len(topic.strip()) > MAX_LABEL for topic in value):
        fields.refuse("topics", f"a topic is longer than {MAX_LABEL} characters")
        return []
    # dict.fromkeys: drop repeats, keep the file's order.
    return list(dict.fromkeys(topic.strip() for topic in value if topic.strip()))


def _related(fields: _Fields) -> list[SeedRelatedLink]:
    value = fields.data.get("related")
    if value is None:
        return []
    if not isinstance(value, list):
        fields.refuse("related", f"expected a list of links, got {_yaml_type(value)}")
        return []
    links = []
    for number, entry in enumerate(value, start=1):
        where = f"related[{number}]"
        if not isinstance(entry, dict):
            fields.warnings.append(f"{where}: expected a mapping, got {_yaml_type(entry)}; dropped")
            continue
        title = entry.get("title")
        if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
            fields.warnings.append(f"{where}: title is missing, empty or too long; dropped")
            continue
        url = entry.get("webUrl")
        if not is_http_url(url):
            fields.warnings.append(f"{where}: webUrl is not an http(s) URL: {_short(url)}; dropped")
            continue
        link_extra = {str(k): v for k, v in entry.items() if k not in RELATED_KEYS}
        link_fields = _Fields(entry, f"{where}.", fields.warnings, link_extra)
        published_at = None
        if entry.get("publishedDateTime") is not None:
            published_at = _parse_datetime(entry["publishedDateTime"])
            if published_at is None:
                link_fields.refuse("publishedDateTime", "not a date and time")
        links.append(
            SeedRelatedLink(
                position=len(links),
                title=title,
                url=url,
                excerpt=link_fields.text("excerpt"),
                published_at=published_at,
                type=link_fields.text("type", MAX_LABEL),
                quality=link_fields.count("quality"),
                provider=_provider(link_fields, "provider", url),
                extra=link_extra,
            )
        )
    return links


MAX_EXTRA_DEPTH = 32


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _json_safe(value: Any, depth: int = 0) -> Any:
    """A JSON-storable copy of YAML data: dates as ISO text, binary as base64, keys as text."""
    if depth > MAX_EXTRA_DEPTH:
        raise SeedError(f"an unknown key holds data nested deeper than {MAX_EXTRA_DEPTH} levels")
    if isinstance(value, dict):
        return {str(key): _json_safe(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        items = sorted(value, key=repr) if isinstance(value, set) else value
        return [_json_safe(item, depth + 1) for item in items]
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or infinity; PostgreSQL refuses them
    return value


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"
