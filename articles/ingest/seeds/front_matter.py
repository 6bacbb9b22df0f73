"""From a file to its front matter and body: the guards on the file itself (size, encoding,
delimiters, YAML syntax, aliases, NUL characters), before any key is looked at."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import frontmatter
import yaml

from articles.ingest.seeds.errors import SeedError, yaml_type

_yaml_handler = frontmatter.YAMLHandler()


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


def load_front_matter(raw: bytes) -> tuple[dict, str]:
    """The front matter of a file's bytes as a mapping, and its body stripped."""
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
            f"front matter must be a mapping of keys to values, not a {yaml_type(data)}", 2
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


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False
