"""One file's bytes into a `SeedItem` or a `SeedError`: the front matter loaded, then its keys
read, under the rules that `RULES_VERSION` names."""

from __future__ import annotations

import hashlib

from articles.ingest.seeds.errors import SeedError
from articles.ingest.seeds.front_matter import load_front_matter
from articles.ingest.seeds.item import SeedItem, read_item

# Bump when parsing or validation rules change, so that files imported under the old rules are
# no longer recognised as unchanged and get parsed again.
RULES_VERSION = b"seed-rules-1\n"


def content_hash(raw: bytes) -> str:
    """Fingerprint of a file's bytes under the current rules: equal hash, nothing to do."""
    return hashlib.sha256(RULES_VERSION + raw).hexdigest()


def parse_seed(raw: bytes, file_name: str, digest: str | None = None) -> SeedItem:
    try:
        data, body = load_front_matter(raw)
        return read_item(data, body, file_name, digest or content_hash(raw))
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
