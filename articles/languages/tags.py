"""A language tag as a seed states it (`language: fr`, `pt-BR`): BCP 47's shape, checked."""

from __future__ import annotations

import re

# A primary language subtag of 2 or 3 letters, then subtags of 1 to 8 letters or digits
# (region, script, variant): the shape of BCP 47, which HTML's `lang` takes as it is.
_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
MAX_TAG = 35  # the longest tag BCP 47 asks implementations to keep (RFC 5646, 4.4.1)


def language_tag(value: str) -> str | None:
    """`value` as a stored tag (the primary subtag lower-cased, the rest as given), or None
    when it is not a language tag."""
    value = value.strip()
    if len(value) > MAX_TAG or not _TAG.fullmatch(value):
        return None
    primary, _, rest = value.partition("-")
    return f"{primary.lower()}-{rest}" if rest else primary.lower()


def primary_subtag(tag: str) -> str:
    """The language without region or script: "pt-BR" gives "pt"."""
    return tag.partition("-")[0].lower()
