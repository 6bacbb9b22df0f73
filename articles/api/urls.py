"""/api/v1/: the read API, its OpenAPI document and its browsable docs (Swagger UI, served
from the site: drf-spectacular-sidecar). Every answer is cached like a reader page
(`page_cache.cache_reader_page`, keyed on the parameters each view reads)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from articles.api import params, views
from articles.page_cache import cache_reader_page
from articles.reader.urls import ArticleIdConverter  # noqa: F401 (registers article_id)

app_name = "api"


def _cached(view, reads=None):
    return cache_reader_page(view.as_view(), reads=reads)


urlpatterns = [
    path("articles/", _cached(views.ArticleList, params.ARTICLE_LIST_READS), name="articles"),
    path("articles/<article_id:pk>/", _cached(views.ArticleDetail), name="article"),
    path("stories/", _cached(views.StoryList, params.STORY_LIST_READS), name="stories"),
    path("stories/<article_id:pk>/", _cached(views.StoryDetail), name="story"),
    path("topics/", _cached(views.TopicList, params.NAME_LIST_READS), name="topics"),
    path("providers/", _cached(views.ProviderList, params.NAME_LIST_READS), name="providers"),
    path("openapi.json", _cached(SpectacularJSONAPIView), name="openapi"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:openapi"), name="docs"),
]
