"""RSS and Atom feeds of the latest published articles, for the whole site and per topic."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from taggit.models import Tag

from .models import Article

FEED_LENGTH = 30
# Characters XML 1.0 forbids; seed text may carry them and one would break the whole feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


class LatestArticlesFeed(Feed):
    description = "The latest articles we publish."

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: latest articles"

    def link(self, obj=None):
        return reverse("articles:home")

    def articles(self, obj=None):
        return Article.objects.published()

    def items(self, obj=None):
        return (
            self.articles(obj).select_related("provider").prefetch_related("topics")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return _xml_text(item.title)

    def item_description(self, item):
        # RSS <description> and Atom <summary type="html"> are HTML to a feed reader; the
        # excerpt is plain text, so it goes in escaped (markup in a seed stays text).
        return escape(_xml_text(item.excerpt))

    def item_pubdate(self, item):
        return item.source_published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return _xml_text(item.provider.name)

    def item_categories(self, item):
        return [_xml_text(topic.name) for topic in item.topics.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class TopicFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        topic = get_object_or_404(Tag, slug=slug)
        if not self.articles(topic).exists():
            raise Http404("No published articles on this topic.")
        return topic

    def articles(self, obj=None):
        return Article.objects.published().filter(topics=obj)

    def title(self, obj=None):
        return _xml_text(f"{settings.SITE_NAME}: {obj.name}")

    def link(self, obj=None):
        return reverse("articles:topic", args=[obj.slug])

    def description(self, obj=None):
        return _xml_text(f"The latest published articles on {obj.name}.")


class TopicAtomFeed(TopicFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj=None):
        return self.description(obj)
