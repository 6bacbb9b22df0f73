"""An article's `secured` payload never leaves the database through the admin, and the export that
must carry it writes files only their owner can read.

The admin shows that a payload is there and a short fingerprint of it, never the value: not on
any page for the article, in any role, and no search or filter matches on it (a list that
answers `?secured__startswith=a` would give the value away one character at a time).
"""

import hashlib
import os
import stat

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import ImportRun, RelatedLink
from tests.support.admin import CHANGELIST, log_in
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

PAYLOAD, IV = "ckAHtXcEue0453gT+KACkQVHMgbIZFq2Dw/7nQ==", "FQGzcN7dhAV1gFLT2tbhDg=="
SECRET = f"{PAYLOAD};{IV}"
# The value and each of its parts, as they would appear in a page, escaped or not.
SECRET_PIECES = [SECRET, PAYLOAD, IV, PAYLOAD[:16], IV[:16]]


@pytest.fixture
def article():
    run = ImportRun.objects.create(status=ImportRun.Status.FINISHED)
    article = make_article(
        title="Dam inspection report",
        excerpt="Engineers found cracks",
        secured=SECRET,
        topics=["Infrastructure"],
        import_run=run,
    )
    RelatedLink.objects.create(
        article=article, position=0, title="Other coverage", url="https://other.example/dam"
    )
    article.set_published(True, None)  # a decision, for the history and the decisions list
    return article


def admin_pages(article):
    """Every admin page that shows something of `article`."""
    return [
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_article_delete", args=[article.pk]),
        reverse("admin:articles_article_preview", args=[article.pk]),
        CHANGELIST,
        CHANGELIST + "?review=published",
        CHANGELIST + "?q=inspection",
        CHANGELIST + f"?import_run={article.import_run_id}",
        CHANGELIST + f"?provider={article.provider_id}",
        reverse("admin:articles_reviewdecision_changelist") + f"?article={article.pk}",
        reverse("admin:articles_reviewdecision_change", args=[article.decisions.get().pk]),
        reverse("admin:articles_importrun_change", args=[article.import_run_id]),
        reverse("admin:articles_provider_change", args=[article.provider_id]),
        reverse("admin:articles_provider_changelist"),
        reverse("admin:index"),
    ]


def fingerprint_of(value):
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"present (sha256 {digest[:4]}…{digest[-2:]}, {len(value)} characters)"


@pytest.mark.parametrize("role", ["staff", "editor", "superuser"])
def test_no_admin_page_shows_the_secured_value(client, article, role):
    log_in(client, role)
    seen = 0
    for url in admin_pages(article):
        response = client.get(url, follow=True)
        page = response.content.decode()
        seen += response.status_code == 200 and article.title in page
        for piece in SECRET_PIECES:
            assert piece not in page, f"{url} shows the secured value ({role})"
    assert seen >= 3  # the role saw the article somewhere: the pages were not all refusals


@pytest.mark.parametrize("role", ["staff", "editor", "superuser"])
def test_the_article_page_says_a_payload_is_there_with_a_fingerprint(client, article, role):
    log_in(client, role)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert fingerprint_of(SECRET) in page.decode()

    empty = make_article(title="No payload", secured="")
    page = client.get(reverse("admin:articles_article_change", args=[empty.pk])).content.decode()
    assert "present (sha256" not in page


@pytest.mark.parametrize("role", ["staff", "editor", "superuser"])
def test_no_search_or_filter_matches_on_the_secured_value(client, article, role):
    log_in(client, role)
    for piece in SECRET_PIECES:
        response = client.get(CHANGELIST, {"q": piece})
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == []
    # A column lookup in the URL is no filter of the list: the admin's answer to an invalid
    # filter, whether or not the value would match.
    for lookup in ("secured", "secured__startswith", "secured__contains", "secured__regex"):
        for value in (SECRET, SECRET[:1], "x"):
            response = client.get(CHANGELIST, {lookup: value})
            assert response.status_code == 302 and response.url.endswith("?e=1"), lookup


def modes(*paths):
    return {path.name: stat.S_IMODE(path.stat().st_mode) for path in paths}


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o000])
def test_export_seeds_writes_for_the_owner_only_whatever_the_umask(tmp_path, umask):
    make_article(title="First", secured=SECRET)
    make_article(title="Second", secured="")
    outdir = tmp_path / "new" / "exports"
    old_umask = os.umask(umask)
    try:
        call_command("export_seeds", str(outdir), verbosity=0)
    finally:
        os.umask(old_umask)

    files = sorted(outdir.iterdir())
    assert len(files) == 2
    assert set(modes(*files).values()) == {0o600}
    assert modes(tmp_path / "new", outdir) == {"new": 0o700, "exports": 0o700}


def test_export_seeds_makes_a_file_it_replaces_owner_only_too(tmp_path):
    article = make_article(title="Only", secured=SECRET)
    tmp_path.chmod(0o755)  # a folder the user made: left as it is
    (tmp_path / f"{article.pk}.txt").write_text("old")
    (tmp_path / f"{article.pk}.txt").chmod(0o644)

    call_command("export_seeds", str(tmp_path), verbosity=0)

    assert modes(tmp_path / f"{article.pk}.txt") == {f"{article.pk}.txt": 0o600}
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
