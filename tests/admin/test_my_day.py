"""Review decisions as an editor's day: "Mine" and "Today", a story's stroke as one row with its
articles, an undo that says what came back; and import runs that say how they went."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.flow import QUERIES
from articles.models import Article, ImportRun, ReviewDecision, Story
from tests.support.admin import log_in
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db
DECISIONS = reverse("admin:articles_reviewdecision_changelist")


def rows(client, query=""):
    response = client.get(DECISIONS + query)
    assert response.status_code == 200
    return list(response.context["cl"].result_list), response.content.decode()


def test_mine_and_today_leave_out_other_editors_and_other_days(client):
    mine, theirs, old = (make_article(title=t, published=False) for t in ("Mine", "Theirs", "Old"))
    editor = log_in(client, "editor")
    other = None  # from a shell: nobody's
    Article.objects.filter(pk=mine.pk).set_published(True, editor)
    Article.objects.filter(pk=theirs.pk).set_published(True, other)
    Article.objects.filter(pk=old.pk).set_published(True, editor)
    ReviewDecision.objects.filter(article=old).update(
        decided_at=timezone.now() - dt.timedelta(days=3)
    )

    assert {d.article.title for d in rows(client, "?editor=mine")[0]} == {"Mine", "Old"}
    assert {d.article.title for d in rows(client, "?editor=mine&when=today")[0]} == {"Mine"}
    assert {d.article.title for d in rows(client, "?when=week")[0]} == {"Mine", "Theirs", "Old"}


def test_a_story_decided_on_the_desk_is_one_row_naming_its_articles(
    client, django_assert_max_num_queries
):
    editor = log_in(client, "editor")
    articles = [
        make_article(title=f"Harbour {n}", quality=50 - n, published=False) for n in range(12)
    ]
    story = Story.objects.create(title="Harbour", lead=articles[0])
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(story=story)
    story.publish_lead(editor)
    alone = make_article(title="Alone", published=False)
    Article.objects.filter(pk=alone.pk).set_published(True, editor, via="list")

    with django_assert_max_num_queries(12):
        listed, page = rows(client)
    assert len(listed) == 2
    assert "and 11 more in this decision" in page and "and 3 more" in page  # 8 named, 3 counted
    assert "Harbour 1" in page and "kept unpublished" in page
    per_article, _ = rows(client, "?rows=article")
    assert len(per_article) == 13


def test_an_undo_row_says_what_came_back(client):
    editor = log_in(client, "editor")
    article = make_article(title="Taken back", published=False)
    Article.objects.filter(pk=article.pk).set_published(True, editor, via="list")
    ReviewDecision.objects.undo_last(editor, via="list")

    _, page = rows(client)
    assert "Undo of published: unpublished again, back in the review queue" in page


def test_a_run_with_rejections_says_so_in_the_list_on_its_page_and_on_the_index(client):
    clean = ImportRun.objects.create(status=ImportRun.Status.FINISHED, files_seen=4)
    rejected = ImportRun.objects.create(status=ImportRun.Status.FINISHED, files_seen=5, rejected=3)
    log_in(client, "editor")

    listing = client.get(reverse("admin:articles_importrun_changelist")).content.decode()
    assert "finished, 3 rejected" in listing and ">finished<" in listing
    page = client.get(reverse("admin:articles_importrun_change", args=[rejected.pk]))
    assert "finished, 3 rejected" in page.content.decode()
    assert clean.state == "finished"

    index = client.get(reverse("admin:index")).content.decode()
    assert "Last import:" in index and "finished, 3 rejected" in index


def test_the_flow_page_draws_its_charts_with_their_numbers_in_few_queries(
    client, django_assert_max_num_queries
):
    for n in range(5):
        make_article(title=f"Waiting {n}", published=False)
    log_in(client, "editor")

    with django_assert_max_num_queries(QUERIES + 6):  # the session, the user, the site's menu
        response = client.get(reverse("admin:flow"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<svg class="chart"') == 2 and "<script" not in page.split("<body")[1]
    assert "Arrivals and decisions per hour, last 48 hours" in page  # the chart's <title>
    assert "5 wait now" in page  # its text alternative
    assert '<th scope="col">Queue at its end</th>' in page
    assert reverse("admin:flow") in client.get(reverse("admin:index")).content.decode()


def test_staff_without_the_articles_do_not_see_the_flow(client):
    log_in(client, "plain")
    assert client.get(reverse("admin:flow")).status_code == 403


def test_the_flow_page_names_the_busiest_providers_and_sums_the_rest():
    from articles.admin.flow_page import PROVIDERS_SHOWN, provider_rows
    from articles.flow import ProviderFlow

    providers = [ProviderFlow(f"P{n}", 10, 5, 3, 2) for n in range(PROVIDERS_SHOWN + 5)]
    rows = provider_rows(providers)
    assert len(rows) == PROVIDERS_SHOWN + 1
    assert rows[-1]["name"] == "5 other providers" and rows[-1]["arrived"] == 50
    assert rows[-1]["published_rate"] == "50%" and rows[-1]["waiting_rate"] == "20%"


def test_the_article_lists_import_run_filter_says_how_each_run_went():
    from articles.admin.filters import run_label

    run = ImportRun.objects.create(status=ImportRun.Status.FINISHED, rejected=2)
    assert run_label(run).endswith("(finished, 2 rejected)")
