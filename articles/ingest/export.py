"""Writing articles back out as seed files: the way out of the database, and its backup.

An exported file imports into an empty database as the same article: every source-owned field,
the unknown keys kept in `extra`, topics and related links in the file's order. `published` is
the editor's decision, and so does the editor's schedule (`publishAt`, `unpublishAt`), so both
survive (the source's own suggestion is not kept separately); so do the editor's headline and
excerpt (`editorTitle`, `editorExcerpt`) beside the source's `title` and `excerpt`.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import yaml
from django.db.models import Prefetch

from articles.ingest.files import SEED_SUFFIXES
from articles.models import Article, RelatedLink, TaggedArticle

try:  # the C dumper when libyaml is there, as for loading
    from yaml import CSafeDumper as SafeDumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper


class _SeedDumper(SafeDumper):
    def ignore_aliases(self, data):
        return True  # the importer refuses aliases


def _represent_text(dumper, text: str):
    # Multi-line text in double quotes, "\n" escaped: no line of it can look like the closing
    # "---" of the front matter.
    style = '"' if "\n" in text or "\r" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_SeedDumper.add_representer(str, _represent_text)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(dt.UTC) if value is not None else None


def _put(fields: dict, key: str, value) -> None:
    if value not in (None, ""):
        fields[key] = value


def _provider(provider) -> dict:
    return {"name": provider.name, "domain": provider.domain}


def seed_fields(article: Article) -> dict:
    """The front matter of `article` as a seed file would hold it."""
    fields: dict = {}
    _put(fields, "category", article.category)
    fields["title"] = article.title
    _put(fields, "excerpt", article.excerpt)
    fields["publishedDateTime"] = _utc(article.source_published_at)
    _put(fields, "originalUrl", article.original_url)
    _put(fields, "webUrl", article.web_url)
    _put(fields, "type", article.type)
    _put(fields, "quality", article.quality)
    _put(fields, "heat", article.heat)
    fields["published"] = article.published
    # The editor's schedule (not in the upstream format; the importer applies it on creation).
    _put(fields, "publishAt", _utc(article.publish_at))
    _put(fields, "unpublishAt", _utc(article.unpublish_at))
    # The editor's headline and excerpt (not upstream either; applied on creation too).
    _put(fields, "editorTitle", article.editor_title)
    _put(fields, "editorExcerpt", article.editor_excerpt)
    fields["provider"] = _provider(article.provider)
    topics = [tagged.tag.name for tagged in article.tagged_items]
    if topics:
        fields["topics"] = topics
    related = []
    for link in article.related_links.all():
        entry: dict = {"title": link.title}
        _put(entry, "excerpt", link.excerpt)
        _put(entry, "publishedDateTime", _utc(link.source_published_at))
        entry["webUrl"] = link.url
        _put(entry, "type", link.type)
        if link.provider is not None:
            entry["provider"] = _provider(link.provider)
        _put(entry, "quality", link.quality)
        # Values the importer could not apply come back under their own keys, as they came.
        entry.update((key, value) for key, value in link.extra.items() if key not in entry)
        _whole_excerpt(entry, link.extra)
        related.append(entry)
    if related:
        fields["related"] = related
    _put(fields, "secured", article.secured)
    _put(fields, "language", article.language)
    fields.update((key, value) for key, value in article.extra.items() if key not in fields)
    _whole_excerpt(fields, article.extra)
    return fields


def _whole_excerpt(fields: dict, extra: dict) -> None:
    """An excerpt the importer shortened goes out whole, as it came (it kept it in `extra`)."""
    if isinstance(extra.get("excerpt"), str):
        fields["excerpt"] = extra["excerpt"]


def seed_text(article: Article) -> str:
    front = yaml.dump(
        seed_fields(article), Dumper=_SeedDumper, allow_unicode=True, sort_keys=False, width=4096
    )
    body = f"\n{article.body}\n" if article.body else ""
    return f"---\n{front}---\n{body}"


def articles_for_export():
    return (
        Article.objects.order_by("id")
        .select_related("provider")
        .prefetch_related(
            Prefetch(
                "taggedarticle_set",
                queryset=TaggedArticle.objects.select_related("tag").order_by("id"),
                to_attr="tagged_items",
            ),
            Prefetch(
                "related_links",
                queryset=RelatedLink.objects.select_related("provider").order_by("position"),
            ),
        )
    )


# The files hold unpublished articles and `secured` payloads: for their owner only, whatever the
# umask (which can only take permissions away, hence the explicit chmod).
FILE_MODE, FOLDER_MODE = 0o600, 0o700


def _make_folders(outdir: Path) -> None:
    """`outdir` and its missing parents, each FOLDER_MODE; folders already there are not ours
    to change."""
    missing = []
    while not outdir.exists():
        missing.append(outdir)
        outdir = outdir.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile by someone else
        folder.chmod(FOLDER_MODE)


def _write(path: Path, text: str) -> None:
    """`text` into `path`, FILE_MODE. Written to a new file beside it, then renamed over it: a
    file it replaces is never emptied first, its owner and permissions are not reused, and a
    symbolic link at `path` is replaced, not followed."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(fd, "w", encoding="utf-8") as file:
            os.fchmod(fd, FILE_MODE)  # mkstemp makes it 0600 already; say so whatever the OS
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def export_seeds(outdir: Path) -> Iterator[Path]:
    """Write one seed file per article into `outdir`; yields each path written."""
    _make_folders(outdir)
    used: set[str] = set()
    for article in articles_for_export().iterator(chunk_size=1000):
        name = Path(article.source_file).name
        if not name or name.startswith(".") or not name.endswith(SEED_SUFFIXES):
            name = f"{article.pk}.txt"  # a name a folder import would skip: give it one it takes
        if name in used:  # two sources used the same file name
            name = f"{article.pk}_{name}"
        used.add(name)
        path = outdir / name
        _write(path, seed_text(article))
        yield path
