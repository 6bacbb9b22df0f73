"""Recent decisions and import runs in the admin: read-only lists for editors."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from articles.models import Article, ImportRun, ReviewDecision
from tests.support.admin import action, log_in
from tests.support.factories import make_article
from tests.support.seeds import run_import, sample_fields, seed_text

pytestmark = pytest.mark.django_db
DECISIONS = reverse("admin:articles_reviewdecision_changelist")


def test_editors_see_recent_decisions_newest_first_with_who_and_how(client):
    first, second = make_article(title="First story"), make_article(title="Second story")
    editor = log_in(client, "editor")
    action(client, "publish_selected", first)
    Article.objects.filter(pk=second.pk).set_published(True, editor)  # from a shell

    response = client.get(DECISIONS)

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [d.article.title for d in rows] == ["Second story", "First story"]
    page = response.content.decode()
    assert "<h1>Recent decisions</h1>" in page
    assert "article list action" in page and "shell or script" in page and "editor" in page
    assert reverse("admin:articles_article_change", args=[first.pk]) in page


def test_decisions_cannot_be_added_changed_or_deleted_even_by_a_superuser(client):
    article = make_article(published=False)
    Article.objects.filter(pk=article.pk).set_published(True, None)
    decision = ReviewDecision.objects.get()
    log_in(client, "superuser")

    assert client.get(reverse("admin:articles_reviewdecision_add")).status_code == 403
    url = reverse("admin:articles_reviewdecision_change", args=[decision.pk])
    assert client.post(url, {"change": "unpublish"}).status_code == 403
    delete = reverse("admin:articles_reviewdecision_delete", args=[decision.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ReviewDecision.objects.get().change == "publish"


def test_an_articles_decisions_are_one_link_away(client):
    article, other = make_article(), make_article()
    Article.objects.filter(pk__in=[article.pk, other.pk]).set_published(True, None)
    log_in(client, "editor")
    response = client.get(DECISIONS + f"?article={article.pk}")
    assert [d.article_id for d in response.context["cl"].result_list] == [article.pk]


@pytest.mark.parametrize("role", ["anonymous", "plain"])
def test_people_without_the_role_do_not_see_decisions(client, role):
    log_in(client, role)
    response = client.get(DECISIONS)
    # Anonymous visitors are sent to the login page; staff without the role are refused.
    assert response.status_code == {"anonymous": 302, "plain": 403}[role]


def test_import_runs_are_read_only_with_rejections_and_a_link_to_their_articles(
    client, write_seed, seed_dir
):
    fields = sample_fields()
    write_seed("good.txt", fields)
    write_seed("bad.txt", seed_text({**fields, "title": ""}))
    run_import(seed_dir)
    run = ImportRun.objects.get()
    log_in(client, "editor")

    page = client.get(reverse("admin:articles_importrun_change", args=[run.pk])).content.decode()

    [rejection] = run.rejections
    assert rejection["file"].endswith("bad.txt")
    assert escape(rejection["file"]) in page and escape(rejection["reason"]) in page
    link = reverse("admin:articles_article_changelist") + f"?import_run={run.pk}"
    assert f'href="{link}"' in page
    assert 'name="files_seen"' not in page and 'name="_save"' not in page
    listed = client.get(link).context["cl"].result_list
    assert [a.title for a in listed] == [fields["title"]]
    assert client.get(reverse("admin:articles_importrun_add")).status_code == 403


def test_an_import_runs_warnings_are_listed_and_a_clean_run_says_none(client):
    run = ImportRun.objects.create(status="finished", warning_messages=["odd <date> in a.txt"])
    clean = ImportRun.objects.create(status="finished")
    log_in(client, "editor")

    page = client.get(reverse("admin:articles_importrun_change", args=[run.pk])).content.decode()
    assert "<li>odd &lt;date&gt; in a.txt</li>" in page

    page = client.get(reverse("admin:articles_importrun_change", args=[clean.pk])).content.decode()
    assert page.count("None.") == 3  # no rejected files, none skipped by rules, no warnings


def test_the_staff_group_may_view_and_correct_but_not_publish():
    from django.contrib.auth.models import Group

    staff = set(Group.objects.get(name="Staff").permissions.values_list("codename", flat=True))
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"view_article", "change_article", "change_provider"} <= staff
    assert "publish_article" not in staff and "publish_article" in editors
    assert "view_reviewdecision" in editors
