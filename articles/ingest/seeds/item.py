"""A seed's own keys: which ones the importer knows (`KNOWN_KEYS`), what they become
(`SeedItem`) and how each is read (`read_item`). A new key of the upstream format goes here:
its name in `KNOWN_KEYS`, a field on `SeedItem`, its reading in `read_item` (with a value check
from `values`, or its own helper beside `read_topics`); the writer then stores the field.

A broken required field (title, publishedDateTime, the URLs) rejects the file; a wrong optional
one is refused: not applied, kept in `extra`, with a warning."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from articles.ingest.seeds.errors import SeedError, shorten, yaml_type
from articles.ingest.seeds.links import SeedProvider, SeedRelatedLink, read_provider, read_related
from articles.ingest.seeds.values import (
    MAX_EXCERPT,
    MAX_LABEL,
    MAX_TITLE,
    Fields,
    canonical_url,
    json_safe,
    parse_datetime,
    required_url,
)
from articles.languages import detect_language, language_tag

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
        # Not in the upstream format: the article's language, when the source knows it better
        # than the detector (articles/languages); export writes the stored one.
        "language",
        # Not in the upstream format: written by `export_seeds` so that an editor's schedule
        # survives a round trip; applied, like `published`, only when an article is created.
        "publishAt",
        "unpublishAt",
        # Likewise for an editor's headline and excerpt (`Article.editor_title`, `editor_excerpt`).
        "editorTitle",
        "editorExcerpt",
    }
)


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
    editor_title: str = ""
    editor_excerpt: str = ""
    topics: list[str] = field(default_factory=list)
    related: list[SeedRelatedLink] = field(default_factory=list)
    secured: str = ""
    language: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def read_item(data: dict, body: str, file_name: str, digest: str) -> SeedItem:
    """The item a file's front matter (`data`) and body describe; SeedError if it cannot be
    imported."""
    warnings: list[str] = []
    extra = {str(key): value for key, value in data.items() if key not in KNOWN_KEYS}
    fields = Fields(data, "", warnings, extra)

    title = data.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        raise SeedError("title is missing or empty")
    if not isinstance(title, str):
        raise SeedError(f"title must be text, got {yaml_type(title)}")
    if len(title) > MAX_TITLE:
        raise SeedError(f"title is longer than {MAX_TITLE} characters")

    if "publishedDateTime" not in data:
        raise SeedError("publishedDateTime is missing")
    published_at = parse_datetime(data["publishedDateTime"])
    if published_at is None:
        raise SeedError(
            f"publishedDateTime is not a date and time: {shorten(data['publishedDateTime'])}"
        )

    original_url = required_url(data, "originalUrl")
    web_url = required_url(data, "webUrl")
    if not original_url and not web_url:
        raise SeedError("neither webUrl nor originalUrl is given; one of them is required")
    canonical = canonical_url(web_url or original_url)

    provider = read_provider(fields, "provider", canonical)

    publish_at, unpublish_at = read_schedule(fields)
    source_published = False
    if data.get("published") is not None:
        if isinstance(data["published"], bool):
            source_published = data["published"]
        else:
            fields.refuse(
                "published", f"expected true or false, got {yaml_type(data['published'])}"
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
        excerpt=fields.shortened_text("excerpt", MAX_EXCERPT),
        body=body,
        category=fields.text("category", MAX_LABEL),
        type=fields.text("type", MAX_LABEL),
        quality=fields.count("quality"),
        heat=fields.count("heat"),
        source_published=source_published,
        publish_at=publish_at,
        unpublish_at=unpublish_at,
        editor_title=fields.text("editorTitle", MAX_TITLE).strip(),
        editor_excerpt=fields.text("editorExcerpt", MAX_EXCERPT).strip(),
        topics=read_topics(fields),
        related=read_related(fields),
        secured=fields.text("secured"),
        extra=extra,
        warnings=warnings,
    )
    item.language = read_language(fields) or detect_language(item.title, item.excerpt, body)
    # Keys the model has no field for are stored in JSON: make them JSON values now, so a file
    # cannot fail later, in the database, half-way through a batch.
    item.extra = json_safe(item.extra)
    for link in item.related:
        link.extra = json_safe(link.extra)
    return item


def read_schedule(fields: Fields) -> tuple[dt.datetime | None, dt.datetime | None]:
    """`publishAt` / `unpublishAt`: an embargo and an expiry, as `export_seeds` writes them."""
    moments = []
    for key in ("publishAt", "unpublishAt"):
        value = fields.data.get(key)
        moment = None if value is None else parse_datetime(value)
        if value is not None and moment is None:
            fields.refuse(key, "not a date and time")
        moments.append(moment)
    publish_at, unpublish_at = moments
    if publish_at and unpublish_at and unpublish_at <= publish_at:
        fields.refuse("publishAt", "the schedule ends before it starts")
        fields.refuse("unpublishAt", "the schedule ends before it starts")
        return None, None
    return publish_at, unpublish_at


def read_topics(fields: Fields) -> list[str]:
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


def read_language(fields: Fields) -> str:
    """`language`: a BCP 47 tag the seed states (`fr`, `pt-BR`), which wins over detection."""
    value = fields.data.get("language")
    if value is None:
        return ""
    tag = language_tag(value) if isinstance(value, str) else None
    if tag is None:
        fields.refuse("language", "expected a language tag such as fr or pt-BR")
        return ""
    return tag
