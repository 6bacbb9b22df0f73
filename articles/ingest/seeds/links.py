"""The mappings inside a seed: `provider` (of the item and of each related link) and the
`related` list. A related entry that is broken is dropped with a warning; a provider that is
broken is refused, and the one derived from the URL's host is used instead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from articles.ingest.seeds.errors import shorten, yaml_type
from articles.ingest.seeds.values import (
    MAX_EXCERPT,
    MAX_LABEL,
    MAX_TITLE,
    Fields,
    is_http_url,
    parse_datetime,
)

# The keys of a related entry that the importer applies; any other is kept in its `extra`.
RELATED_KEYS = frozenset(
    {"title", "excerpt", "publishedDateTime", "webUrl", "type", "provider", "quality"}
)

MAX_DOMAIN = 253
MAX_PROVIDER_NAME = 200


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


def read_provider(fields: Fields, key: str, url: str) -> SeedProvider:
    """The provider named in the file, or one derived from the URL's host."""
    value = fields.data.get(key)
    if value is None:
        return _provider_from_url(url)
    if not isinstance(value, dict):
        fields.refuse(key, f"expected a mapping with name and domain, got {yaml_type(value)}")
        return _provider_from_url(url)
    domain = value.get("domain")
    name = value.get("name")
    if domain is not None and not _is_domain(domain):
        fields.refuse(key, f"domain is not a domain name: {shorten(domain)}")
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


def read_related(fields: Fields) -> list[SeedRelatedLink]:
    """The `related` list, in the file's order, without the entries that cannot be links."""
    value = fields.data.get("related")
    if value is None:
        return []
    if not isinstance(value, list):
        fields.refuse("related", f"expected a list of links, got {yaml_type(value)}")
        return []
    links = []
    for number, entry in enumerate(value, start=1):
        where = f"related[{number}]"
        if not isinstance(entry, dict):
            fields.warnings.append(f"{where}: expected a mapping, got {yaml_type(entry)}; dropped")
            continue
        title = entry.get("title")
        if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
            fields.warnings.append(f"{where}: title is missing, empty or too long; dropped")
            continue
        url = entry.get("webUrl")
        if not is_http_url(url):
            fields.warnings.append(
                f"{where}: webUrl is not an http(s) URL: {shorten(url)}; dropped"
            )
            continue
        link_extra = {str(k): v for k, v in entry.items() if k not in RELATED_KEYS}
        link_fields = Fields(entry, f"{where}.", fields.warnings, link_extra)
        published_at = None
        if entry.get("publishedDateTime") is not None:
            published_at = parse_datetime(entry["publishedDateTime"])
            if published_at is None:
                link_fields.refuse("publishedDateTime", "not a date and time")
        links.append(
            SeedRelatedLink(
                position=len(links),
                title=title,
                url=url,
                excerpt=link_fields.shortened_text("excerpt", MAX_EXCERPT),
                published_at=published_at,
                type=link_fields.text("type", MAX_LABEL),
                quality=link_fields.count("quality"),
                provider=read_provider(link_fields, "provider", url),
                extra=link_extra,
            )
        )
    return links
