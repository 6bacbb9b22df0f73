"""Hostile query parameters never raise: each is a 400 that names the parameter, or an answer
(a value the parameter's form allows), and no refused value is stored in the cache."""

import pytest

from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

LISTS = ("/api/v1/articles/", "/api/v1/stories/", "/api/v1/topics/", "/api/v1/providers/")

REFUSED = [
    ("cursor", "garbage"),
    ("cursor", "1.2.3"),
    ("cursor", "99999999999999999999999.1"),
    ("cursor", "1." + "9" * 40),
    ("cursor", "-0.1"),
    ("cursor", "1\x00.1"),
    ("cursor", "١٢.٣"),
    ("since", "yesterday"),
    ("since", "2024-02-30"),
    ("since", "2024-13-01T00:00:00Z"),
    ("since", "9999-12-31T23:59:59-23:59"),
    ("since", "0000-01-01"),
    ("since", "2024-03-01T25:00:00Z"),
    ("since", "2024-03-01\x00"),
    ("since", "2" * 5000),
    ("story", "0"),
    ("story", "-1"),
    ("story", "9" * 30),
    ("story", "9223372036854775808"),
    ("story", "1e3"),
    ("story", "²"),
    ("topic", "a\x00b"),
    ("topic", "x" * 101),
    ("topic", "<script>"),
    ("provider", "EXAMPLE.com"),
    ("provider", "example.com\x00"),
    ("provider", "a" * 300),
]

ANSWERED = [
    ("q", "x" * 100_000),
    ("q", "flood\x00 rain"),
    ("q", '"unclosed phrase'),
    ("q", "-only -excluded"),
    ("q", "or or or and not"),
    ("q", "*" * 300),
    ("since", "0001-01-01T00:00:00Z"),
    ("since", "9999-12-31T23:59:59Z"),
    ("since", "2024-03-01T09:30:00.123456+05:30"),
    ("story", "9223372036854775807"),
    ("topic", "ünïcode-slug"),
    ("unknown", "\x00" * 10),
]


@pytest.fixture(autouse=True)
def no_limit(settings):
    settings.API_RATE_LIMIT = ""


@pytest.mark.parametrize(("name", "value"), REFUSED)
def test_a_value_out_of_its_form_is_a_400_naming_the_parameter(client, name, value):
    make_article(topics=("Weather",))
    for _attempt in range(2):
        response = client.get("/api/v1/articles/", {name: value})
        assert response.status_code == 400, response.content
        assert response.json()["detail"].startswith(f"{name}: ")
        assert "X-Cache" not in response  # never stored, never served from the cache


@pytest.mark.parametrize(("name", "value"), ANSWERED)
def test_a_value_within_its_form_is_answered(client, name, value):
    make_article("Flood and rain", topics=("Weather",))
    response = client.get("/api/v1/articles/", {name: value})
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"results", "next"}


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("cursor", ["\x00", "9" * 5000, "a b", "../..", "1.5\n"])
def test_every_list_refuses_a_garbage_cursor(client, url, cursor):
    make_article(topics=("Weather",))
    response = client.get(url, {"cursor": cursor})
    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith("cursor: ")


@pytest.mark.parametrize("url", LISTS[2:])
def test_a_name_cursor_past_every_name_is_an_empty_last_page(client, url):
    make_article(topics=("Weather",))
    assert client.get(url, {"cursor": "zzz"}).json() == {"results": [], "next": None}


def test_a_forged_cursor_is_answered_but_not_stored(client):
    for _ in range(3):
        make_article()
    forged = "1709285400000001.999"  # well formed, no such article
    assert client.get("/api/v1/articles/", {"cursor": forged}).status_code == 200
    assert client.get("/api/v1/articles/", {"cursor": forged})["X-Cache"] == "miss"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/0/",
        "/api/v1/articles/" + "9" * 40 + "/",
        "/api/v1/stories/007/",
        "/api/v1/articles/1%00/",
        "/api/v1/nothing/",
    ],
)
def test_odd_paths_are_404s(client, path):
    assert client.get(path).status_code == 404
