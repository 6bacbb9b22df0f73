from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter
from django.urls.converters import IntConverter, StringConverter

from articles.canonical_values import page_number
from articles.models import database_id
from articles.page_cache import cache_reader_page
from articles.reader import corrections, feeds, views
from articles.reader.sitemaps import SITEMAPS

app_name = "articles"


class ArticleIdConverter(IntConverter):
    """An id the database can hold (`database_id`); any other number is no page (404)."""

    regex = "[1-9][0-9]{0,18}"  # no leading zeros: /articles/007/ would be a second address

    def to_python(self, value):
        number = database_id(value)
        if number is None:
            raise ValueError("not an id")  # the URL does not match
        return number


class NameConverter(StringConverter):
    """A topic slug or provider domain: no control characters (PostgreSQL refuses a NUL in a
    query, a 500; no name holds one), so such a path is no page (404)."""

    regex = r"[^/\x00-\x1f\x7f]+"


register_converter(ArticleIdConverter, "article_id")
register_converter(NameConverter, "name")

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<article_id:pk>/share.png", views.share_image, name="share_image"),
    path("articles/<article_id:pk>/<str:slug>/", views.article_detail, name="detail"),
    path("topics/", views.topic_index, name="topic_index"),
    path("stories/<article_id:pk>/", views.story_short, name="story_short"),
    path("stories/<article_id:pk>/share.png", views.story_share_image, name="story_share_image"),
    path("stories/<article_id:pk>/<str:slug>/", views.story, name="story"),
    path("topics/<name:slug>/", views.topic, name="topic"),
    path("topics/<name:slug>/feed/", cache_reader_page(feeds.TopicFeed()), name="topic_feed"),
    path(
        "topics/<name:slug>/feed/atom/",
        cache_reader_page(feeds.TopicAtomFeed()),
        name="topic_atom_feed",
    ),
    path("providers/", views.provider_index, name="provider_index"),
    path("providers/<name:domain>/", views.provider, name="provider"),
    path("search/", views.search, name="search"),
    path("corrections/", corrections.corrections, name="corrections"),
    path("feed/", cache_reader_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", cache_reader_page(feeds.LatestArticlesAtomFeed()), name="atom_feed"),
    path(
        "sitemap.xml",
        cache_reader_page(sitemap_views.index),
        {
            "sitemaps": SITEMAPS,
            "sitemap_url_name": "articles:sitemap_section",
            # Django's template with a stylesheet for people who open it (see feeds.py).
            "template_name": "sitemaps/index.xml",
        },
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cache_reader_page(sitemap_views.sitemap, reads={"p": page_number}),
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/section.xml"},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
