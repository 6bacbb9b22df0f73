"""Reading and validating seed files, with no database.

`parse_seed(raw, file_name)` turns the bytes of one seed file into a `SeedItem` or raises
`SeedError` with a reason a person can act on (and the line, where YAML gives one). The rules are
those of docs/SEED_FORMAT.md: a broken required field rejects the file; a wrong optional field is
not applied, is kept verbatim in `extra` and produces a warning; a bad related entry is dropped
with a warning. Where a change goes:

- `front_matter`: the file itself (size, encoding, delimiters, YAML, aliases), before any key;
- `item`: the seed's own keys (`KNOWN_KEYS`, `SeedItem`, `read_item`): a new key goes here;
- `links`: the `provider` mapping and the `related` list (`RELATED_KEYS`);
- `values`: one value's check (text, number, date, URL, canonical URL), and the JSON copy;
- `parse`: the two steps together, and the rules' version in the content hash;
- `errors`: `SeedError`, and how a reason quotes a value.

May import: the standard library, PyYAML, python-frontmatter, Django's validators. Nothing of
`articles` (callers import this, never the other way round), and no database."""

from articles.ingest.seeds.errors import SeedError
from articles.ingest.seeds.front_matter import read_seed
from articles.ingest.seeds.item import KNOWN_KEYS, SeedItem
from articles.ingest.seeds.links import RELATED_KEYS, SeedProvider, SeedRelatedLink
from articles.ingest.seeds.parse import RULES_VERSION, content_hash, parse_seed, parse_seeds
from articles.ingest.seeds.values import canonical_url, is_http_url

__all__ = [
    "KNOWN_KEYS",
    "RELATED_KEYS",
    "RULES_VERSION",
    "SeedError",
    "SeedItem",
    "SeedProvider",
    "SeedRelatedLink",
    "canonical_url",
    "content_hash",
    "is_http_url",
    "parse_seed",
    "parse_seeds",
    "read_seed",
]
