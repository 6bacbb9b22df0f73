from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter
from django.urls.converters import IntConverter

from . import feeds, views
from .page_cache import cache_reader_page, page_number
from .sitemaps import SITEMAPS

app_name = "articles"


class ArticleIdConverter(IntConverter):
    """An id the database can hold (a signed 64-bit integer); any other number is no page."""

    regex = "[0-9]{1,19}"
    LARGEST = 2**63 - 1

    def to_python(self, value):
        number = int(value)
        if number > self.LARGEST:
            raise ValueError("not an id")  # the URL does not match: 404
        return number


register_converter(ArticleIdConverter, "article_id")

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<article_id:pk>/share.png", views.share_image, name="share_image"),
    path("articles/<article_id:pk>/<str:slug>/", views.article_detail, name="detail"),
    path("topics/<str:slug>/", views.topic, name="topic"),
    path("topics/<str:slug>/feed/", cache_reader_page(feeds.TopicFeed()), name="topic_feed"),
    path(
        "topics/<str:slug>/feed/atom/",
        cache_reader_page(feeds.TopicAtomFeed()),
        name="topic_atom_feed",
    ),
    path("providers/<str:domain>/", views.provider, name="provider"),
    path("search/", views.search, name="search"),
    path("feed/", cache_reader_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", cache_reader_page(feeds.LatestArticlesAtomFeed()), name="atom_feed"),
    path(
        "sitemap.xml",
        cache_reader_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cache_reader_page(sitemap_views.sitemap, reads={"p": page_number}),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
