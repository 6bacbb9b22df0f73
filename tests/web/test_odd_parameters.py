"""Every URL parameter a reader or an editor can send, with odd values: never a 5xx.

Each URL below is tried with a table of odd values (and a few parameters with values Hypothesis
draws). Odd input may be a 404, a 400, a redirect or a page that ignores it; a 500 is a bug. The
values are sent as a browser or a script could: percent-encoded UTF-8, with a lone surrogate
sent as the invalid byte it stands for.
"""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import ImportRun
from tests.support.admin import log_in
from tests.support.factories import make_article

# About 1,500 requests (25 s): in `make test`, not in the fast lane.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LARGEST_ID = 2**63 - 1

ODD_VALUES = [
    "",
    "²",
    "٣",
    "-1",
    "0",
    "9" * 30,
    str(LARGEST_ID + 1),
    "1e3",
    "%00",
    "'",
    '"><script>alert(1)</script>',
    "x" * 10_000,
    "\x00",
    "\udcff",  # sent as the byte 0xFF: not UTF-8
    "../../etc/passwd",
    "Ünïcödé ǅ 東京 🚀",
]


def encoded(value: str) -> str:
    """A value as it travels in a URL (the test client sends it untouched)."""
    return quote(value.encode("utf-8", "surrogateescape"), safe="")


@pytest.fixture
def site():
    """One published article with a topic, its provider, an import run and a decision, so that
    every URL has something real beside the odd value."""
    article = make_article("Odd values", topics=("Weather",), provider=("Odd", "odd.example"))
    run = ImportRun.objects.create(status=ImportRun.Status.FINISHED)
    article.import_run = run
    article.save(update_fields=["import_run"])
    return {
        "id": article.pk,
        "slug": article.slug,
        "topic": "weather",
        "domain": "odd.example",
        "run": run.pk,
        "provider_id": article.provider_id,
    }


def fill(template: str, site: dict, value: str) -> str:
    return template.format(value=encoded(value), **site)


def server_errors(client, urls) -> list[str]:
    """The URLs that answered 5xx, each with the exception's last line."""
    client.raise_request_exception = False
    failures = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            detail = f"{error[0].__name__}: {error[1]}" if error else ""
            failures.append(f"{response.status_code} {url[:120]} {detail[:200]}")
    return failures


READER_URLS = [
    "/?page={value}",
    "/?{value}=1",
    "/topics/?sort={value}",
    "/providers/?sort={value}&page={value}",
    "/topics/{value}/",
    "/topics/{topic}/?page={value}",
    "/providers/{value}/",
    "/providers/{domain}/?page={value}",
    "/search/?q={value}",
    "/search/?q=odd&page={value}",
    "/search/?q={value}&page=2",
    "/articles/{value}/{slug}/",
    "/articles/{id}/{value}/",
    "/articles/{value}/share.png",
    "/articles/{id}/share.png?{value}={value}",
    "/feed/?{value}={value}",
    "/feed/atom/?page={value}",
    "/topics/{value}/feed/",
    "/topics/{value}/feed/atom/",
    "/sitemap.xml?p={value}",
    "/sitemap-{value}.xml",
    "/sitemap-articles.xml?p={value}",
    "/sitemap-topics.xml?p={value}",
    "/sitemap-providers.xml?p={value}",
    "/robots.txt?{value}",
    "/healthz?{value}={value}",
]


@pytest.mark.parametrize("template", READER_URLS)
def test_reader_urls_never_answer_5xx(client, site, template):
    urls = [fill(template, site, value) for value in ODD_VALUES]
    assert server_errors(client, urls) == []


ARTICLES = "/admin/articles/article/"
DECISIONS = "/admin/articles/reviewdecision/"
RUNS = "/admin/articles/importrun/"
PROVIDERS = "/admin/articles/provider/"

# Every parameter each list takes: its list filters, search, ordering, paging, the date
# hierarchy, popups, and plain field lookups (which the admin also accepts).
LIST_PARAMETERS = {
    ARTICLES: [
        "review",
        "disagrees",
        "provider",
        "provider_q",
        "topic",
        "topic_q",
        "category",
        "type",
        "quality_band",
        "heat_band",
        "import_run",
        "q",
        "o",
        "p",
        "all",
        "e",
        "source_published_at__year",
        "source_published_at__year=2024&source_published_at__month",
        "source_published_at__year=2024&source_published_at__month=3&source_published_at__day",
        "_popup=1&_to_field",
        "quality",
        "heat",
        "pk__in",
    ],
    DECISIONS: ["change__exact", "via__exact", "article", "editor", "q", "o", "decided_at__year"],
    RUNS: ["status__exact", "o"],
    PROVIDERS: ["q", "o", "p"],
}

ADMIN_LIST_URLS = [
    f"{url}?{parameter}={{value}}"
    for url, parameters in LIST_PARAMETERS.items()
    for parameter in parameters
]

ADMIN_OBJECT_URLS = [
    ARTICLES + "{value}/",
    ARTICLES + "{value}/change/",
    ARTICLES + "{value}/history/",
    ARTICLES + "{value}/delete/",
    ARTICLES + "{value}/preview/",
    ARTICLES + "{id}/change/?_changelist_filters={value}",
    DECISIONS + "{value}/change/",
    RUNS + "{value}/change/",
    PROVIDERS + "{value}/change/",
    "/admin/?{value}={value}",
    "/admin/articles/{value}/",
    "/admin/autocomplete/?app_label=articles&model_name=article&field_name={value}&term=x",
]


@pytest.mark.parametrize("template", ADMIN_LIST_URLS + ADMIN_OBJECT_URLS)
def test_admin_urls_never_answer_5xx(client, site, template):
    log_in(client, "editor")
    urls = [fill(template, site, value) for value in ODD_VALUES]
    assert server_errors(client, urls) == []


def test_an_id_written_in_other_digits_or_with_a_sign_is_no_article(client, site):
    """int() reads "٣", " 3" and "+3" as 3: the admin must not open article 3 at those URLs."""
    log_in(client, "editor")
    arabic = str(site["id"]).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for written in (arabic, f" {site['id']}", f"+{site['id']}"):
        change = client.get(f"{ARTICLES}{encoded(written)}/change/")
        assert change.status_code == 302 and change.url == "/admin/", written
        assert client.get(f"{ARTICLES}{encoded(written)}/preview/").status_code == 404, written
    assert client.get(f"{ARTICLES}{site['id']}/change/").status_code == 200


def test_a_list_action_with_odd_selections_never_answers_5xx(client, site):
    log_in(client, "editor")
    client.raise_request_exception = False
    for value in ODD_VALUES:
        form = f"action=unpublish_selected&index=0&_selected_action={encoded(value)}"
        response = client.post(ARTICLES, form, "application/x-www-form-urlencoded")
        assert response.status_code < 500, repr(value[:40])


# Hypothesis draws text and numbers for the parameters that take ids, numbers and free text; the
# admin's pages cost more to build, so it draws fewer for them.
def draws(count):
    return settings(
        max_examples=count,
        deadline=None,
        database=None,  # nothing written into the checkout
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


ANY_TEXT = (
    st.text(st.characters(codec="utf-8"), max_size=40)
    | st.integers(-(2**70), 2**70).map(str)
    | st.sampled_from(ODD_VALUES)
)


@pytest.mark.parametrize(
    "template",
    [
        "/?page={value}",
        "/search/?q={value}",
        "/search/?q=odd&page={value}",
        "/topics/{topic}/?page={value}",
        "/articles/{value}/{slug}/",
        "/sitemap-articles.xml?p={value}",
    ],
)
@draws(40)
@given(value=ANY_TEXT)
def test_drawn_reader_parameters_never_answer_5xx(client, site, template, value):
    assert server_errors(client, [fill(template, site, value)]) == []


@pytest.mark.parametrize(
    "template",
    [
        ARTICLES + "?provider={value}",
        ARTICLES + "?topic={value}",
        ARTICLES + "?import_run={value}",
        ARTICLES + "?q={value}",
        ARTICLES + "?o={value}",
        ARTICLES + "?p={value}",
        ARTICLES + "?source_published_at__year={value}",
        ARTICLES + "{value}/change/",
        ARTICLES + "{value}/preview/",
        DECISIONS + "?article={value}",
    ],
)
@draws(15)
@given(value=ANY_TEXT)
def test_drawn_admin_parameters_never_answer_5xx(client, site, template, value):
    if not client.session.get("_auth_user_id"):
        log_in(client, "editor")
    assert server_errors(client, [fill(template, site, value)]) == []
