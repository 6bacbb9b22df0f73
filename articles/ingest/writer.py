"""Writing a batch of parsed seed items to the database, and counting what it changed.

Files whose hash an article already carries are dropped before parsing (unchanged: no parsing,
no writes). The rest are upserted with a handful of bulk statements in one transaction: providers,
articles, topics, related links. If the database refuses a batch, each of its files is retried on
its own so that one bad file cannot spoil the others. Only source-owned columns are written on
existing articles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone
from taggit.models import Tag

from articles.db.bulk import insert_rows, upsert_rows
from articles.ingest.files import RawFile
from articles.ingest.pipeline import ParsedFile
from articles.ingest.providers import Rename, upsert_providers
from articles.ingest.report import Rejection, Report
from articles.ingest.rules import RuleSet, apply_to_new, record_firings, topics_rules_added
from articles.ingest.seeds import SeedError, SeedItem
from articles.models import Article, RelatedLink, TaggedArticle, readers_see_changes
from articles.webhooks.events import visibility_may_change


@dataclass(frozen=True, slots=True)
class Telling:
    """One file's telling of a story. Two files with one canonical URL make one article, from the
    newer telling: the later source date, then (on the same date) the later file name.

    Deciding by the files' content, not by which was read last, keeps repeated imports of the
    same folder from flipping the article between the two.
    """

    source_published_at: dt.datetime
    file_name: str  # without its folder, as an article's `source_file` keeps it

    @classmethod
    def of(cls, item: SeedItem) -> Telling:
        return cls(item.published_at, Path(item.file_name).name)

    def is_newer_than(self, other: Telling) -> bool:
        if self.source_published_at != other.source_published_at:
            return self.source_published_at > other.source_published_at
        return self.file_name > other.file_name

    def supersedes(self, other: Telling) -> bool:
        """Another file's newer telling. A file's own earlier version never does: the file's
        new content applies, whatever date it now gives."""
        return self.file_name != other.file_name and self.is_newer_than(other)


@dataclass(frozen=True, slots=True)
class ArticleBefore:
    """An article as it was before a batch wrote it."""

    id: int
    import_run_id: int | None
    telling: Telling  # of the file it was last written from
    shown: bool = False  # readers may see it (a write leaves its flag and schedule as they are)


@dataclass(frozen=True, slots=True)
class Superseded:
    """An item not written: the article came from `newer_file`, a newer telling."""

    item: SeedItem
    newer_file: str


@dataclass
class Written:
    items: list[SeedItem]  # the items written
    before: dict[str, ArticleBefore]  # by canonical URL, the articles that already existed
    superseded: list[Superseded]
    renames: list[Rename] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, rule), by import rules
    ids: dict[str, int] = field(default_factory=dict)  # by canonical URL, the articles written


class BatchWriter:
    """Writes batch after batch of one import into the database (counting only, in a dry run),
    adding to `report` what each file came to."""

    def __init__(
        self, report: Report, *, run_id: int | None, dry_run: bool, rules: RuleSet | None = None
    ):
        self.report = report
        self.rules = rules
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
                telling, other_telling = Telling.of(item), Telling.of(other)
                if not telling.is_newer_than(other_telling):
                    self._not_applied(item, newer_file=other_telling.file_name)
                    continue
                self._not_applied(other, newer_file=telling.file_name)
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
        for part in written:
            self._count_written(part)
            self.report.skip(part.skipped)
            for rename in part.renames:
                self.report.warn(str(rename))
            for superseded in part.superseded:
                self._not_applied(superseded.item, newer_file=superseded.newer_file)
        if any(part.items for part in written):
            readers_see_changes()  # outside a transaction: at once
            # New articles may go live; re-imported live ones changed (article.updated).
            visibility_may_change(
                [pk for part in written for pk in part.ids.values()],
                changed_ids=[
                    part.ids[url] for part in written for url in part.ids if url in part.before
                ],
            )

    def _count_written(self, written: Written) -> None:
        for item in written.items:
            before = written.before.get(item.canonical_url)
            if before is None:
                self.summary.created += 1
                continue
            self.summary.updated += 1
            older_file = before.telling.file_name
            # An earlier batch of this very run wrote this URL from another, older telling.
            if (
                self.run_id is not None
                and before.import_run_id == self.run_id
                and older_file != Telling.of(item).file_name
            ):
                self.report.warn(
                    f"{item.file_name}: same URL as {older_file} ({item.canonical_url}); "
                    f"one article, from this file, the newer telling"
                )

    def _count_dry_run(self, items: list[SeedItem]) -> None:
        existing = set(
            Article.objects.filter(canonical_url__in=[item.canonical_url for item in items])
            .order_by()
            .values_list("canonical_url", flat=True)
        )
        updated = sum(item.canonical_url in existing for item in items)
        applied = apply_to_new(self.rules, items, existing)
        self.report.skip(applied.skipped)
        self.report.fired(applied.outcomes.values())
        self.summary.updated += updated
        self.summary.created += len(applied.items) - updated

    def _not_applied(self, older: SeedItem, *, newer_file: str) -> None:
        """`older` shares its URL with `newer_file`, a newer telling: it changes nothing."""
        self.report.warn(
            f"{older.file_name}: same URL as {newer_file} ({older.canonical_url}); "
            f"one article, from {newer_file}, the newer telling; this file is not applied"
        )
        self.summary.unchanged += 1

    def _write(self, items: list[SeedItem]) -> Written:
        """Upsert `items`, except those whose article came from another file's newer telling."""
        now = timezone.now()
        before = {
            url: ArticleBefore(
                id=pk,
                import_run_id=run_id,
                telling=Telling(source_date, source_file),
                shown=_visible(now, *schedule),
            )
            for url, pk, run_id, source_file, source_date, *schedule in Article.objects.filter(
                canonical_url__in=[item.canonical_url for item in items]
            )
            .order_by()
            .values_list(
                "canonical_url",
                "id",
                "import_run_id",
                "source_file",
                "source_published_at",
                "published",
                "publish_at",
                "unpublish_at",
            )
        }
        superseded = []
        kept = []
        for item in items:
            article = before.get(item.canonical_url)
            if article is not None and article.telling.supersedes(Telling.of(item)):
                superseded.append(Superseded(item, newer_file=article.telling.file_name))
            else:
                kept.append(item)
        applied = apply_to_new(self.rules, kept, set(before))
        items = applied.items
        if not items:
            return Written(items, before, superseded, skipped=applied.skipped)
        # What a rule said (hold, publish) decides a new article's flag, not the seed.
        published = {
            url: outcome.published
            for url, outcome in applied.outcomes.items()
            if outcome.published is not None
        }
        shown = {item.canonical_url for item in items if _shown(item, before, now, published)}
        providers, renames = upsert_providers(items, shown)
        # One upsert for new and changed articles alike. On a conflict only the source-owned
        # columns are written, so an editor's decision (and the slug, and created_at) stands,
        # also when another import created the article since `before` was read. The file's
        # `published` goes into `published` only on insert (`Article.published_at_creation`).
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
                    "language": item.language,
                    "extra": item.extra,
                    "source_file": Path(item.file_name).name,
                    "content_hash": item.content_hash,
                    "import_run": self.run_id,
                    "updated_at": now,
                    # Written only when the article is created:
                    "canonical_url": item.canonical_url,
                    "slug": Article.slug_for(item.title),
                    "created_at": now,
                    "published": published.get(
                        item.canonical_url, Article.published_at_creation(item.source_published)
                    ),
                    "publish_at": item.publish_at,
                    "unpublish_at": item.unpublish_at,
                    "editor_title": item.editor_title,
                    "editor_excerpt": item.editor_excerpt,
                }
                for item in items
            ],
            unique_field="canonical_url",
            update_fields=Article.SOURCE_FIELDS,
        )
        old_ids = [before[item.canonical_url].id for item in items if item.canonical_url in before]
        if old_ids:
            TaggedArticle.objects.filter(content_object_id__in=old_ids).delete()
            RelatedLink.objects.filter(article_id__in=old_ids).delete()

        self._write_topics(items, ids, topics_rules_added(old_ids) if old_ids else {})
        record_firings(applied.outcomes, ids, self.run_id)
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
        self.report.fired(applied.outcomes.values())
        return Written(items, before, superseded, renames, skipped=applied.skipped, ids=ids)

    def _write_topics(
        self, items: list[SeedItem], article_ids: dict[str, int], kept: dict[int, list[str]]
    ) -> None:
        """The items' topics, and those rules added to an article when it was created (`kept`)."""
        topics = {
            item.canonical_url: list(
                dict.fromkeys([*item.topics, *kept.get(article_ids[item.canonical_url], [])])
            )
            for item in items
        }
        names = {topic for names in topics.values() for topic in names}
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
                for name in topics[item.canonical_url]
            ],
        )


def _shown(item: SeedItem, before: dict[str, ArticleBefore], now, ruled: dict[str, bool]) -> bool:
    """Whether readers may see the item's article once written: an existing article keeps its
    flag and schedule; a new one starts as an import rule (`ruled`) or else
    `Article.published_at_creation` says."""
    if item.canonical_url in before:
        return before[item.canonical_url].shown
    published = ruled.get(item.canonical_url, Article.published_at_creation(item.source_published))
    return _visible(now, published, item.publish_at, item.unpublish_at)


def _visible(now, published: bool, publish_at, unpublish_at) -> bool:
    """`Article.is_visible` for these values of its visibility columns."""
    article = Article(published=published, publish_at=publish_at, unpublish_at=unpublish_at)
    return article.is_visible(now)
