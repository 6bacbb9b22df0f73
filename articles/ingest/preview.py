"""What an import of some files would do, file by file, writing nothing: the admin upload's
Preview. Each file is created, updated (which fields change, old and new), unchanged, or rejected
(line and reason); for a new article, what the import rules would do with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from articles.ingest.files import SeedFiles, read_files
from articles.ingest.report import Report
from articles.ingest.rules import Facts, RuleSet
from articles.ingest.seeds import SeedError, parse_seeds
from articles.ingest.writer import Telling
from articles.models import Article, ImportRule

# The fields a preview compares, as editors name them (the article's source-owned fields).
COMPARED = {
    "title": "title",
    "excerpt": "excerpt",
    "body": "body",
    "category": "category",
    "type": "type",
    "source_published_at": "published_at",
    "original_url": "original_url",
    "web_url": "web_url",
    "quality": "quality",
    "heat": "heat",
    "source_published": "source_published",
}
SHOWN_CHARS = 120
BATCH = 500


@dataclass
class FilePreview:
    file: str
    outcome: str  # "created", "updated", "unchanged", "rejected", "skipped"
    title: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # field, old, new
    line: int | None = None
    reason: str = ""
    rules: list[str] = field(default_factory=list)  # what each firing rule would do


@dataclass
class Preview:
    files: list[FilePreview]
    skipped_names: list[str] = field(default_factory=list)  # not seed files

    def count(self, outcome: str) -> int:
        return sum(entry.outcome == outcome for entry in self.files)

    @property
    def counts(self) -> dict[str, int]:
        names = ("created", "updated", "unchanged", "rejected", "skipped")
        return {name: self.count(name) for name in names}


def preview_folder(folder: Path, *, max_bytes: int) -> Preview:
    files = SeedFiles([folder])
    rules = RuleSet.load()
    entries: list[FilePreview] = []
    paths = list(files)
    for start in range(0, len(paths), BATCH):
        entries += _preview_batch(paths[start : start + BATCH], folder, rules, max_bytes)
    entries.sort(key=lambda entry: entry.file)
    return Preview(entries)


def _preview_batch(paths, folder: Path, rules: RuleSet, max_bytes: int) -> list[FilePreview]:
    report = Report()
    raw_files = read_files(paths, max_bytes, report)
    entries = [
        FilePreview(_name(r.file, folder), "rejected", line=r.line, reason=r.reason)
        for r in report.summary.rejections
    ]
    # A file an article already carries as it is: unchanged, not parsed (as the import does).
    known = dict(
        Article.objects.filter(content_hash__in=[raw.digest for raw in raw_files])
        .order_by()
        .values_list("content_hash", "title")
    )
    entries += [
        FilePreview(_name(raw.path, folder), "unchanged", known[raw.digest])
        for raw in raw_files
        if raw.digest in known
    ]
    parsed = parse_seeds([raw for raw in raw_files if raw.digest not in known])
    items = [item for _, item in parsed if not isinstance(item, SeedError)]
    existing = {
        article.canonical_url: article
        for article in Article.objects.filter(
            canonical_url__in=[item.canonical_url for item in items]
        ).select_related("provider")
    }
    for file_name, item in parsed:
        name = _name(file_name, folder)
        if isinstance(item, SeedError):
            entries.append(FilePreview(name, "rejected", line=item.line, reason=item.reason))
            continue
        article = existing.get(item.canonical_url)
        if article is None:
            outcome = rules.apply(Facts.of_item(item))
            entries.append(
                FilePreview(
                    name,
                    "skipped" if outcome.skipped_by else "created",
                    item.title,
                    rules=[_said(firing) for firing in outcome.firings],
                )
            )
        elif article.content_hash == item.content_hash:
            entries.append(FilePreview(name, "unchanged", item.title))
        elif Telling(article.source_published_at, article.source_file).supersedes(Telling.of(item)):
            entries.append(
                FilePreview(
                    name,
                    "unchanged",
                    item.title,
                    reason=f"{article.source_file} is a newer telling of this article",
                )
            )
        else:
            entries.append(FilePreview(name, "updated", item.title, _changes(article, item)))
    return entries


def _changes(article: Article, item) -> list[tuple[str, str, str]]:
    changes = []
    for column, attribute in COMPARED.items():
        old, new = getattr(article, column), getattr(item, attribute)
        if old != new:
            changes.append((column.replace("_", " "), _short(old), _short(new)))
    if article.provider.domain != item.provider.domain:
        changes.append(("provider", article.provider.domain, item.provider.domain))
    return changes


def _said(firing) -> str:
    what = f"{firing.rule_name}: {ImportRule.Action(firing.action).label}"
    return f"{what} ({firing.detail})" if firing.detail else what


def _short(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _name(path: str, folder: Path) -> str:
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return Path(path).name
