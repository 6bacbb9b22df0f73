"""Writing a batch of parsed seed items to the database, and counting what it changed.

Files whose hash an article already carries are dropped before parsing (unchanged: no parsing,
no writes). The rest are upserted with a handful of bulk statements in one transaction: providers,
articles, topics, related links. If the database refuses a batch, each of its files is retried on
its own so that one bad file cannot spoil the others. Only source-owned columns are written on
existing articles.
"""

from __future__ import annotations

from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Provider, RelatedLink, TaggedArticle, readers_see_changes
from articles.seeds import SeedError, SeedItem

from .bulk import insert_rows, upsert_rows
from .files import RawFile
from .pipeline import ParsedFile
from .report import Rejection, Report


class BatchWriter:
    """Writes batch after batch of one import into the database (counting only, in a dry run),
    adding to `report` what each file came to."""

    def __init__(self, report: Report, *, run_id: int | None, dry_run: bool):
        self.report = report
        self.summary = report.summary
        self.run_id = run_id
        self.dry_run = dry_run

    def keep_changed(self, raw_files: list[RawFile]) -> list[RawFile]:
        """The files no article carries as they are; the others are counted unchanged."""
        known = set(
            Article.objects.filter(content_hash__in=[raw_file.digest for raw_file in raw_files])
            .order_by()
            .values_list("content_hash", flat=True)
        )
        changed = [raw_file for raw_file in raw_files if raw_file.digest not in known]
        self.summary.unchanged += len(raw_files) - len(changed)
        return changed

    def write(self, parsed: list[ParsedFile]) -> None:
        items: dict[str, SeedItem] = {}
        for file_name, item in parsed:
            if isinstance(item, SeedError):
                self.report.reject(Rejection(file_name, item.reason, item.line))
                continue
            for warning in item.warnings:
                self.report.warn(f"{item.file_name}: {warning}")
            # Two files with one identity make one article, from the newer telling.
            other = items.get(item.canonical_url)
            if other is not None:
                winner, loser = sorted((other, item), key=_telling_order, reverse=True)
                self._warn_same_url(loser, Path(winner.file_name).name)
                self.summary.unchanged += 1  # the older telling changes nothing
                if winner is other:
                    continue
            items[item.canonical_url] = item
        self._write_batch(list(items.values()))

    def _write_batch(self, items: list[SeedItem]) -> None:
        if not items:
            return
        if self.dry_run:
            self._count_dry_run(items)
            return
        try:
            with transaction.atomic():
                written = [self._write(items)]
        except DatabaseError:
            # Find the file the database refused; the others still go in.
            written = []
            for item in items:
                try:
                    with transaction.atomic():
                        written.append(self._write([item]))
                except DatabaseError as error:
                    self.report.reject(
                        Rejection(item.file_name, f"the database refused it: {error}")
                    )
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
            if run_id == self.run_id and source_file != Path(item.file_name).name:
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

    def _warn_same_url(self, older: SeedItem | None, newer_file: str, newer=None) -> None:
        """Two files share one URL: one article, from the newer telling (later source date,
        then later file name)."""
        if older is not None:
            self.report.warn(
                f"{older.file_name}: same URL as {newer_file} ({older.canonical_url}); "
                f"one article, from {newer_file}, the newer telling; this file is not applied"
            )
        else:
            self.report.warn(
                f"{newer.file_name}: same URL as {newer_file} ({newer.canonical_url}); "
                f"one article, from this file, the newer telling"
            )

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
                    "import_run": self.run_id,
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


def _telling_order(item: SeedItem):
    """Of two files with one URL, the greater is the newer telling of the story."""
    return (item.published_at, Path(item.file_name).name)
