"""Import seeds from the admin: the preview writes nothing; Import runs it in the background; a
stale or tampered preview is refused; a zip's limits and hostile names."""

import io
import stat
import time
import zipfile

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.ingest import upload
from articles.models import Article, ImportRule, ImportRun
from tests.support.factories import user_in_role
from tests.support.seeds import run_import, sample_fields, seed_text

pytestmark = pytest.mark.django_db


def seed(n, **changes):
    data = sample_fields()
    data.update(
        title=f"Uploaded story {n}",
        originalUrl=f"https://example.com/up-{n}",
        webUrl=f"https://example.com/up-{n}",
    )
    data.update(changes)
    return seed_text(data).encode()


def make_zip(entries) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if isinstance(name, zipfile.ZipInfo):
                archive.writestr(name, data)
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def inline_tasks(settings):
    """Tasks run as they are enqueued, in the test's own transaction."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, settings):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.IMPORT_UPLOAD_DIR


@pytest.fixture
def editor(client):
    client.force_login(user_in_role("editor"))
    return client


def post_files(client, *files):
    return client.post(reverse("admin:articles_importrun_upload"), {"files": list(files)})


def ticket_of(response) -> str:
    return response.context["ticket"]


def wait_for(run_id, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = ImportRun.objects.get(pk=run_id)
        if run.status in (ImportRun.Status.FINISHED, ImportRun.Status.FAILED):
            return run
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def test_the_index_links_import_seeds_for_those_who_may(client):
    client.force_login(user_in_role("editor"))
    assert reverse("admin:articles_importrun_upload") in client.get(reverse("admin:index")).text


def test_preview_tells_each_file_and_writes_nothing_then_import_does(
    editor, tmp_path, upload_dir, django_capture_on_commit_callbacks
):
    # An existing article whose file changed, one unchanged, one new, one broken.
    folder = tmp_path / "before"
    folder.mkdir()
    (folder / "old.txt").write_bytes(seed(1))
    (folder / "same.txt").write_bytes(seed(2))
    run_import(folder)
    ImportRule.objects.create(name="hold all new", action="hold", words="story")
    before = (Article.objects.count(), ImportRun.objects.count())
    archive = make_zip(
        [
            ("batch/old.txt", seed(1, title="Uploaded story 1, corrected")),
            ("batch/same.txt", seed(2)),
            ("batch/new.txt", seed(3)),
            ("batch/broken.txt", b"---\ntitle: [unclosed\n---\n"),
            ("batch/readme.pdf", b"%PDF"),
        ]
    )

    response = post_files(editor, SimpleUploadedFile("batch.zip", archive))

    assert response.status_code == 200
    page = response.text
    rows = {entry.file: entry for entry in response.context["preview"].files}
    assert rows["old.txt"].outcome == "updated"
    assert ("title", "Uploaded story 1", "Uploaded story 1, corrected") in rows["old.txt"].changes
    assert rows["same.txt"].outcome == "unchanged"
    assert rows["new.txt"].outcome == "created"
    assert rows["new.txt"].rules == ["hold all new: hold for review"]
    assert rows["broken.txt"].outcome == "rejected" and rows["broken.txt"].line
    assert "readme.pdf" in page  # named as left out
    assert (Article.objects.count(), ImportRun.objects.count()) == before

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("admin:articles_importrun_upload_import"), {"ticket": ticket_of(response)}
        )
    run = ImportRun.objects.latest("pk")
    assert response.url == reverse("admin:articles_importrun_change", args=[run.pk])
    run = wait_for(run.pk)
    assert (run.status, run.created, run.updated, run.rejected) == ("finished", 1, 1, 1)
    assert Article.objects.get(title="Uploaded story 1, corrected")
    assert list(upload_dir.iterdir()) == []  # the staged folder is gone
    page = editor.get(response.url).text
    assert "finished" in page


def test_a_tampered_ticket_or_changed_files_are_refused(editor, upload_dir):
    response = post_files(editor, SimpleUploadedFile("a.txt", seed(1)))
    ticket = ticket_of(response)
    value = signing.TimestampSigner(salt="articles.ingest.upload").unsign_object(ticket)
    forged = signing.TimestampSigner(salt="elsewhere").sign_object(value)
    confirm = reverse("admin:articles_importrun_upload_import")

    response = editor.post(confirm, {"ticket": forged}, follow=True)
    assert "was not made here or was changed" in response.text

    (upload_dir / value["token"] / "a.txt").write_bytes(seed(1, title="Swapped"))
    response = editor.post(confirm, {"ticket": ticket}, follow=True)
    assert "The files changed since the preview" in response.text
    assert not ImportRun.objects.exists() and not Article.objects.exists()


def test_a_preview_older_than_an_hour_is_refused(editor, monkeypatch):
    response = post_files(editor, SimpleUploadedFile("a.txt", seed(1)))
    ticket = ticket_of(response)
    monkeypatch.setattr(upload, "TICKET_SECONDS", -1)
    response = editor.post(
        reverse("admin:articles_importrun_upload_import"), {"ticket": ticket}, follow=True
    )
    assert "more than an hour old" in response.text
    assert not ImportRun.objects.exists()


def symlink(name):
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    "entries, message",
    [
        ([("../evil.txt", b"x")], "unsafe name"),
        ([("/etc/evil.txt", b"x")], "unsafe name"),
        ([("C:/evil.txt", b"x")], "unsafe name"),
        ([(symlink("link.txt"), b"/etc/passwd")], "symbolic link"),
        ([(f"{n}.txt", b"x") for n in range(6)], "at most 5 may be uploaded"),
        ([("big.txt", b"0" * 5000)], "at most 4,096 may be uploaded"),
    ],
)
def test_hostile_or_oversized_zips_are_refused_before_extraction(
    editor, settings, upload_dir, entries, message
):
    settings.IMPORT_UPLOAD_MAX_FILES, settings.IMPORT_UPLOAD_MAX_BYTES = 5, 4096
    response = post_files(editor, SimpleUploadedFile("hostile.zip", make_zip(entries)))
    assert message in response.text
    assert [p for p in upload_dir.iterdir()] == []  # nothing left behind
    assert not (upload_dir.parent / "evil.txt").exists()


def test_a_zip_that_lies_about_its_sizes_is_stopped_while_extracting(editor, settings, upload_dir):
    settings.IMPORT_UPLOAD_MAX_BYTES = 4096
    archive = bytearray(make_zip([("bomb.txt", b"0" * 100_000)]))
    # Forge the declared uncompressed size (central directory) down to 10 bytes.
    central = archive.rfind(b"PK\x01\x02")
    archive[central + 24 : central + 28] = (10).to_bytes(4, "little")
    local = archive.find(b"PK\x03\x04")
    archive[local + 22 : local + 26] = (10).to_bytes(4, "little")
    response = post_files(editor, SimpleUploadedFile("bomb.zip", bytes(archive)))
    assert "not a readable zip" in response.text
    assert list(upload_dir.iterdir()) == []


@pytest.mark.parametrize("role, code", [("plain", 403), ("staff", 200), ("editor", 200)])
def test_who_may_upload(client, role, code):
    client.force_login(user_in_role(role))
    assert client.get(reverse("admin:articles_importrun_upload")).status_code == code
