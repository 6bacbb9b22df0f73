"""The read API's views: thin, over `reads` (what readers may see) and `representation` (how
it looks). Read-only and anonymous: no authentication runs, so a logged-in editor sees what
everyone sees. Each answer is JSON; lists are `{"results": [...], "next": URL or null}`.

Every view is wrapped in `page_cache.cache_reader_page` (api/urls.py): answers are cached like
reader pages, under the reader-pages version, so a publish, an undo, an embargo or an expiry
refreshes them at once; the page cache adds the ETag (and answers 304 to If-None-Match) and
keeps `Last-Modified` with the answer. Rate limits run before the cache (`throttling`).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.utils.http import http_date
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.api import params, reads, schemas
from articles.api.representation import article_data, provider_data, story_data, topic_data

NOT_FOUND = "No such article readers may see."


class BadRequest(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_parameter"


class _ReadView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    reads: dict = {}

    def checked(self, request) -> dict[str, str]:
        try:
            return params.checked(request.query_params, self.reads)
        except params.BadParameter as bad:
            raise BadRequest(str(bad)) from bad


def _site(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _answer(data, *, modified=None, stored=True) -> Response:
    response = Response(data)
    response["Last-Modified"] = http_date(modified.timestamp() if modified else time.time())
    if not stored:
        response.reader_page_not_stored = True  # a forged cursor's page: not cached
    return response


def _listed(request, values: dict, page: reads.Page, results: list, modified=None) -> Response:
    next_url = None
    if page.next_cursor:
        query = {name: value for name, value in values.items() if value and name != "cursor"}
        query["cursor"] = page.next_cursor
        next_url = f"{_site(request)}{request.path}?{urlencode(query)}"
    return _answer({"results": results, "next": next_url}, modified=modified, stored=page.stored)


_CURSOR = OpenApiParameter("cursor", str, description="From the `next` link of the page before.")
_FILTERS = [
    OpenApiParameter("topic", str, description="A topic's slug: its articles only."),
    OpenApiParameter("provider", str, description="A provider's domain: its articles only."),
    OpenApiParameter("story", int, description="A story's id: its articles only."),
    OpenApiParameter(
        "since",
        str,
        description="ISO 8601 moment (or date, UTC): only articles changed since then (their "
        "content, an editor's decision, or their embargo passing).",
    ),
    OpenApiParameter("q", str, description="Search words, as the site's search takes them."),
    _CURSOR,
]
_BAD = {400: schemas.ErrorSerializer, 429: schemas.ErrorSerializer}
_BAD_OR_MISSING = {**_BAD, 404: schemas.ErrorSerializer}


class ArticleList(_ReadView):
    reads = params.ARTICLE_LIST_READS

    @extend_schema(
        summary="Articles readers may see, newest first",
        operation_id="list_articles",
        parameters=_FILTERS,
        responses={200: schemas.ArticleListSerializer, **_BAD},
    )
    def get(self, request):
        values = self.checked(request)
        try:
            page = reads.article_page(
                cursor=params.article_cursor(values["cursor"]),
                q=values["q"],
                topic=values["topic"],
                provider=values["provider"],
                story=values["story"],
                since=params.moment(values["since"]),
            )
        except reads.TooBroad as too_broad:
            raise BadRequest("q: too broad to answer in time; add a word or a filter.") from (
                too_broad
            )
        site = _site(request)
        results = [article_data(article, site_url=site) for article in page.items]
        return _listed(request, values, page, results, modified=reads.last_change(page.items))


class ArticleDetail(_ReadView):
    @extend_schema(
        summary="One article readers may see",
        operation_id="get_article",
        responses={200: schemas.ArticleSerializer, **_BAD_OR_MISSING},
    )
    def get(self, request, pk: int):
        article = reads.article(pk)
        if article is None:
            raise NotFound(NOT_FOUND)
        data = article_data(article, site_url=_site(request))
        return _answer(data, modified=reads.changed_at(article))


class StoryList(_ReadView):
    reads = params.STORY_LIST_READS

    @extend_schema(
        summary="Stories readers may see, newest first",
        operation_id="list_stories",
        parameters=[_CURSOR],
        responses={200: schemas.StoryListSerializer, **_BAD},
    )
    def get(self, request):
        values = self.checked(request)
        page, members = reads.story_page(cursor=values["cursor"])
        site = _site(request)
        results = [
            story_data(story, site_url=site, visible=members[story.pk]) for story in page.items
        ]
        return _listed(request, values, page, results)


class StoryDetail(_ReadView):
    @extend_schema(
        summary="One story, as readers see it",
        operation_id="get_story",
        responses={200: schemas.StorySerializer, **_BAD_OR_MISSING},
    )
    def get(self, request, pk: int):
        found = reads.story(pk)
        if found is None:
            raise NotFound("No such story readers may see.")
        story, members = found
        return _answer(story_data(story, site_url=_site(request), visible=members))


class TopicList(_ReadView):
    reads = params.NAME_LIST_READS

    @extend_schema(
        summary="Topics with articles readers may see, by slug",
        operation_id="list_topics",
        parameters=[_CURSOR],
        responses={200: schemas.TopicListSerializer, **_BAD},
    )
    def get(self, request):
        values = self.checked(request)
        page = reads.topic_page(cursor=values["cursor"])
        site = _site(request)
        results = [
            {**topic_data(topic, site_url=site), "article_count": topic.article_count}
            for topic in page.items
        ]
        return _listed(request, values, page, results)


class ProviderList(_ReadView):
    reads = params.NAME_LIST_READS

    @extend_schema(
        summary="Providers with articles readers may see, by domain",
        operation_id="list_providers",
        parameters=[_CURSOR],
        responses={200: schemas.ProviderListSerializer, **_BAD},
    )
    def get(self, request):
        values = self.checked(request)
        page = reads.provider_page(cursor=values["cursor"])
        site = _site(request)
        results = [
            {**provider_data(provider, site_url=site), "article_count": provider.article_count}
            for provider in page.items
        ]
        return _listed(request, values, page, results)
