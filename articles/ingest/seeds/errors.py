"""`SeedError`, and how a reason quotes the value it is about."""

from __future__ import annotations

from typing import Any


class SeedError(Exception):
    """A seed file that cannot be imported. `line` is 1-based within the file, when known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line

    def __reduce__(self):  # keep the line when sent between processes
        return SeedError, (self.reason, self.line)


def yaml_type(value: Any) -> str:
    """What YAML made of a value, in the words a reason uses ("list", "string", "int")."""
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def shorten(value: Any, limit: int = 80) -> str:
    """A value as a reason quotes it: cut at `limit` characters."""
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"
