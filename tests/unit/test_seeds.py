"""The parse/validate step on its own: no database, any input."""

import datetime as dt
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest.seeds import KNOWN_KEYS, RELATED_KEYS, SeedError, SeedItem, parse_seed
from tests.support.seeds import sample_fields, seed_text


def outcome(raw: bytes) -> SeedItem | SeedError:
    """What the importer makes of `raw`: an item, or the error it refuses the file with. Any
    other exception propagates and fails the test."""
    try:
        return parse_seed(raw, "f.txt")
    except SeedError as error:
        return error


def assert_usable(result: SeedItem | SeedError, raw: bytes) -> None:
    """An item has what an article needs; a refusal says why and, when it names a line, names
    one the file has (counting every line break YAML counts: \\r, NEL, U+2028 too)."""
    if isinstance(result, SeedItem):
        assert result.title.strip()
        assert result.canonical_url.startswith(("http://", "https://"))
        assert result.published_at.tzinfo is not None
        assert result.provider.domain
        assert result.file_name == "f.txt"
    else:
        assert result.reason.strip()
        lines = len(raw.decode("utf-8", "replace").splitlines()) + 1
        assert result.line is None or 1 <= result.line <= lines, (result.line, result.reason)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_give_an_item_or_a_validation_error(raw):
    assert_usable(outcome(raw), raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=1000))
def test_any_front_matter_text_gives_an_item_or_a_validation_error(text):
    raw = f"---\n{text}\n---\nbody".encode("utf-8", "surrogatepass")
    assert_usable(outcome(raw), raw)


yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.datetimes(timezones=st.none() | st.just(dt.UTC)),
    st.dates(),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(sorted(RELATED_KEYS | {"name", "domain", "x"})), inner, max_size=5
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(sorted(KNOWN_KEYS | {"extra1"})), yaml_values, max_size=14))
def test_any_mapping_of_seed_keys_gives_an_item_or_a_validation_error(fields):
    text = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n"
    raw = text.encode("utf-8", "surrogatepass")
    assert_usable(outcome(raw), raw)


# name: (file, what the refusal says)
HOSTILE = {
    "alias bomb": (
        (
            "---\na: &a [x,x,x,x,x,x,x,x,x]\n"
            + "".join(
                f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n"
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            )
            + "title: *i\n---\n"
        ).encode(),
        "YAML aliases (*name) are not allowed in seed files",
    ),
    "deep nesting": (
        b"---\nextra: " + b"[" * 100_000 + b"\n---\n",
        "exceeded maximum nesting depth",
    ),
    "deep block nesting": (
        b"---\n" + b"".join(b" " * i + b"k:\n" for i in range(3000)) + b"---\n",
        "exceeded maximum nesting depth",
    ),
    "huge scalar": (
        b"---\ntitle: " + b"x" * 900_000 + b"\n---\n",
        "title is longer than 500 characters",
    ),
    "python object": (
        b"---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\n",
        "could not determine a constructor for the tag",
    ),
    # The tag itself is harmless: the file is refused for what it lacks, not with a traceback.
    "binary tag": (
        b"---\ntitle: ok\nblob: !!binary aGVsbG8=\n---\n",
        "publishedDateTime is missing",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_refused_quickly_with_its_reason(name):
    raw, reason = HOSTILE[name]
    started = time.monotonic()
    result = outcome(raw)
    assert time.monotonic() - started < 5  # bounded: no exponential blow-up
    assert isinstance(result, SeedError), result
    assert reason in result.reason
    assert_usable(result, raw)


def test_markup_in_text_fields_is_kept_as_text():
    fields = sample_fields()
    fields["title"] = "<script>alert(1)</script> & <b>bold</b>"
    item = parse_seed(seed_text(fields).encode(), "f.txt")
    assert item.title == "<script>alert(1)</script> & <b>bold</b>"
