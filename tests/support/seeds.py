"""Seed files for tests: the sample seed, its fields to vary, seed text written from fields, and
`run_import`, the import as a user runs it. The seed-folder fixtures (`seed_dir`, `write_seed`)
are in tests/conftest.py."""

import io

import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase

SAMPLE_SEED = settings.BASE_DIR / "seeds" / "000_0d7d1d0ba49d6fa5.txt"


def sample_fields() -> dict:
    """The sample seed's front matter as a dict, to vary in tests."""
    text = SAMPLE_SEED.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True  # the importer refuses aliases; write repeated values out in full


def seed_text(fields: dict, body: str = "") -> str:
    front = yaml.dump(fields, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False)
    return "---\n" + front + "---\n" + body


class ImportResult:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return f"ImportResult(code={self.code}, out={self.out!r}, err={self.err!r})"


def run_import(*paths, **options) -> ImportResult:
    """Run `import_seeds` as a user would; return its exit code and output."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        # What the import does once its writes commit (refresh reader pages) happens here too,
        # though the test's own transaction never commits.
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command(
                "import_seeds", *[str(p) for p in paths], stdout=out, stderr=err, **options
            )
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    return ImportResult(code, out.getvalue(), err.getvalue())
