"""Finding seed files under the paths an import is given, and reading them."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from articles.ingest.report import Rejection, Report
from articles.ingest.seeds import SeedError, content_hash, read_seed

SEED_SUFFIXES = (".txt", ".md")


class SeedFileError(Exception):
    """A path the user asked for that is not there (bad usage, not bad data)."""


class RawFile(NamedTuple):
    """A seed file's bytes, as `parse_seeds` takes them."""

    path: str
    raw: bytes
    digest: str  # `content_hash` of `raw`


class SeedFiles:
    """The seed files under some paths, in a stable order (sorted by name, folder by folder).

    They are found again on each pass instead of being held as a list: a list of 100,000 paths,
    and the folder listing it was built from, were a fifth of an import's peak memory. The first
    pass counts them (for progress) and collects what is refused; iterating walks them again.

    A path given here is taken as given, link or not: the person running the import chose it.
    Inside a folder, symbolic links are not followed: one could lead outside the folder being
    imported, so it is refused and named instead.
    """

    def __init__(self, paths: Iterable[str | Path]):
        self.paths = [Path(path) for path in paths]
        self.refused: list[Rejection] = []
        self.count = sum(1 for _ in self._find(self.refused))

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[str]:
        return self._find([])

    def _find(self, refused: list[Rejection]) -> Iterator[str]:
        for path in self.paths:
            if path.is_dir():
                yield from _walk(path, refused)
            elif path.is_file():
                yield str(path)
            elif not path.exists():
                raise SeedFileError(f"{path}: no such file or folder")
            else:
                refused.append(Rejection(str(path), "not a regular file"))


def _walk(folder: Path, refused: list[Rejection]) -> Iterator[str]:
    """The seed files in `folder`, then in its subfolders, each folder's sorted by name."""
    names, subfolders = [], []
    try:
        entries = os.scandir(folder)
    except OSError as error:
        refused.append(Rejection(str(folder), f"cannot read this folder: {error.strerror}"))
        return
    with entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                if entry.is_dir() or entry.name.endswith(SEED_SUFFIXES):
                    refused.append(Rejection(entry.path, "symbolic link; not followed"))
            elif entry.is_dir(follow_symlinks=False):
                subfolders.append(entry.name)
            elif entry.name.endswith(SEED_SUFFIXES) and entry.is_file(follow_symlinks=False):
                names.append(entry.name)
    # One string instead of a list of names while the folder's files are imported: "\0" cannot
    # occur in a file name.
    listing = "\0".join(sorted(names))
    del names
    start = 0
    while listing:
        end = listing.find("\0", start)
        yield os.path.join(folder, listing[start:] if end < 0 else listing[start:end])
        if end < 0:
            break
        start = end + 1
    for name in sorted(subfolders):
        yield from _walk(folder / name, refused)


def read_files(paths: list[str], max_bytes: int, report: Report) -> list[RawFile]:
    """The bytes and hash of each of `paths`, all counted as seen; one that cannot be read (or
    is over `max_bytes`) is rejected."""
    report.summary.seen += len(paths)
    raw_files = []
    for path in paths:
        try:
            raw = read_seed(path, max_bytes)
        except SeedError as error:
            report.reject(Rejection(path, error.reason, error.line))
            continue
        raw_files.append(RawFile(path, raw, content_hash(raw)))
    return raw_files
