"""Writing seed items to the database in batches.

The pipeline per batch of files: read bytes and hash them; drop files whose hash an article
already carries (unchanged: no parsing, no writes); parse and validate the rest (`seeds`); then
upsert providers, articles, topics and related links with a handful of bulk statements in one
transaction. If the database refuses a batch, each of its files is retried on its own so that one
bad file cannot spoil the others. Only source-owned columns are written on existing articles.
"""

from __future__ import annotations

import getpass
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone
from taggit.models import Tag

from .cache import reader_pages_changed
from .models import Article, ImportRun, Provider, RelatedLink, TaggedArticle
from .seeds import SeedError, SeedItem, content_hash, parse_seed, read_seed

SEED_SUFFIXES = (".txt", ".md")
DEFAULT_BATCH_SIZE = 500


@dataclass
class Rejection:
    file: str
    reason: str
    line: int | None = None

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.reason}"

    def as_dict(self):
        return {"file": self.file, "line": self.line, "reason": self.reason}


@dataclass
class ImportSummary:
    seen: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return len(self.rejections)


@dataclass
class SeedFile:
    path: Path
    name: str  # what messages call the file: its path as given, or relative to the folder


class SeedFileError(Exception):
    """A path the user asked for that is not there (bad usage, not bad data)."""


def find_seed_files(paths: Iterable[str | Path]) -> tuple[list[SeedFile], list[Rejection]]:
    """The seed files under `paths`, in a stable order, and the entries refused on the way.

    Folders are walked recursively without following symbolic links: a link could lead outside
    the folder being imported, so it is refused and named instead.
    """
    files: list[SeedFile] = []
    refused: list[Rejection] = []
    for given in paths:
        path = Path(given)
        if path.is_symlink():
            refused.append(Rejection(str(path), "symbolic link; not followed"))
        elif path.is_dir():
            files.extend(_walk(path, refused))
        elif path.is_file():
            files.append(SeedFile(path, str(path)))
        elif not path.exists():
            raise SeedFileError(f"{path}: no such file or folder")
        else:
            refused.append(Rejection(str(path), "not a regular file"))
    return files, refused


def _walk(folder: Path, refused: list[Rejection]) -> Iterator[SeedFile]:
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        root_path = Path(root)
        for name in [d for d in dirs if (root_path / d).is_symlink()]:
            refused.append(Rejection(str(root_path / name), "symbolic link; not followed"))
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (root_path / d).is_symlink()]
        for name in sorted(names):
            if name.startswith(".") or not name.endswith(SEED_SUFFIXES):
                continue
            path = root_path / name
            if path.is_symlink():
                refused.append(Rejection(str(path), "symbolic link; not followed"))
            elif path.is_file():
                yield SeedFile(path, str(path))


class SeedImporter:
    """Imports seed files; `run()` returns an `ImportSummary`.

    `on_file` is called once per file handled (for a progress bar); `on_message` with each
    rejection or warning as it happens.
    """

    def __init__(
        self,
        *,
        dry_run: bool = False,
        max_bytes: int,
        batch_size: int = DEFAULT_BATCH_SIZE,
        started_by: str | None = None,
        on_file: Callable[[int], None] | None = None,
        on_rejection: Callable[[Rejection], None] | None = None,
        on_warning: Callable[[str], None] | None = None,
    ):
        self.dry_run = dry_run
        self.max_bytes = max_bytes
        self.batch_size = batch_size
        self.started_by = started_by if started_by is not None else _current_user()
        self.on_file = on_file or (lambda n: None)
        self.on_rejection = on_rejection or (lambda r: None)
        self.on_warning = on_warning or (lambda w: None)
        self.summary = ImportSummary()
        self.run_record: ImportRun | None = None
        # canonical URL -> file that gave it, to name both files when two share one identity.
        self._url_sources: dict[str, str] = {}

    def run(
        self, files: list[SeedFile], refused: Iterable[Rejection] = (), paths=()
    ) -> ImportSummary:
        started = time.monotonic()
        if not self.dry_run:
            self.run_record = ImportRun.objects.create(
                started_by=self.started_by, paths="\n".join(str(p) for p in paths)
            )
        try:
            for rejection in refused:
                self.summary.seen += 1
                self._reject(rejection)
            for start in range(0, len(files), self.batch_size):
                batch = files[start : start + self.batch_size]
                self._import_batch(batch)
                self.on_file(len(batch))
        except BaseException:
            self._finish(started, ImportRun.Status.FAILED)
            raise
        self._finish(started, ImportRun.Status.FINISHED)
        return self.summary

    # --- one batch -----------------------------------------------------------------------

    def _import_batch(self, batch: list[SeedFile]) -> None:
        self.summary.seen += len(batch)
        raw_files = []
        for seed_file in batch:
            try:
                raw = read_seed(seed_file.path, self.max_bytes)
            except SeedError as error:
                self._reject(Rejection(seed_file.name, error.reason, error.line))
                continue
            raw_files.append((seed_file, raw, content_hash(raw)))

        known = set(
            Article.objects.filter(content_hash__in=[digest for _, _, digest in raw_files])
            .order_by()
            .values_list("content_hash", flat=True)
        )
        items: dict[str, SeedItem] = {}
        for seed_file, raw, digest in raw_files:
            if digest in known:
                self.summary.unchanged += 1
                continue
            try:
                item = parse_seed(raw, seed_file.name, digest)
            except SeedError as error:
                self._reject(Rejection(seed_file.name, error.reason, error.line))
                continue
            self._note_duplicate(item)
            for warning in item.warnings:
                self._warn(f"{item.file_name}: {warning}")
            # A later file with the same identity replaces an earlier one: one article per URL.
            items.pop(item.canonical_url, None)
            items[item.canonical_url] = item
        if not items:
            return
        if self.dry_run:
            self._count_dry_run(list(items.values()))
            return
        try:
            with transaction.atomic():
                created, updated = self._write(list(items.values()))
        except DatabaseError:
            # Find the file the database refused; the others still go in.
            created = updated = 0
            for item in items.values():
                try:
                    with transaction.atomic():
                        one_created, one_updated = self._write([item])
                except DatabaseError as error:
                    self._reject(Rejection(item.file_name, f"the database refused it: {error}"))
                    continue
                created += one_created
                updated += one_updated
        self.summary.created += created
        self.summary.updated += updated
        if created or updated:
            reader_pages_changed()

    def _count_dry_run(self, items: list[SeedItem]) -> None:
        existing = set(
            Article.objects.filter(canonical_url__in=[item.canonical_url for item in items])
            .order_by()
            .values_list("canonical_url", flat=True)
        )
        updated = sum(item.canonical_url in existing for item in items)
        self.summary.updated += updated
        self.summary.created += len(items) - updated

    def _write(self, items: list[SeedItem]) -> tuple[int, int]:
        providers = self._upsert_providers(items)
        existing = dict(
            Article.objects.filter(canonical_url__in=[item.canonical_url for item in items])
            .order_by()
            .values_list("canonical_url", "id")
        )
        now = timezone.now()
        articles = [
            Article(
                title=item.title,
                slug=Article.slug_for(item.title),
                excerpt=item.excerpt,
                body=item.body,
                category=item.category,
                type=item.type,
                source_published_at=item.published_at,
                original_url=item.original_url,
                web_url=item.web_url,
                canonical_url=item.canonical_url,
                quality=item.quality,
                heat=item.heat,
                source_published=item.source_published,
                # The file's suggestion decides only at creation; on update this column is not
                # in the update list below, so an editor's decision stands.
                published=item.source_published,
                provider_id=providers[item.provider.domain],
                secured=item.secured,
                extra=item.extra,
                source_file=Path(item.file_name).name,
                content_hash=item.content_hash,
                import_run=self.run_record,
                created_at=now,
                updated_at=now,
            )
            for item in items
        ]
        # One upsert for new and changed articles alike. On a conflict only the source-owned
        # columns are written, so an editor's decision (and the slug, and created_at) stands,
        # also when another import created the article since `existing` was read.
        Article.objects.bulk_create(
            articles,
            update_conflicts=True,
            unique_fields=["canonical_url"],
            update_fields=list(Article.SOURCE_FIELDS),
        )
        if any(article.id is None for article in articles):  # backends that return no ids
            ids = dict(
                Article.objects.filter(
                    canonical_url__in=[a.canonical_url for a in articles]
                ).values_list("canonical_url", "id")
            )
            for article in articles:
                article.id = ids[article.canonical_url]
        old_ids = list(existing.values())
        if old_ids:
            TaggedArticle.objects.filter(content_object_id__in=old_ids).delete()
            RelatedLink.objects.filter(article_id__in=old_ids).delete()

        ids = {article.canonical_url: article.id for article in articles}
        self._write_topics(items, ids)
        RelatedLink.objects.bulk_create(
            [
                RelatedLink(
                    article_id=ids[item.canonical_url],
                    position=link.position,
                    title=link.title,
                    excerpt=link.excerpt,
                    url=link.url,
                    source_published_at=link.published_at,
                    type=link.type,
                    quality=link.quality,
                    provider_id=providers[link.provider.domain] if link.provider else None,
                    extra=link.extra,
                )
                for item in items
                for link in item.related
            ]
        )
        return len(articles) - len(existing), len(existing)

    def _upsert_providers(self, items: list[SeedItem]) -> dict[str, int]:
        """Provider id by domain; creates the new ones. A provider's name is the latest given."""
        wanted: dict[str, str] = {}
        for item in items:
            wanted[item.provider.domain] = item.provider.name
            for link in item.related:
                if link.provider:
                    wanted.setdefault(link.provider.domain, link.provider.name)
        known = {
            provider.domain: provider
            for provider in Provider.objects.filter(domain__in=list(wanted)).only(
                "id", "domain", "name"
            )
        }
        missing = [Provider(domain=d, name=n) for d, n in wanted.items() if d not in known]
        if missing:
            Provider.objects.bulk_create(missing, ignore_conflicts=True)
            known.update(
                (provider.domain, provider)
                for provider in Provider.objects.filter(
                    domain__in=[p.domain for p in missing]
                ).only("id", "domain", "name")
            )
        renamed = []
        for item in items:
            provider = known[item.provider.domain]
            if item.provider.name != item.provider.domain and provider.name != item.provider.name:
                provider.name = item.provider.name
                renamed.append(provider)
        if renamed:
            Provider.objects.bulk_update(renamed, ["name"])
        return {domain: provider.id for domain, provider in known.items()}

    def _write_topics(self, items: list[SeedItem], article_ids: dict[str, int]) -> None:
        names = {topic for item in items for topic in item.topics}
        if not names:
            return
        tags = dict(Tag.objects.filter(name__in=names).values_list("name", "id"))
        for name in names - tags.keys():
            # New topics are few; Tag.save() gives each a unique slug.
            tag, _ = Tag.objects.get_or_create(name=name)
            tags[name] = tag.id
        TaggedArticle.objects.bulk_create(
            [
                TaggedArticle(content_object_id=article_ids[item.canonical_url], tag_id=tags[name])
                for item in items
                for name in item.topics
            ]
        )

    # --- bookkeeping ---------------------------------------------------------------------

    def _note_duplicate(self, item: SeedItem) -> None:
        earlier = self._url_sources.get(item.canonical_url)
        if earlier is not None and earlier != item.file_name:
            self._warn(
                f"{item.file_name}: same URL as {earlier} ({item.canonical_url}); "
                "one article, this later file's content wins"
            )
        self._url_sources[item.canonical_url] = item.file_name

    def _reject(self, rejection: Rejection) -> None:
        self.summary.rejections.append(rejection)
        self.on_rejection(rejection)

    def _warn(self, message: str) -> None:
        self.summary.warnings.append(message)
        self.on_warning(message)

    def _finish(self, started: float, status: str) -> None:
        self.summary.seconds = time.monotonic() - started
        if self.run_record is None:
            return
        summary = self.summary
        run = self.run_record
        run.status = status
        run.finished_at = timezone.now()
        run.files_seen = summary.seen
        run.created = summary.created
        run.updated = summary.updated
        run.unchanged = summary.unchanged
        run.rejected = summary.rejected
        run.warnings = len(summary.warnings)
        run.rejections = [rejection.as_dict() for rejection in summary.rejections]
        # Keep the record readable when a run warns about every file.
        run.warning_messages = summary.warnings[:1000]
        run.save()


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
