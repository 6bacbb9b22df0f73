"""The review queue and article list, through HTTP as each role."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ImportRun, ReviewDecision
from tests.support.admin import CHANGELIST, action, log_in
from tests.support.factories import make_article, make_provider

pytestmark = pytest.mark.django_db

QUEUE = CHANGELIST + "?review=waiting"


def titles(response):
    return [article.title for article in response.context["cl"].result_list]


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_the_admin_index_and_sidebar_lead_to_the_review_queue(client, role):
    log_in(client, role)
    index = client.get("/admin/").content.decode()
    assert f'href="{QUEUE}"' in index

    sidebar = client.get("/admin/articles/provider/").content.decode()
    assert f'href="{QUEUE}"' in sidebar


def test_the_queue_shows_unreviewed_articles_best_first_while_the_bare_list_shows_all(client):
    now = timezone.now()
    make_article(title="reviewed", quality=40, reviewed_at=now)
    make_article(title="no quality", quality=None, heat=99)
    make_article(title="good, cool", quality=30, heat=1)
    make_article(
        title="good, hot, old", quality=30, heat=80, source_published_at=now - dt.timedelta(days=3)
    )
    make_article(title="good, hot, new", quality=30, heat=80, source_published_at=now)
    make_article(title="weak", quality=5, heat=None)
    log_in(client, "editor")

    queue = client.get(QUEUE)
    assert queue.status_code == 200
    assert titles(queue) == ["good, hot, new", "good, hot, old", "good, cool", "weak", "no quality"]
    assert "Review queue" in queue.content.decode()

    everything = client.get(CHANGELIST)
    assert len(titles(everything)) == 6
    assert titles(everything)[0] == "reviewed"


def test_the_queue_shows_what_an_editor_decides_from(client):
    provider = make_provider("wire.example", "The Wire")
    make_article(
        title="Budget vote",
        provider=provider,
        topics=["Politics", "Economy"],
        quality=21,
        heat=64,
        published=True,
        source_published=False,
        publish_at=timezone.now() + dt.timedelta(days=1),
    )
    log_in(client, "editor")
    page = client.get(QUEUE).content.decode()
    for text in ["Budget vote", "The Wire", "Economy, Politics", "21", "64", "embargoed until"]:
        assert text in page
    assert "source suggests not" in page


def test_filters_narrow_the_list(client):
    run = ImportRun.objects.create()
    tech = make_provider("tech.example", "Tech Daily")
    now = timezone.now()
    make_article(
        title="A",
        published=False,
        provider=tech,
        topics=["AI"],
        category="news",
        type="article",
        quality=35,
        heat=90,
        import_run=run,
    )
    make_article(
        title="B",
        published=True,
        source_published=False,
        reviewed_at=now,
        quality=20,
        heat=40,
        category="opinion",
    )
    make_article(
        title="C",
        published=False,
        source_published=True,
        quality=None,
        heat=5,
        type="video",
        source_published_at=dt.datetime(2021, 5, 1, tzinfo=dt.UTC),
    )
    log_in(client, "editor")

    def listed(query):
        response = client.get(CHANGELIST + "?" + query)
        assert response.status_code == 200, query
        return sorted(titles(response))

    assert listed("review=waiting") == ["A", "C"]
    assert listed("review=published") == ["B"]
    assert listed("review=unpublished") == ["A", "C"]
    assert listed("disagrees=yes") == ["B", "C"]
    assert listed(f"provider={tech.pk}") == ["A"]
    assert listed(f"topic={Article.objects.get(title='A').topics.get().pk}") == ["A"]
    assert listed("category=opinion") == ["B"]
    assert listed("type=video") == ["C"]
    assert listed("quality_band=high") == ["A"]
    assert listed("quality_band=mid") == ["B"]
    assert listed("quality_band=none") == ["C"]
    assert listed("heat_band=hot") == ["A"]
    assert listed("heat_band=cool") == ["C"]
    assert listed(f"import_run={run.pk}") == ["A"]
    assert listed("source_published_at__year=2021") == ["C"]


def test_the_provider_filter_finds_providers_by_name_or_domain(client):
    make_article(provider=make_provider("tech.example", "Tech Daily"))
    make_article(provider=make_provider("farm.example", "Farm Weekly"))
    log_in(client, "editor")

    page = filter_sidebar(client.get(CHANGELIST + "?review=waiting&provider_q=TECH"))
    assert "Tech Daily" in page and "Farm Weekly" not in page
    # The search form carries the other filters along.
    assert 'type="hidden" name="review" value="waiting"' in page
    page = filter_sidebar(client.get(CHANGELIST + "?provider_q=farm.ex"))
    assert "Farm Weekly" in page and "Tech Daily" not in page


def filter_sidebar(response):
    page = response.content.decode()
    return page[page.index('<nav id="changelist-filter"') :]


def test_search_covers_title_excerpt_and_provider(client):
    make_article(title="Harvest report", excerpt="Grain prices")
    make_article(title="Other", provider=make_provider("grain-news.example", "Crop Wire"))
    make_article(title="Unrelated")
    log_in(client, "editor")
    assert sorted(titles(client.get(CHANGELIST + "?q=grain"))) == ["Harvest report", "Other"]
    assert titles(client.get(CHANGELIST + "?q=Crop+Wire")) == ["Other"]
    assert titles(client.get(CHANGELIST + "?q=harvest")) == ["Harvest report"]
    # Every word must match somewhere; quotes keep a phrase together.
    assert titles(client.get(CHANGELIST + "?q=grain+wire")) == ["Other"]
    assert titles(client.get(CHANGELIST + '?q="report+grain"')) == []
    assert titles(client.get(CHANGELIST + '?q="harvest+report"')) == ["Harvest report"]


def test_an_editor_publishes_from_the_queue_and_is_told_what_happened(client):
    waiting = [make_article(published=False) for _ in range(2)]
    already = make_article(published=True, reviewed_at=timezone.now())
    editor = log_in(client, "editor")

    response = action(client, "publish_selected", *waiting, already)

    assert response.status_code == 200
    assert "2 articles published. 1 was already published." in response.content.decode()
    assert Article.objects.published().count() == 3
    decisions = ReviewDecision.objects.filter(via=ReviewDecision.Via.LIST_ACTION, editor=editor)
    assert decisions.count() == 2
    # Decided articles leave the queue.
    assert titles(client.get(QUEUE)) == []


def test_publishing_from_the_queue_reports_on_the_articles_that_left_it(client):
    waiting = [make_article(published=False) for _ in range(2)]
    log_in(client, "editor")
    response = action(client, "publish_selected", *waiting, url=QUEUE)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0].startswith("2 articles published. <form")  # with its Undo button
    assert titles(response) == []


def test_publishing_an_embargoed_article_warns_that_readers_do_not_see_it_yet(client):
    article = make_article(published=False, publish_at=timezone.now() + dt.timedelta(hours=2))
    log_in(client, "editor")
    page = action(client, "publish_selected", article).content.decode()
    assert "1 article published." in page
    assert "1 of them is not visible to readers now because of its schedule." in page


def test_unpublishing_reports_counts(client):
    live = make_article(published=True)
    off = make_article(published=False, reviewed_at=timezone.now())
    log_in(client, "superuser")
    page = action(client, "unpublish_selected", live, off).content.decode()
    assert "1 article unpublished. 1 was already unpublished." in page
    assert not Article.objects.published().exists()


@pytest.mark.parametrize("role", ["staff", "plain"])
def test_staff_who_are_not_editors_cannot_publish_even_by_posting_the_action(client, role):
    article = make_article(published=False)
    log_in(client, role)
    page = client.get(CHANGELIST)
    if role == "plain":  # staff status but no permissions at all
        assert page.status_code == 403
    else:
        assert page.status_code == 200
        assert "publish_selected" not in page.content.decode()

    response = action(client, "publish_selected", article)

    # Plain staff may not open the list at all; Staff get the list back, the action unknown.
    assert response.status_code == (403 if role == "plain" else 200)
    article.refresh_from_db()
    assert article.published is False and article.reviewed_at is None
    assert not ReviewDecision.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    article = make_article(published=False)
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    response = client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [article.pk]}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.published


def test_the_list_costs_the_same_few_queries_at_10_and_200_articles(client):
    log_in(client, "editor")
    providers = [make_provider() for _ in range(5)]

    def add(n):
        for i in range(n):
            make_article(
                provider=providers[i % 5], topics=[f"topic {i % 7}", "shared"], quality=i % 40
            )

    def queries(url):
        client.get(url)  # warm the filter-choice cache as a second visit would have it
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), len(response.context["cl"].result_list)

    add(10)
    by_provider = CHANGELIST + f"?review=waiting,live-not-reviewed&provider={providers[0].pk}"
    small = {url: queries(url) for url in (QUEUE, CHANGELIST, CHANGELIST + "?q=story", by_provider)}
    add(190)
    large = {url: queries(url) for url in small}

    # A search asks two more: whether a provider is named, and the newest matches' ids.
    most = {by_provider: 11, CHANGELIST + "?q=story": 12}
    for url in small:
        assert small[url][0] == large[url][0], url
        assert large[url][0] <= most.get(url, 10), url
    # The chosen provider is looked up once, for the sidebar and the active filters on top.
    assert large[by_provider][0] == large[QUEUE][0] + 1
    assert large[QUEUE][1] == 50  # a full page of rows, not 10


def test_an_older_import_run_can_still_be_chosen_from_its_link(client):
    old_run = ImportRun.objects.create(started_at=timezone.now() - dt.timedelta(days=30))
    make_article(title="from the old run", import_run=old_run)
    make_article(title="other")
    for _ in range(10):
        ImportRun.objects.create()
    log_in(client, "editor")
    response = client.get(CHANGELIST + f"?import_run={old_run.pk}")
    assert titles(response) == ["from the old run"]
    assert f"#{old_run.pk}, " in filter_sidebar(response)


# --- The list at 1280 px: one state column, excerpts, honest sort arrows, filters on top -----


def test_each_row_shows_title_excerpt_source_one_state_quality_and_heat(client):
    provider = make_provider("wire.example", "The Wire")
    make_article(
        title="Budget <i>vote</i>",
        excerpt="Lawmakers <script>x</script> " + "word " * 60,
        provider=provider,
        topics=["Politics"],
        quality=21,
        heat=64,
        published=False,
    )
    make_article(title="Went live by itself", published=True)
    decided = make_article(title="Decided", published=False)
    editor = log_in(client, "editor")
    Article.objects.filter(pk=decided.pk).set_published(True, editor)

    response = client.get(CHANGELIST)
    page = response.content.decode()

    headers = response.context["cl"].list_display
    assert headers == ["action_checkbox", "title_and_excerpt", "state", "quality", "heat"]
    assert "Budget &lt;i&gt;vote&lt;/i&gt;" in page
    assert "Lawmakers &lt;script&gt;x&lt;/script&gt; word" in page and "<script>x" not in page
    assert "word …" in page  # truncated
    assert re.search(r"The Wire · \d+ \w+ 2024 · Politics</span>", page)
    assert "Unpublished" in page and "waiting for review" in page
    assert "Live, not reviewed" in page
    assert "reviewed by editor" in page


def test_the_sort_arrows_show_the_queue_order(client):
    make_article()
    log_in(client, "editor")
    page = client.get(QUEUE).content.decode()
    assert 'class="sortable column-quality sorted descending"' in page
    assert 'class="sortable column-heat sorted descending"' in page
    assert page.count("sorted descending") == 2 and "sorted ascending" not in page


@pytest.mark.parametrize("direction", ["", "-"])
def test_articles_without_a_signal_come_last_whichever_way_it_is_sorted(client, direction):
    make_article(title="no heat", heat=None)
    make_article(title="cool", heat=1)
    make_article(title="hot", heat=90)
    log_in(client, "editor")
    heat_column = 4  # checkbox, article, state, quality, heat
    listed = titles(client.get(CHANGELIST + f"?o={direction}{heat_column}"))
    assert listed[-1] == "no heat"
    assert listed[:2] == (["hot", "cool"] if direction else ["cool", "hot"])


def test_the_review_filter_takes_several_states(client):
    make_article(title="waiting, off", published=False)
    make_article(title="live, not reviewed", published=True)
    make_article(title="reviewed, off", published=False, reviewed_at=timezone.now())
    make_article(title="reviewed, on", published=True, reviewed_at=timezone.now())
    log_in(client, "editor")

    def listed(query):
        return sorted(titles(client.get(CHANGELIST + query)))

    assert listed("?review=live-not-reviewed") == ["live, not reviewed"]
    assert listed("?review=waiting") == ["live, not reviewed", "waiting, off"]
    assert listed("?review=live-not-reviewed,unpublished") == [
        "live, not reviewed",
        "reviewed, off",
        "waiting, off",
    ]
    assert listed("?review=unpublished,published") == listed("")
    # A state the filter does not know is an invalid filter, as the admin answers them all.
    response = client.get(CHANGELIST + "?review=waiting,nonsense")
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_the_review_filter_adds_and_removes_states_from_its_links(client):
    make_article()
    log_in(client, "editor")
    sidebar = filter_sidebar(client.get(CHANGELIST + "?review=waiting"))
    assert 'href="?review=waiting%2Clive-not-reviewed"' in sidebar  # add one
    assert 'href="?"' in sidebar  # take "waiting" away: all articles
    sidebar = filter_sidebar(client.get(CHANGELIST + "?review=waiting,live-not-reviewed"))
    assert "✓ Waiting for review" in sidebar and "✓ Live, not reviewed" in sidebar
    assert 'href="?review=live-not-reviewed"' in sidebar


def test_active_filters_show_at_the_top_each_with_a_way_to_remove_it(client):
    wire = make_provider("wire.example", "The Wire")
    make_article(provider=wire, title="harbour news")
    log_in(client, "editor")

    response = client.get(
        CHANGELIST + f"?review=waiting,live-not-reviewed&provider={wire.pk}&q=harbour"
    )

    page = response.content.decode()
    top = page[page.index('class="active-filters"') : page.index('id="result_list"')]
    chips = {
        "search: “harbour”": f"?provider={wire.pk}&amp;review=waiting%2Clive-not-reviewed",
        "review state: Waiting for review": f"?provider={wire.pk}&amp;q=harbour"
        "&amp;review=live-not-reviewed",
        "review state: Live, not reviewed": f"?provider={wire.pk}&amp;q=harbour&amp;review=waiting",
        "provider: The Wire": "?q=harbour&amp;review=waiting%2Clive-not-reviewed",
    }
    for label, remove in chips.items():
        assert f'<a href="{remove}" title="Remove this filter">{label} ' in top, label
    assert "Show all articles" in top
    page = client.get(CHANGELIST + "?source_published_at__year=2024").content.decode()
    assert '<a href="?" title="Remove this filter">source date: 2024 ' in page
    # Nothing chosen, nothing shown.
    assert 'class="active-filters"' not in client.get(CHANGELIST).content.decode()


# --- The admin index: the queue's count, the desk, the editor's recent decisions -------------


def test_the_index_shows_the_queue_count_and_the_editors_own_recent_decisions(client):
    articles = [make_article(title=f"Decided {n}", published=False) for n in range(7)]
    make_article(title="Still waiting", published=False)
    editor = log_in(client, "editor")
    someone_else = make_article(title="Someone else's", published=False)
    Article.objects.filter(pk=someone_else.pk).set_published(True, None)
    for article in articles:
        Article.objects.filter(pk=article.pk).set_published(True, editor)

    response = client.get("/admin/")

    page = response.content.decode()
    assert f'<a href="{QUEUE}"><strong>1</strong> article waiting in the review queue</a>' in page
    recent = [decision["title"] for decision in response.context["recent_decisions"]]
    assert recent == ["Decided 6", "Decided 5", "Decided 4", "Decided 3", "Decided 2"]
    assert "Someone else&#x27;s" not in page


def test_the_index_links_to_the_desk(client):
    log_in(client, "editor")
    assert (
        '<a href="/admin/desk/">Open the review desk</a>' in client.get("/admin/").content.decode()
    )


def test_staff_who_may_not_see_articles_get_no_review_box(client):
    log_in(client, "plain")
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "review-box" not in response.content.decode()


def test_the_queue_and_the_desk_read_an_articles_corrected_headline_as_readers_do(client):
    corrected = make_article(
        title="Rivers rise in the south",
        editor_title="Rivers rise in the north",
        editor_excerpt="Floods in three northern towns.",
        published=False,
    )
    log_in(client, "editor")

    queue = client.get(QUEUE).content.decode()
    assert ">Rivers rise in the north</a>" in queue
    assert "Floods in three northern towns." in queue
    assert "the source&#x27;s title: Rivers rise in the south" in queue

    desk = client.get("/admin/desk/").content.decode()
    item = re.search(r'<span class="desk-item-title">([^<]*)</span>', desk).group(1)
    headline = re.search(r'<h2 class="desk-headline"[^>]*>([^<]*)</h2>', desk).group(1)
    assert (item, headline) == ("Rivers rise in the north", "Rivers rise in the north")
    assert "The source's title: Rivers rise in the south" in desk
    assert '<p class="desk-excerpt">Floods in three northern towns.</p>' in desk
    assert corrected.pk in [int(pk) for pk in re.findall(r'data-pane-article="(\d+)"', desk)]
