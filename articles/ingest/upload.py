"""Seed files uploaded in the admin: staged in a folder of their own until Import, then removed.

An upload is seed files or `.zip`s of them. A zip is checked from its directory before anything
is extracted: at most `IMPORT_UPLOAD_MAX_FILES` entries and `IMPORT_UPLOAD_MAX_BYTES` declared
uncompressed bytes, no name with `..`, an absolute path, a drive or a backslash, no symbolic
link. Extraction then counts the bytes it really writes (a forged directory cannot smuggle a
bomb past the cap) and writes only into the upload's own folder, flattened to plain names.
Anything refused removes the folder. Files that are not seed files (`.txt`, `.md`) are skipped.

What was staged is pinned by a digest of its names and contents, signed with a timestamp
(`Staged.ticket`): Import accepts a ticket no older than `TICKET_SECONDS` whose folder still
holds exactly those files.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import stat
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core import signing

from articles.db.locks import ImportAlreadyRunning
from articles.ingest.files import SEED_SUFFIXES
from articles.ingest.run import run_import
from articles.models import ImportRun

TICKET_SECONDS = 3600
_SALT = "articles.ingest.upload"
_CHUNK = 1 << 16


class UploadRefused(Exception):
    """An upload refused whole (hostile or over a limit), with a reason to show."""


@dataclass(frozen=True)
class Staged:
    token: str  # the folder's name under IMPORT_UPLOAD_DIR
    folder: Path
    files: list[str]  # names in the folder
    skipped: list[str]  # names in the upload that are not seed files

    @property
    def ticket(self) -> str:
        return signing.TimestampSigner(salt=_SALT).sign_object(
            {"token": self.token, "digest": folder_digest(self.folder)}
        )


def stage(uploads) -> Staged:
    """Stage `uploads` (Django UploadedFiles) in a new folder; UploadRefused removes it."""
    root = Path(settings.IMPORT_UPLOAD_DIR)
    root.mkdir(parents=True, exist_ok=True)
    remove_stale(root)
    token = secrets.token_hex(16)
    folder = root / token
    folder.mkdir()
    try:
        files, skipped = _Stager(folder).add_all(uploads)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Staged(token, folder, files, skipped)


def staged_folder(ticket: str) -> Path:
    """The folder a ticket names, if the ticket is fresh and the folder holds what was
    previewed; UploadRefused otherwise."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign_object(ticket, max_age=TICKET_SECONDS)
    except signing.SignatureExpired:
        raise UploadRefused(
            "This preview is more than an hour old: upload the files again."
        ) from None
    except signing.BadSignature:
        raise UploadRefused(
            "This preview was not made here or was changed: upload again."
        ) from None
    token = str(value.get("token", ""))
    folder = Path(settings.IMPORT_UPLOAD_DIR) / token
    if not token.isalnum() or not folder.is_dir():
        raise UploadRefused("These files are gone (imported already, or cleaned up).")
    if folder_digest(folder) != value.get("digest"):
        raise UploadRefused("The files changed since the preview: upload them again.")
    return folder


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in sorted(os.listdir(folder)):
        digest.update(name.encode() + b"\0")
        with open(folder / name, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def remove_stale(root: Path, older_than: float = 2 * TICKET_SECONDS) -> None:
    """Remove staged uploads nobody imported (their tickets have long expired)."""
    limit = time.time() - older_than
    for entry in os.scandir(root):
        if entry.is_dir(follow_symlinks=False) and entry.stat().st_mtime < limit:
            shutil.rmtree(entry.path, ignore_errors=True)


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


class _Stager:
    def __init__(self, folder: Path):
        self.folder = folder
        self.max_files = settings.IMPORT_UPLOAD_MAX_FILES
        self.max_bytes = settings.IMPORT_UPLOAD_MAX_BYTES
        self.files: list[str] = []
        self.skipped: list[str] = []
        self.written = 0

    def add_all(self, uploads) -> tuple[list[str], list[str]]:
        for upload in uploads:
            name = upload.name or ""
            if name.lower().endswith(".zip"):
                self._add_zip(upload)
            else:
                self._add(PurePosixPath(name.replace("\\", "/")).name, upload.chunks())
        return self.files, self.skipped

    def _add_zip(self, upload) -> None:
        try:
            archive = zipfile.ZipFile(upload)
        except (zipfile.BadZipFile, OSError) as error:
            raise UploadRefused(f"{upload.name}: not a readable zip ({error}).") from None
        with archive:
            entries = [entry for entry in archive.infolist() if not entry.is_dir()]
            if len(self.files) + len(entries) > self.max_files:
                raise UploadRefused(
                    f"{upload.name}: {len(entries):,} files; at most {self.max_files:,} "
                    "may be uploaded at once."
                )
            declared = sum(entry.file_size for entry in entries)
            if self.written + declared > self.max_bytes:
                raise UploadRefused(
                    f"{upload.name}: {declared:,} bytes once uncompressed; at most "
                    f"{self.max_bytes:,} may be uploaded at once."
                )
            for entry in entries:
                _check_name(upload.name, entry)
            try:
                for entry in entries:
                    with archive.open(entry) as member:
                        self._add(
                            PurePosixPath(entry.filename).name,
                            iter(lambda member=member: member.read(_CHUNK), b""),
                            source=f"{upload.name}: {entry.filename}",
                        )
            except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
                # Python's zipfile reads no more than an entry declares, and then checks its
                # CRC: a forged size ends here.
                raise UploadRefused(f"{upload.name}: not a readable zip ({error}).") from None

    def _add(self, name: str, chunks, source: str = "") -> None:
        if not name.endswith(SEED_SUFFIXES) or name.startswith("."):
            self.skipped.append(source or name)
            return
        if len(self.files) >= self.max_files:
            raise UploadRefused(f"More than {self.max_files:,} files in one upload.")
        target = self.folder / _unique(name, self.files)
        with open(target, "xb") as out:
            for chunk in chunks:
                self.written += len(chunk)
                if self.written > self.max_bytes:
                    raise UploadRefused(
                        f"{source or name}: the upload is over {self.max_bytes:,} bytes "
                        "once uncompressed."
                    )
                out.write(chunk)
        self.files.append(target.name)


def _check_name(zip_name: str, entry: zipfile.ZipInfo) -> None:
    name = entry.filename
    path = PurePosixPath(name)
    if (
        "\\" in name
        or "\0" in name
        or path.is_absolute()
        or ".." in path.parts
        or (len(name) > 1 and name[1] == ":")
    ):
        raise UploadRefused(f"{zip_name}: refused, it holds the unsafe name {name!r}.")
    if stat.S_ISLNK(entry.external_attr >> 16):
        raise UploadRefused(f"{zip_name}: refused, {name!r} is a symbolic link.")


def _unique(name: str, taken: list[str]) -> str:
    """`name`, or `name` with a number before its suffix when another staged file has it."""
    if name not in taken:
        return name
    stem, dot, suffix = name.rpartition(".")
    number = 2
    while f"{stem}-{number}{dot}{suffix}" in taken:
        number += 1
    return f"{stem}-{number}{dot}{suffix}"


def import_staged(run_id: int, folder: str) -> None:
    """The import of a staged upload (run `run_id`, queued), then the folder goes: what the
    background task (articles/tasks/imports.py) runs."""
    run = ImportRun.objects.get(pk=run_id)
    try:
        run_import([folder], max_bytes=settings.SEED_MAX_BYTES, run=run)
    except ImportAlreadyRunning as error:
        run.status, run.warning_messages = ImportRun.Status.FAILED, [str(error)]
        run.save(update_fields=["status", "warning_messages"])
    except Exception as error:
        ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
            status=ImportRun.Status.FAILED, warning_messages=[f"the import failed: {error}"]
        )
        raise
    finally:
        discard(Path(folder))
