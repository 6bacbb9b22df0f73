"""Stories for readers: "Full coverage" on the article page, the story page (its 404s, its
structured data, its share image), the sitemap; within the pages' query budget."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from articles.clustering import stories
from articles.models import Article, Story
from tests.support.factories import BASE_DATE, make_article

pytestmark = pytest.mark.django_db


def at(hours: float) -> dt.datetime:
    return BASE_DATE + dt.timedelta(hours=hours)


HUB = {"title": "Wire report", "url": "https://wire.example/flood"}


@pytest.fixture
def story():
    lead = make_article("River bursts its banks in the old town", quality=9, related=(HUB,))
    make_article(
        "Old town flooded overnight",
        provider=("Second Paper", "second.example"),
        related=(HUB, {"title": "Lead again", "url": lead.canonical_url}),
    )
    make_article("Held back telling", published=False, related=(HUB,))
    stories.cluster_new_articles()
    return Story.objects.get()


def test_the_article_page_shows_full_coverage_without_duplicates(client, story):
    lead = story.lead
    page = client.get(lead.get_absolute_url()).content.decode()
    assert "Full coverage" in page
    assert "Old town flooded overnight" in page  # our page for the other outlet's article
    assert "Held back telling" not in page  # not published
    assert page.count("https://wire.example/flood") == 1
    assert reverse("articles:story_short", args=[story.pk]) in page

    other = story.articles.get(title="Old town flooded overnight")
    page = client.get(other.get_absolute_url()).content.decode()
    # The lead is both in the story and in this article's related links: listed once.
    assert page.count(lead.get_absolute_url()) == 1


def test_the_article_page_keeps_its_query_budget(client, story, django_assert_max_num_queries):
    url = story.lead.get_absolute_url()
    with django_assert_max_num_queries(5):  # 4, and the reader-pages version
        assert client.get(url).status_code == 200


def test_the_story_page_lists_coverage_newest_first_with_its_metadata(
    client, story, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(story.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Old town flooded overnight") < page.index(
        "River bursts its banks in the old town</a>"
    )
    assert "Held back telling" not in page
    assert page.count("https://wire.example/flood") == 1
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "CollectionPage" and len(data["mainEntity"]["itemListElement"]) == 2
    image = re.search(r'og:image" content="([^"]+)"', page).group(1)
    assert image.endswith(reverse("articles:story_share_image", args=[story.pk]))
    png = client.get(reverse("articles:story_share_image", args=[story.pk]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_story_addresses_lead_to_the_canonical_page(client, story):
    short = client.get(reverse("articles:story_short", args=[story.pk]))
    # Not permanent: the title in the address follows which articles readers may see.
    assert short.status_code == 302 and short["Location"] == story.get_absolute_url()
    wrong = client.get(reverse("articles:story", args=[story.pk, "old-slug"]))
    assert wrong.status_code == 301 and wrong["Location"] == story.get_absolute_url()


def test_a_story_readers_cannot_see_is_404(client):
    make_article("Only unpublished", published=False)
    stories.cluster_new_articles()
    hidden = Story.objects.get()
    for url in (
        hidden.get_absolute_url(),
        reverse("articles:story_short", args=[hidden.pk]),
        reverse("articles:story_share_image", args=[hidden.pk]),
        reverse("articles:story", args=[987654, "x"]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_sitemap_lists_stories_readers_can_see(client, story):
    make_article("Only unpublished", published=False)
    stories.cluster_new_articles()
    hidden = Story.objects.exclude(pk=story.pk).get()
    sitemap = client.get(reverse("articles:sitemap_section", args=["stories"])).content.decode()
    assert f"/stories/{story.pk}/</loc>" in sitemap  # the short address (see sitemaps.py)
    assert f"/stories/{hidden.pk}/" not in sitemap


@pytest.mark.parametrize("where", ["home", "topic", "provider"])
def test_listings_show_one_entry_per_story_within_their_budget(
    client, where, django_assert_max_num_queries
):
    link = ({"title": "x", "url": "https://wire.example/vote"},)
    common = {"topics": ("Politics",), "provider": ("Daily", "daily.example")}
    make_article("Vote passes, lead telling", quality=9, related=link, **common)
    make_article("Vote passes, second telling", quality=1, related=link, **common)
    make_article("Vote passes, third telling", quality=2, related=link, **common)
    make_article("Unrelated item", **common)
    stories.cluster_new_articles()
    story = Story.objects.get(size=3)
    url = {
        "home": reverse("articles:home"),
        "topic": reverse("articles:topic", args=["politics"]),
        "provider": reverse("articles:provider", args=["daily.example"]),
    }[where]
    with django_assert_max_num_queries(5):  # 4, and the reader-pages version
        page = client.get(url).content.decode()
    assert "Vote passes, lead telling" in page and "Unrelated item" in page
    assert "second telling" not in page and "third telling" not in page
    short = reverse("articles:story_short", args=[story.pk])
    assert f'<a href="{short}">+2 sources</a>' in page


def test_the_listing_shows_the_newest_visible_article_when_the_lead_is_hidden(client):
    link = ({"title": "x", "url": "https://wire.example/vote"},)
    make_article("Held lead", quality=9, related=link, published=False)
    make_article("Older visible", quality=1, related=link)
    make_article("Newer visible", quality=1, related=link)
    stories.cluster_new_articles()
    page = client.get(reverse("articles:home")).content.decode()
    assert "Newer visible" in page and "+1 source<" in page
    assert "Older visible" not in page and "Held lead" not in page


def test_no_reader_page_shows_the_title_of_a_held_lead(client):
    """The story's lead (by quality) is held: readers never see its headline, not in the story
    page's title or address, nor on listings, the sitemap or the share image's page."""
    link = ({"title": "x", "url": "https://wire.example/vote"},)
    make_article("Secret held lead", quality=9, related=link, published=False)
    make_article("Visible member", quality=5, related=link)
    make_article("Other visible", quality=1, related=link)
    stories.cluster_new_articles()
    story = Story.objects.get()
    assert story.title == "Secret held lead"  # editors still see the lead's title

    short = reverse("articles:story_short", args=[story.pk])
    page = client.get(short, follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0].endswith("/visible-member/")
    pages = [
        page,
        client.get(reverse("articles:home")),
        client.get("/sitemap-stories.xml"),
    ]
    for response in pages:
        text = response.content.decode().lower()
        assert "secret" not in text, response.request["PATH_INFO"]
    assert "<h1" in page.content.decode() and "Visible member" in page.content.decode()


def test_a_topic_page_lists_a_story_by_its_articles_on_that_topic(client):
    link = ({"title": "x", "url": "https://wire.example/vote"},)
    make_article("Lead, on another topic", quality=9, related=link, topics=("Economy",))
    make_article("Member on politics", quality=1, related=link, topics=("Politics",))
    stories.cluster_new_articles()
    page = client.get(reverse("articles:topic", args=["politics"])).content.decode()
    assert "Member on politics" in page and "+1 source<" in page
    assert page.count('class="card"') == 1  # one entry for the story


def test_a_story_whose_entry_falls_on_page_two_is_listed_there_once(
    client, django_assert_max_num_queries
):
    # The story's articles are the oldest: its entry (the lead) is the 21st, past page 1.
    link = ({"title": "x", "url": "https://wire.example/bridge"},)
    make_article("Bridge reopens, lead telling", quality=9, related=link)
    make_article("Bridge reopens, newer telling", quality=1, related=link)
    words = "amber basil cedar delta ember fjord garnet harbor indigo juniper".split()
    words += "kestrel lagoon meadow nectar orchid pepper quartz raven saffron tundra".split()
    for word in words:
        make_article(word.capitalize())
    stories.cluster_new_articles()
    story = Story.objects.get(size=2)

    first = client.get(reverse("articles:home")).content.decode()
    older = re.search(r'rel="next" href="([^"]+)"', first)[1]
    with django_assert_max_num_queries(4):
        second = client.get(reverse("articles:home") + older).content.decode()
    assert "Older articles" in first and "Older articles" not in second
    assert "Bridge reopens" not in first
    assert "Bridge reopens, lead telling" in second and "newer telling" not in second
    short = reverse("articles:story_short", args=[story.pk])
    assert f'<a href="{short}">+1 source</a>' in second
    assert "Tundra" in first and "Amber" in first and "Amber" not in second


def test_full_coverage_of_a_huge_story_shows_the_newest_few_and_links_the_story(client):
    # 5,000 articles in one story made each article page 1.7 MB: the page lists a few.
    articles = [make_article(f"Telling number {n}", source_published_at=at(n)) for n in range(40)]
    stories.cluster_new_articles()
    story = Story.objects.get(pk=Article.objects.get(pk=articles[0].pk).story_id)
    Article.objects.update(story=story)
    page = client.get(articles[0].get_absolute_url()).content.decode()
    shown = re.findall(r"Telling number (\d+)</a>", page)
    assert shown == [str(n) for n in range(39, 29, -1)]  # the newest ten, newest first
    assert reverse("articles:story_short", args=[story.pk]) in page


def test_a_storys_short_address_and_share_image_are_page_cached(client, story):
    for url in (
        reverse("articles:story_short", args=[story.pk]),
        reverse("articles:story_share_image", args=[story.pk]),
    ):
        first, second = client.get(url), client.get(url)
        assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit"), url
        assert second.status_code == first.status_code
        assert second.get("Location") == first.get("Location")
        assert second.content == first.content


def test_a_big_storys_page_goes_twenty_at_a_time_by_cursor(client, django_assert_max_num_queries):
    story = Story.objects.create(title="Harbour works")
    link = ({"title": "Elsewhere on it", "url": "https://wire.example/harbour"},)
    for number in range(25):
        make_article(f"Harbour works, part {number:02d}", story=story, related=link)
    url = reverse("articles:story_short", args=[story.pk])
    first_response = client.get(url, follow=True)
    first = first_response.content.decode()
    address = first_response.request["PATH_INFO"]
    assert first.count('class="card"') == 20 and "Elsewhere on it" in first
    older = re.search(r'<a rel="next" href="([^"]+)">Older articles</a>', first)[1]
    with django_assert_max_num_queries(4):  # 3, and the reader-pages version
        second = client.get(address + older).content.decode()
    assert second.count('class="card"') == 5 and "Elsewhere on it" not in second
    shown = re.findall(r"Harbour works, part (\d\d)</a>", first + second)
    # The lead first (by the rule, the earliest here), then the others newest first, each once.
    assert shown == ["00"] + [f"{n:02d}" for n in range(24, 0, -1)]
    assert '<meta name="robots" content="noindex, follow">' in second
    assert "older than" in second.split("<title>")[1].split("</title>")[0]
    assert client.get(address + "?before=nonsense").status_code == 404
    assert client.get(address + "?page=2").url == address


def test_a_story_citing_many_links_shows_the_most_cited_first_and_counts_them_all(client):
    """A big story cites a hundred links: "Elsewhere" shows the twelve its articles cite most
    (then the newest), says how many there are, and each article's page still lists its own."""
    story = Story.objects.create(title="Harbour works")
    shared = {"title": "Cited by every telling", "url": "https://wire.example/harbour"}
    twice = {"title": "Cited twice", "url": "https://wire.example/twice", "when": at(1)}
    for number in range(15):
        own = {"title": f"Own link {number:02d}", "url": f"https://x.example/{number}"}
        own["when"] = at(10 + number)
        related = (shared, own, twice) if number < 2 else (shared, own)
        make_article(f"Harbour works, part {number:02d}", story=story, related=related)
    page = client.get(reverse("articles:story_short", args=[story.pk]), follow=True)
    elsewhere = page.content.decode().split('id="elsewhere-heading"')[1]
    titles = re.findall(r'<a href="https://[^"]+">([^<]+)</a>', elsewhere)
    # Most cited first; among links cited once, the newest first; twelve in all.
    assert titles == ["Cited by every telling", "Cited twice"] + [
        f"Own link {n:02d}" for n in range(14, 4, -1)
    ]
    assert "The 12 links its articles cite most, of 17" in elsewhere
    assert "and 17 elsewhere." in page.content.decode()
    article = Article.objects.get(title="Harbour works, part 00")
    assert "Own link 00" in client.get(article.get_absolute_url()).content.decode()
