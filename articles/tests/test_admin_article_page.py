"""An article's admin page: the editor's fields, the source's fields, related links, history,
and the preview, through HTTP as each role."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, RelatedLink, ReviewDecision

from .factories import make_article, make_provider
from .helpers import log_in

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


def form_data(article, **fields):
    """What the change page's form posts, with `fields` changed."""
    links = article.related_links.count()
    data = {
        "related_links-TOTAL_FORMS": links,
        "related_links-INITIAL_FORMS": links,
        "related_links-MIN_NUM_FORMS": 0,
        "related_links-MAX_NUM_FORMS": 1000,
        "published": "on" if article.published else "",
    }
    for name in ("publish_at", "unpublish_at"):
        moment = getattr(article, name)
        local = timezone.localtime(moment) if moment else None
        data[f"{name}_0"] = local.strftime("%Y-%m-%d") if local else ""
        data[f"{name}_1"] = local.strftime("%H:%M:%S") if local else ""
    data.update(fields)
    return data


@pytest.fixture
def article():
    article = make_article(
        title="Rivers <b>rise</b>",
        excerpt="Flood warnings",
        web_url="https://river.example/rise",
        canonical_url="https://river.example/rise",
        topics=["Weather"],
        published=False,
    )
    for position, (title, url) in enumerate(
        [("Second source", "https://b.example/2"), ("First listed? no", "https://a.example/1")]
    ):
        RelatedLink.objects.create(
            article=article,
            position=position,
            title=title,
            url=url,
            provider=make_provider(f"rel{position}.example"),
        )
    return article


def test_the_page_explains_who_owns_which_fields(client, article):
    log_in(client, "editor")
    page = client.get(change_url(article)).content.decode()
    assert "Editors decide whether readers see this article and when." in page
    assert "These come from the seed file" in page
    # Editor-owned fields are inputs; source-owned ones are text.
    assert 'name="published"' in page and 'name="publish_at_0"' in page
    assert 'name="title"' not in page and 'name="excerpt"' not in page
    # Seed text is escaped, never markup.
    assert "Rivers &lt;b&gt;rise&lt;/b&gt;" in page


def test_related_links_are_listed_in_file_order_as_links_to_the_source(client, article):
    log_in(client, "editor")
    page = client.get(change_url(article)).content.decode()
    first = page.index('href="https://b.example/2"')
    second = page.index('href="https://a.example/1"')
    assert first < second
    assert 'target="_blank" rel="noopener noreferrer">Second source</a>' in page
    assert "related_links-0-title" not in page  # read-only


def test_an_editor_publishes_from_the_page_and_the_decision_is_recorded(client, article):
    editor = log_in(client, "editor")

    response = client.post(change_url(article), form_data(article, published="on"), follow=True)

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.published and article.reviewed_by == editor
    decision = ReviewDecision.objects.get()
    assert (decision.change, decision.via, decision.editor) == ("publish", "page", editor)
    page = client.get(change_url(article)).content.decode()
    assert "review-history" in page and "article page" in page and "published" in page


def test_the_history_says_when_there_is_none_and_links_to_all_the_articles_decisions(
    client, article
):
    log_in(client, "editor")
    assert "No decisions yet." in client.get(change_url(article)).content.decode()

    Article.objects.filter(pk=article.pk).set_published(True, None)  # from a shell

    page = client.get(change_url(article)).content.decode()
    assert "<td>published</td><td>—</td><td>?</td><td>shell or script</td>" in page
    decisions = reverse("admin:articles_reviewdecision_changelist") + f"?article={article.pk}"
    assert f'<a href="{decisions}">All decisions on this article</a>' in page


def test_saving_the_page_never_writes_source_fields_back(client, article):
    log_in(client, "editor")
    # An import refreshes the title after the editor opened the page.
    Article.objects.filter(pk=article.pk).update(title="Rivers rise further")

    client.post(change_url(article), form_data(article, published="on", title="Hacked"))

    article.refresh_from_db()
    assert article.title == "Rivers rise further"
    assert article.published


def test_an_editor_schedules_from_the_page(client, article):
    log_in(client, "editor")
    go_live = (timezone.now() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    local = timezone.localtime(go_live)

    client.post(
        change_url(article),
        form_data(
            article,
            published="on",
            publish_at_0=local.strftime("%Y-%m-%d"),
            publish_at_1=local.strftime("%H:%M:%S"),
        ),
    )

    article.refresh_from_db()
    assert article.published and article.publish_at == go_live
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert set(ReviewDecision.objects.values_list("change", flat=True)) == {"schedule", "publish"}
    queue_row = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Embargoed until" in queue_row


def test_an_expiry_before_the_embargo_is_refused_with_a_message(client, article):
    log_in(client, "editor")
    response = client.post(
        change_url(article),
        form_data(
            article,
            publish_at_0="2030-01-02",
            publish_at_1="10:00:00",
            unpublish_at_0="2030-01-01",
            unpublish_at_1="10:00:00",
        ),
    )
    assert response.status_code == 200
    assert "The time to come down must be after the time to go live." in response.content.decode()
    article.refresh_from_db()
    assert article.publish_at is None


def test_staff_see_the_page_but_cannot_publish_from_it(client, article):
    log_in(client, "staff")
    page = client.get(change_url(article))
    assert page.status_code == 200
    assert 'name="published"' not in page.content.decode()

    client.post(change_url(article), form_data(article, published="on"))

    article.refresh_from_db()
    assert not article.published
    assert not ReviewDecision.objects.exists()


def test_view_on_site_is_the_preview_until_readers_can_see_the_article(client, article):
    log_in(client, "editor")
    page = client.get(change_url(article)).content.decode()
    assert f'<a href="{preview_url(article)}" class="viewsitelink">' in page

    Article.objects.filter(pk=article.pk).set_published(True, None)
    page = client.get(change_url(article)).content.decode()
    assert f'<a href="{article.get_absolute_url()}" class="viewsitelink">' in page


@pytest.mark.parametrize("role", ["staff", "editor", "superuser"])
def test_staff_preview_an_unpublished_article_as_readers_would_see_it(client, article, role):
    log_in(client, role)
    response = client.get(preview_url(article))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<p class="preview-banner" role="status"><strong>Preview</strong>' in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "<h1>Rivers &lt;b&gt;rise&lt;/b&gt;</h1>" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_readers_never_get_the_preview_or_the_unpublished_page(client, article):
    response = client.get(preview_url(article))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get(article.get_absolute_url()).status_code == 404


def test_staff_without_article_permissions_get_no_preview(client, article):
    log_in(client, "plain")
    assert client.get(preview_url(article)).status_code == 404


def test_a_preview_of_a_missing_article_is_404(client):
    log_in(client, "editor")
    assert client.get(reverse("admin:articles_article_preview", args=[999999])).status_code == 404
