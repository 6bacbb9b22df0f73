"""`manage.py demo_newsroom` (what `make demo` runs): a newcomer's living newsroom, and never a
real newsroom's database touched unless forced, nor a password written into a log."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import TestCase

from articles.ingest.demo import DEMO_EDITOR, demo_articles
from articles.models import Article, ReviewDecision
from tests.support.factories import make_article
from tests.support.seeds import SAMPLE_SEED, run_import

pytestmark = pytest.mark.django_db

ITEMS = 40  # the command's default is 2,000; the rules are the same


class Terminal(io.StringIO):
    """Standard output as a person at a terminal has it (`make demo`)."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def developer_settings(settings):
    settings.DEBUG = True  # as `make demo` sets it


def run_demo(*arguments, out=None) -> str:
    out = out or Terminal()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("demo_newsroom", "--items", str(ITEMS), *arguments, stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    match = re.search(r"^  password: (\S+)$", output, re.M)
    assert match, output
    return match.group(1)


def ranked_titles() -> list[str]:
    """The demo's articles, best first (quality, then heat)."""
    return list(
        Article.objects.order_by("-quality", "-heat", "-id").values_list("title", flat=True)
    )


def test_the_demo_imports_the_corpus_and_readers_see_the_better_half(client):
    output = run_demo()
    assert Article.objects.count() == ITEMS
    visible = set(Article.objects.published().values_list("title", flat=True))
    assert visible == set(ranked_titles()[: ITEMS // 2])
    assert f"Readers see {ITEMS // 2} of the demo's {ITEMS} articles" in output
    # Decisions an editor made, recorded; the rest wait for review.
    editor = User.objects.get(username=DEMO_EDITOR)
    assert ReviewDecision.objects.filter(editor=editor).count() > 0
    assert Article.objects.filter(reviewed_at__isnull=True, published=False).exists()
    # The site has something to show at once: listings, topics, providers, search.
    home = client.get("/").content.decode()
    assert "No articles have been published yet" not in home
    assert client.get("/topics/").content.decode().count('class="index-count"') > 5
    assert client.get("/providers/").content.decode().count('class="index-count"') > 5


def test_the_printed_password_logs_the_demo_editor_in_to_the_review_queue(client):
    password = printed_password(run_demo())
    response = client.post(
        "/admin/login/?next=/admin/articles/article/",
        {"username": DEMO_EDITOR, "password": password},
        follow=True,
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.username == DEMO_EDITOR
    assert response.wsgi_request.user.has_perm("articles.publish_article")
    assert response.wsgi_request.path == "/admin/articles/article/"


def test_running_the_demo_again_changes_only_the_password():
    first_password = printed_password(run_demo())
    decisions = ReviewDecision.objects.count()
    visible = set(Article.objects.published().values_list("pk", flat=True))
    # An editor trying the demo takes down one of the better half: a rerun keeps that.
    taken_down = Article.objects.published().first()
    taken_down.set_published(False, User.objects.get(username=DEMO_EDITOR))

    output = run_demo()
    second_password = printed_password(output)
    assert "0 new, 0 changed" in output
    assert Article.objects.count() == ITEMS
    assert set(Article.objects.published().values_list("pk", flat=True)) == visible - {
        taken_down.pk
    }
    assert ReviewDecision.objects.count() == decisions + 1  # the editor's, nothing more
    assert User.objects.filter(username=DEMO_EDITOR).count() == 1
    assert second_password != first_password
    editor = User.objects.get(username=DEMO_EDITOR)
    assert editor.check_password(second_password)
    assert not editor.check_password(first_password)


def test_the_demo_refuses_a_database_with_real_articles():
    make_article("A real story", provider=("Real Paper", "realpaper.example"))
    with pytest.raises(CommandError, match="1 article that is not the demo's"):
        run_demo()
    assert Article.objects.count() == 1
    assert not User.objects.filter(username=DEMO_EDITOR).exists()


def test_the_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        run_demo()
    assert not Article.objects.exists()
    assert not User.objects.filter(username=DEMO_EDITOR).exists()


def test_the_demo_refuses_a_database_with_user_accounts_and_no_articles():
    User.objects.create_user("ines", password="a real editor's password")
    with pytest.raises(CommandError, match="1 user account besides the demo's"):
        run_demo()
    assert not Article.objects.exists()
    assert not User.objects.filter(username=DEMO_EDITOR).exists()


def test_forced_the_demo_runs_with_debug_off_beside_other_accounts(settings):
    settings.DEBUG = False
    User.objects.create_user("ines")
    run_demo("--force")
    assert Article.objects.count() == ITEMS


def test_without_a_terminal_no_password_is_written_and_changepassword_is_named():
    output = run_demo(out=io.StringIO())  # a deploy log, a pipe
    editor = User.objects.get(username=DEMO_EDITOR)
    assert "password:" not in output
    assert f"manage.py changepassword {DEMO_EDITOR}" in output
    assert not editor.has_usable_password()  # no secret was made that nobody saw
    # An editor set a password; a rerun into a log keeps it, and prints none.
    editor.set_password("chosen by the editor")
    editor.save()
    output = run_demo(out=io.StringIO())
    assert "chosen by the editor" not in output and "password:" not in output
    editor.refresh_from_db()
    assert editor.check_password("chosen by the editor")


def test_a_rerun_never_reopens_a_deactivated_demo_editor(client):
    first_password = printed_password(run_demo())
    User.objects.filter(username=DEMO_EDITOR).update(is_active=False)
    output = run_demo()
    editor = User.objects.get(username=DEMO_EDITOR)
    assert not editor.is_active
    assert "password:" not in output and "deactivated" in output
    assert editor.check_password(first_password)  # no new password either
    response = client.post(
        "/admin/login/", {"username": DEMO_EDITOR, "password": first_password}, follow=True
    )
    assert not response.wsgi_request.user.is_authenticated


def test_forced_the_demo_runs_beside_real_articles_and_leaves_them_alone():
    real = make_article("A real story", provider=("Real Paper", "realpaper.example"))
    run_demo("--force")
    assert Article.objects.count() == ITEMS + 1
    real.refresh_from_db()
    assert real.reviewed_at is None  # no decision taken on a real article
    assert not demo_articles().filter(pk=real.pk).exists()


def test_the_sample_seed_that_make_run_imports_is_not_a_real_article():
    run_import(SAMPLE_SEED)
    run_demo()
    assert Article.objects.count() == ITEMS + 1
