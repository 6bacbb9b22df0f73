"""Canonical forms of the query parameters reader pages read: a page's cache key holds only
these (`page_cache`), so junk values neither build nor store a copy of a page each. A leaf."""

import re
from collections.abc import Callable

# A parameter's canonical form ("" for absent or default), or None for a value the view refuses
# or redirects: neither looked up nor stored, so junk cannot fill the cache.
Canonical = Callable[[str], str | None]

_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def page_number(value: str) -> str | None:
    """`?page=`: a plain positive number ("1" is the page without the parameter)."""
    if value in ("", "1"):
        return ""
    return value if value.isascii() and _PAGE_NUMBER.fullmatch(value) else None
