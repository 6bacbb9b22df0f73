"""An article's admin page: the editor's fields, the source's fields, related links, history,
and the preview, through HTTP as each role."""

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, RelatedLink, ReviewDecision
from tests.support.admin import CHANGELIST, log_in
from tests.support.factories import make_article, make_provider

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


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
        data[name] = local.strftime("%Y-%m-%d %H:%M") if local else ""
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
    assert "Every decision is recorded in the article's history." in page
    assert "Read-only: the next import of a changed file replaces these" in page
    # Editor-owned fields are inputs; source-owned ones are text.
    assert 'name="published"' in page and 'name="publish_at"' in page
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
    assert "Last decision: published by editor" in page and "(article page)" in page
    history = client.get(history_url(article)).content.decode()
    assert "<td>published</td><td>article page</td>" in history


def test_the_history_says_when_there_is_none_and_the_page_links_to_it_once(client, article):
    log_in(client, "editor")
    assert "No decisions yet" in client.get(history_url(article)).content.decode()

    Article.objects.filter(pk=article.pk).set_published(True, None)  # from a shell

    history = client.get(history_url(article)).content.decode()
    assert "<td>?</td><td>published</td><td>shell or script</td>" in history
    page = client.get(change_url(article)).content.decode()
    assert page.count(f'href="{history_url(article)}"') == 1  # one way in: History, at the top
    assert "Last decision: published by ?" in page


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
            publish_at=local.strftime("%Y-%m-%d %H:%M"),
        ),
    )

    article.refresh_from_db()
    assert article.published and article.publish_at == go_live
    assert not Article.objects.published().filter(pk=article.pk).exists()
    # One save, one record: the decision carries the schedule saved with it.
    decision = ReviewDecision.objects.get()
    assert (decision.change, decision.publish_at) == ("publish", go_live)
    queue_row = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Scheduled, embargoed until" in queue_row and " UTC" in queue_row


def test_an_expiry_before_the_embargo_is_refused_with_a_message(client, article):
    log_in(client, "editor")
    response = client.post(
        change_url(article),
        form_data(
            article,
            publish_at="2030-01-02 10:00",
            unpublish_at="2030-01-01 10:00",
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
    # Private and never stored: the reader page's own header, and the admin's never_cache.
    directives = set(response["Cache-Control"].split(", "))
    assert directives == {"private", "no-store", "max-age=0", "no-cache", "must-revalidate"}


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


# --- Deciding from the page: the decision bar, Save and next, one history -------------------


def queue_article(title, quality, **fields):
    return make_article(title=title, quality=quality, published=False, **fields)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


QUEUE_FILTERS = "?_changelist_filters=review%3Dwaiting"


def test_the_decision_buttons_come_first_and_enter_in_a_field_saves(client, article):
    log_in(client, "editor")
    page = client.get(change_url(article)).content.decode()
    bar = page.index('name="_publish"')
    assert bar < page.index('name="unpublish_at"') < page.index('name="_save"')
    for label in [">Publish</button>", ">Keep unpublished</button>", ">Save and next</button>"]:
        assert label in page
    # The first submit button of the form is the one Enter presses: a plain save, no decision.
    form = page[page.index('id="article_form"') :]
    assert form.index('name="_continue"') < form.index('name="_publish"')
    assert "waiting for review" in page


def test_publish_records_the_decision_and_opens_the_next_in_the_queue(client):
    best = queue_article("Best", 40)
    second = queue_article("Second", 30)
    queue_article("Third", 20)
    editor = log_in(client, "editor")

    response = client.post(change_url(second) + QUEUE_FILTERS, form_data(second, _publish="1"))

    assert response.status_code == 302
    # The next after "Second" in queue order, not the best one skipped before it.
    third = Article.objects.get(title="Third")
    assert response["Location"] == change_url(third) + QUEUE_FILTERS
    second.refresh_from_db()
    assert second.published and second.reviewed_by == editor
    decision = ReviewDecision.objects.get()
    assert (decision.change, decision.via) == ("publish", "page")
    page = client.get(response["Location"])
    assert messages_of(page)[0].startswith("“Second”: published by editor")

    # After the last one, the first one skipped.
    response = client.post(change_url(third) + QUEUE_FILTERS, form_data(third, _publish="1"))
    assert response["Location"] == change_url(best) + QUEUE_FILTERS


def test_keep_unpublished_is_a_recorded_decision_and_the_article_leaves_the_queue(client):
    article = queue_article("Dull", 5)
    log_in(client, "editor")

    response = client.post(change_url(article) + QUEUE_FILTERS, form_data(article, _unpublish="1"))

    article.refresh_from_db()
    assert not article.published and article.reviewed_at is not None
    decision = ReviewDecision.objects.get()
    assert (decision.change, decision.published) == ("keep-off", False)
    # The queue is empty now: back to the list the editor came from, saying so.
    assert response["Location"] == CHANGELIST + "?review=waiting"
    listed = client.get(response["Location"])
    assert "No more articles wait in this list." in messages_of(listed)
    assert list(listed.context["cl"].result_list) == []
    history = client.get(history_url(article)).content.decode()
    assert "kept unpublished" in history


def test_save_and_next_follows_the_list_the_editor_came_from(client):
    wire = make_provider("wire.example", "The Wire")
    first = queue_article("Wire one", 40, provider=wire)
    queue_article("Elsewhere", 35)
    second = queue_article("Wire two", 30, provider=wire)
    log_in(client, "editor")
    filters = f"?_changelist_filters=review%3Dwaiting%26provider%3D{wire.pk}"

    response = client.post(change_url(first) + filters, form_data(first, _savenext="1"))

    assert response["Location"] == change_url(second) + filters
    assert not ReviewDecision.objects.exists()  # nothing was changed, so nothing recorded


def test_the_list_links_each_article_with_its_filters_for_save_and_next(client):
    article = queue_article("Linked", 10)
    log_in(client, "editor")
    page = client.get(CHANGELIST + "?review=waiting").content.decode()
    assert f'href="{change_url(article)}?_changelist_filters=review%3Dwaiting"' in page


def test_saving_unchanged_says_nothing_changed_and_writes_no_history(client, article):
    log_in(client, "editor")

    response = client.post(change_url(article), form_data(article), follow=True)

    assert messages_of(response) == ["Nothing changed: “Rivers <b>rise</b>” is as it was."]
    assert "changed successfully" not in response.content.decode()
    assert not ReviewDecision.objects.exists()
    assert not LogEntry.objects.exists()
    assert "No decisions yet" in client.get(history_url(article)).content.decode()


def test_one_save_writes_one_history_entry(client, article):
    log_in(client, "editor")
    response = client.post(
        change_url(article),
        form_data(
            article,
            published="on",
            publish_at="2030-12-01 14:30",
            unpublish_at="2030-12-02 09:00",
        ),
        follow=True,
    )

    assert response.status_code == 200
    assert ReviewDecision.objects.count() == 1 and not LogEntry.objects.exists()
    history = client.get(history_url(article))
    assert len(history.context["entries"]) == 1
    assert (
        "published; schedule from 1 Dec 2030 14:30 UTC to 2 Dec 2030 09:00 UTC"
        in history.content.decode()
    )


def test_the_history_merges_the_change_log_and_the_decisions_newest_first(client, article):
    editor = log_in(client, "editor")
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Article),
        object_id=str(article.pk),
        object_repr=str(article),
        action_flag=CHANGE,
        change_message="Changed published.",
        action_time=timezone.now() - dt.timedelta(days=1),
    )
    Article.objects.filter(pk=article.pk).set_published(True, editor, via="list")

    history = client.get(history_url(article))

    assert [entry.how for entry in history.context["entries"]] == [
        "article list action",
        "change log",
    ]
    page = history.content.decode()
    assert page.index("article list action") < page.index("Changed published.")


def test_a_live_article_nobody_reviewed_says_so_and_offers_keep_or_unpublish(client):
    article = make_article(title="Went live by itself", published=True)
    log_in(client, "editor")
    page = client.get(change_url(article)).content.decode()
    assert "Live, not reviewed" in page
    assert ">Keep published</button>" in page and ">Unpublish</button>" in page

    client.post(change_url(article), form_data(article, _publish="1"))

    article.refresh_from_db()
    assert article.published and article.reviewed_at is not None
    assert ReviewDecision.objects.get().change == "keep-on"
    assert "Live, not reviewed" not in client.get(change_url(article)).content.decode()


def test_staff_get_no_decision_buttons_and_the_server_refuses_them(client, article):
    log_in(client, "staff")
    page = client.get(change_url(article)).content.decode()
    assert 'name="_publish"' not in page and 'name="_unpublish"' not in page
    assert ">Next</button>" in page and 'value="Next" name="_savenext"' in page

    for button in ("_publish", "_unpublish"):
        response = client.post(change_url(article), form_data(article, **{button: "1"}))
        assert response.status_code == 403

    article.refresh_from_db()
    assert not article.published and article.reviewed_at is None
    assert not ReviewDecision.objects.exists()


def test_a_schedule_typed_in_iso_form_is_shown_back_in_iso_form_with_its_time_zone(
    client, article, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    log_in(client, "editor")

    client.post(
        change_url(article),
        form_data(article, publish_at="2030-12-01 14:30"),
    )

    article.refresh_from_db()
    assert article.publish_at == dt.datetime(2030, 12, 1, 13, 30, tzinfo=dt.UTC)
    page = client.get(change_url(article)).content.decode()
    assert 'name="publish_at" value="2030-12-01 14:30"' in page
    assert "In Europe/Berlin, typed as 2026-12-20 08:00." in page
    history = client.get(history_url(article)).content.decode()
    assert "from 1 Dec 2030 14:30 CET to —" in history
    # Another format is refused in words, and nothing changes.
    wrong = client.post(change_url(article), form_data(article, publish_at="02/12/2030"))
    assert "is not a date and time: type it as 2026-12-20 08:00 (Europe/Berlin)" in (
        wrong.content.decode().replace("&ldquo;", "“")
    )
    article.refresh_from_db()
    assert timezone.localtime(article.publish_at).date() == dt.date(2030, 12, 1)


def test_a_go_live_time_saved_on_an_unpublished_article_publishes_it_then(client, article):
    log_in(client, "editor")
    response = client.post(
        change_url(article),
        form_data(article, publish_at="2031-12-20 08:00", _continue="1"),
        follow=True,
    )
    article.refresh_from_db()
    assert article.published and article.reviewed_at and not article.is_visible()
    assert "Goes live 20 Dec 2031 08:00 UTC (published by editor" in response.content.decode()
    assert ReviewDecision.objects.get().change == "publish"  # one decision: `z` takes it back


# --- corrections: the editor's headline and excerpt ------------------------------------------


def test_an_editor_corrects_the_headline_beside_the_sources_and_the_history_says_so(
    client, article
):
    editor = log_in(client, "editor")
    page = client.get(change_url(article)).content.decode()
    assert 'name="editor_title"' in page and 'name="correction_note"' in page
    assert 'name="title"' not in page  # the source's stays read-only, shown beside it
    assert page.index("Rivers &lt;b&gt;rise&lt;/b&gt;") < page.index('name="editor_title"')

    response = client.post(
        change_url(article),
        form_data(
            article,
            editor_title="Rivers rise in the north",
            editor_excerpt="",
            correction_note="The headline named the wrong region.",
            _continue="Save",
        ),
        follow=True,
    )

    text = response.content.decode()
    assert "Correction saved with a public note: readers now read “Rivers rise in the north”" in (
        text
    )
    article.refresh_from_db()
    assert (article.title, article.headline) == ("Rivers <b>rise</b>", "Rivers rise in the north")
    assert not article.published and not ReviewDecision.objects.exists()  # no decision made
    correction = article.corrections.get()
    assert (correction.editor, correction.note) == (editor, "The headline named the wrong region.")
    history = client.get(history_url(article)).content.decode()
    assert (
        "headline the source&#x27;s (“Rivers &lt;b&gt;rise&lt;/b&gt;”) → “Rivers rise in the "
        "north”; public note: The headline named the wrong region.</td><td>correction</td>"
    ) in history

    # Emptied again: readers read the source's; one more entry, old → new, and no note.
    client.post(change_url(article), form_data(article, editor_title="", _continue="Save"))
    article.refresh_from_db()
    assert article.headline == "Rivers <b>rise</b>" and article.corrections.count() == 2


def test_staff_cannot_correct_and_a_save_without_a_change_records_no_correction(client, article):
    log_in(client, "staff")
    page = client.get(change_url(article)).content.decode()
    assert 'name="editor_title"' not in page and 'name="correction_note"' not in page
    client.post(change_url(article), form_data(article, editor_title="Staff's headline"))
    article.refresh_from_db()
    assert article.editor_title == "" and not article.corrections.exists()

    log_in(client, "editor")
    client.post(change_url(article), form_data(article))
    assert not article.corrections.exists()
