from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import feeds, views
from .page_cache import cache_reader_page
from .sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/share.png", views.share_image, name="share_image"),
    path("articles/<int:pk>/<str:slug>/", views.article_detail, name="detail"),
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
        cache_reader_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
