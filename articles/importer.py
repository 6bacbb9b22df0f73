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
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone
from taggit.models import Tag

from .imports.bulk import insert_rows, upsert_rows
from .models import Article, ImportRun, Provider, RelatedLink, TaggedArticle, readers_see_changes
from .seeds import SeedError, SeedItem, content_hash, parse_seeds, read_seed

SEED_SUFFIXES = (".txt", ".md")
# Files per transaction. Two batches are in flight at once (one parsing, one writing): 250 keeps
# memory flat and well under 120 MB at 100,000 files, at no measurable cost in speed.
DEFAULT_BATCH_SIZE = 250


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


class SeedFileError(Exception):
    """A path the user asked for that is not there (bad usage, not bad data)."""


def find_seed_files(paths: Iterable[str | Path]) -> tuple[SeedFiles, list[Rejection]]:
    """The seed files under `paths` and the entries refused on the way; see `SeedFiles`."""
    files = SeedFiles(paths)
    return files, files.refused


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


class SeedImporter:
    """Imports seed files; `run()` returns an `ImportSummary`.

    `on_file` is called once per file handled (for a progress bar); `on_message` with each
    rejection or warning as it happens.
    """

    def __init__(
        self,
        *,
        dry_run: bool = False,
        parallel: bool = True,
        max_bytes: int,
        batch_size: int = DEFAULT_BATCH_SIZE,
        started_by: str | None = None,
        on_file: Callable[[int], None] | None = None,
        on_rejection: Callable[[Rejection], None] | None = None,
        on_warning: Callable[[str], None] | None = None,
    ):
        self.dry_run = dry_run
        self.parallel = parallel
        self.max_bytes = max_bytes
        self.batch_size = batch_size
        self.started_by = started_by if started_by is not None else _current_user()
        self.on_file = on_file or (lambda n: None)
        self.on_rejection = on_rejection or (lambda r: None)
        self.on_warning = on_warning or (lambda w: None)
        self.summary = ImportSummary()
        self.run_record: ImportRun | None = None

    def run(
        self, files: SeedFiles | list[str], refused: Iterable[Rejection] = (), paths=()
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
            self._import_batches(files)
        except BaseException:
            self._finish(started, ImportRun.Status.FAILED)
            raise
        self._finish(started, ImportRun.Status.FINISHED)
        return self.summary

    # --- one batch -----------------------------------------------------------------------

    def _import_batches(self, files: SeedFiles | list[str]) -> None:
        """Read, parse and write batch after batch.

        With more than one batch, parsing (the costliest step) runs in a worker process while
        this one writes the previous batch to the database: a pipeline of two.
        """
        batches = _batches(files, self.batch_size)
        with _parser(parallel=self.parallel and len(files) > self.batch_size) as parse:
            pending = None
            for batch in batches:
                parsing = (parse(self._read_batch(batch)), len(batch))
                if pending is not None:
                    self._apply_batch(*pending)
                pending = parsing
            if pending is not None:
                self._apply_batch(*pending)

    def _read_batch(self, batch: list[str]) -> list[tuple[str, bytes, str]]:
        """(path, bytes, hash) of the files of a batch that need parsing: readable, and not
        already imported as they are."""
        self.summary.seen += len(batch)
        raw_files = []
        for path in batch:
            try:
                raw = read_seed(path, self.max_bytes)
            except SeedError as error:
                self._reject(Rejection(path, error.reason, error.line))
                continue
            raw_files.append((path, raw, content_hash(raw)))

        known = set(
            Article.objects.filter(content_hash__in=[digest for _, _, digest in raw_files])
            .order_by()
            .values_list("content_hash", flat=True)
        )
        self.summary.unchanged += sum(digest in known for _, _, digest in raw_files)
        return [raw_file for raw_file in raw_files if raw_file[2] not in known]

    def _apply_batch(self, future, batch_size: int) -> None:
        items: dict[str, SeedItem] = {}
        for file_name, item in future.result():
            if isinstance(item, SeedError):
                self._reject(Rejection(file_name, item.reason, item.line))
                continue
            for warning in item.warnings:
                self._warn(f"{item.file_name}: {warning}")
            # Two files with one identity make one article, from the newer telling.
            other = items.get(item.canonical_url)
            if other is not None:
                winner, loser = sorted((other, item), key=_telling_order, reverse=True)
                self._warn_same_url(loser, Path(winner.file_name).name)
                self.summary.unchanged += 1  # the older telling changes nothing
                if winner is other:
                    continue
            items[item.canonical_url] = item
        self._write_batch(items)
        self.on_file(batch_size)

    def _write_batch(self, items: dict[str, SeedItem]) -> None:
        if not items:
            return
        if self.dry_run:
            self._count_dry_run(list(items.values()))
            return
        batch = list(items.values())
        try:
            with transaction.atomic():
                written = [self._write(batch)]
        except DatabaseError:
            # Find the file the database refused; the others still go in.
            written = []
            for item in batch:
                try:
                    with transaction.atomic():
                        written.append(self._write([item]))
                except DatabaseError as error:
                    self._reject(Rejection(item.file_name, f"the database refused it: {error}"))
        for written_items, existed, superseded in written:
            self._count_written(written_items, existed)
            for item, newer_file in superseded:
                self._warn_same_url(item, newer_file)
                self.summary.unchanged += 1
        if any(written_items for written_items, _, _ in written):
            readers_see_changes()  # outside a transaction: at once

    def _count_written(self, items: list[SeedItem], existed: dict[str, tuple]) -> None:
        for item in items:
            before = existed.get(item.canonical_url)
            if before is None:
                self.summary.created += 1
                continue
            self.summary.updated += 1
            _, run_id, source_file, _ = before
            if run_id == self.run_record.id and source_file != Path(item.file_name).name:
                # An earlier batch of this very run wrote this URL from another, older telling.
                self._warn_same_url(None, source_file, newer=item)

    def _count_dry_run(self, items: list[SeedItem]) -> None:
        existing = set(
            Article.objects.filter(canonical_url__in=[item.canonical_url for item in items])
            .order_by()
            .values_list("canonical_url", flat=True)
        )
        updated = sum(item.canonical_url in existing for item in items)
        self.summary.updated += updated
        self.summary.created += len(items) - updated

    def _write(self, items: list[SeedItem]):
        """Upsert `items`. Returns (the items written, what the articles that already existed
        were before: {canonical URL: (id, import run id, source file, source date)}, the items
        not written because another file with the same URL is a newer telling)."""
        existing = {
            url: (pk, run_id, source_file, source_date)
            for url, pk, run_id, source_file, source_date in Article.objects.filter(
                canonical_url__in=[item.canonical_url for item in items]
            )
            .order_by()
            .values_list(
                "canonical_url", "id", "import_run_id", "source_file", "source_published_at"
            )
        }
        # Another file with the same URL wrote this article, and it is the newer telling: keep
        # it. Deciding by the files' content, not by which was read last, keeps repeated imports
        # of the same folder from flipping the article between the two.
        superseded = []
        kept = []
        for item in items:
            before = existing.get(item.canonical_url)
            name = Path(item.file_name).name
            if (
                before is not None
                and before[2] != name
                and (before[3], before[2])
                > (
                    item.published_at,
                    name,
                )
            ):
                superseded.append((item, before[2]))
            else:
                kept.append(item)
        items = kept
        if not items:
            return items, existing, superseded
        providers = self._upsert_providers(items)
        now = timezone.now()
        run_id = self.run_record.id if self.run_record else None
        # One upsert for new and changed articles alike. On a conflict only the source-owned
        # columns are written, so an editor's decision (and the slug, and created_at) stands,
        # also when another import created the article since `existing` was read. The file's
        # `published` goes into `published` only on insert.
        ids = upsert_rows(
            Article,
            [
                {
                    "title": item.title,
                    "excerpt": item.excerpt,
                    "body": item.body,
                    "category": item.category,
                    "type": item.type,
                    "source_published_at": item.published_at,
                    "original_url": item.original_url,
                    "web_url": item.web_url,
                    "quality": item.quality,
                    "heat": item.heat,
                    "source_published": item.source_published,
                    "provider": providers[item.provider.domain],
                    "secured": item.secured,
                    "extra": item.extra,
                    "source_file": Path(item.file_name).name,
                    "content_hash": item.content_hash,
                    "import_run": run_id,
                    "updated_at": now,
                    # Written only when the article is created:
                    "canonical_url": item.canonical_url,
                    "slug": Article.slug_for(item.title),
                    "created_at": now,
                    "published": item.source_published,
                    "publish_at": item.publish_at,
                    "unpublish_at": item.unpublish_at,
                }
                for item in items
            ],
            unique_field="canonical_url",
            update_fields=Article.SOURCE_FIELDS,
        )
        old_ids = [
            existing[item.canonical_url][0] for item in items if item.canonical_url in existing
        ]
        if old_ids:
            TaggedArticle.objects.filter(content_object_id__in=old_ids).delete()
            RelatedLink.objects.filter(article_id__in=old_ids).delete()

        self._write_topics(items, ids)
        insert_rows(
            RelatedLink,
            [
                {
                    "article": ids[item.canonical_url],
                    "position": link.position,
                    "title": link.title,
                    "excerpt": link.excerpt,
                    "url": link.url,
                    "source_published_at": link.published_at,
                    "type": link.type,
                    "quality": link.quality,
                    "provider": providers[link.provider.domain] if link.provider else None,
                    "extra": link.extra,
                }
                for item in items
                for link in item.related
            ],
        )
        return items, existing, superseded

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
        insert_rows(
            TaggedArticle,
            [
                {"content_object": article_ids[item.canonical_url], "tag": tags[name]}
                for item in items
                for name in item.topics
            ],
        )

    # --- bookkeeping ---------------------------------------------------------------------

    def _warn_same_url(self, older: SeedItem | None, newer_file: str, newer=None) -> None:
        """Two files share one URL: one article, from the newer telling (later source date,
        then later file name)."""
        if older is not None:
            self._warn(
                f"{older.file_name}: same URL as {newer_file} ({older.canonical_url}); "
                f"one article, from {newer_file}, the newer telling; this file is not applied"
            )
        else:
            self._warn(
                f"{newer.file_name}: same URL as {newer_file} ({newer.canonical_url}); "
                f"one article, from this file, the newer telling"
            )

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


@contextmanager
def _parser(parallel: bool):
    """Yields parse(files) -> a Future of `parse_seeds(files)`, in a worker process or here."""
    if not parallel or "fork" not in get_all_start_methods():

        def parse_here(files):
            future = Future()
            future.set_result(parse_seeds(files))
            return future

        yield parse_here
        return
    # fork, not spawn: spawn re-runs the caller's main module in the worker (a script without
    # a __main__ guard would run twice). The forked worker only parses text; it never touches
    # the database connection it inherits, and it exits without closing it.
    with ProcessPoolExecutor(
        max_workers=1, mp_context=get_context("fork"), initializer=_exit_with_parent
    ) as pool:
        try:
            yield lambda files: pool.submit(parse_seeds, files)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def _telling_order(item: SeedItem):
    """Of two files with one URL, the greater is the newer telling of the story."""
    return (item.published_at, Path(item.file_name).name)


def _exit_with_parent() -> None:
    """In the parse worker: leave as soon as the importing process is gone (killed, say).

    The worker inherits the importer's open files and connections, the import lock's among
    them; an orphan waiting forever for work would keep that lock and refuse every later import.
    """
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _batches(files: Iterable[str], size: int) -> Iterator[list[str]]:
    files = iter(files)
    while batch := list(islice(files, size)):
        yield batch
