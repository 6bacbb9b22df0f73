"""The sitemap: an index of sections (the home page and the topic and provider indexes, every
published article, the topic and provider pages and the stories that have published articles),
each paginated for large sites."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Provider, Story


class HomeSitemap(Sitemap):
    """The pages every site has: the home page and the topic and provider indexes."""

    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home", "articles:topic_index", "articles:provider_index"]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Article.objects.published().only("id", "slug", "updated_at").order_by("-id")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # For the index: one aggregate, not a walk over every article.
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class TopicSitemap(Sitemap):
    limit = 5000

    def items(self):
        published = Article.objects.published().values("id")
        return (
            Tag.objects.filter(articles_taggedarticle_items__content_object__in=published)
            .exclude(slug="")
            .distinct()
            .order_by("slug")
        )

    def location(self, item):
        return reverse("articles:topic", args=[item.slug])


class ProviderSitemap(Sitemap):
    limit = 5000

    def items(self):
        published = Article.objects.published().values("id")
        return Provider.objects.filter(articles__in=published).distinct().order_by("domain")

    def location(self, item):
        return reverse("articles:provider", args=[item.domain])


class StorySitemap(Sitemap):
    limit = 5000

    def items(self):
        # `lastmod` from the members readers may see: the story's own `last_seen_at` counts held
        # and embargoed members too, and would tell when one arrived.
        newest_visible = (
            Article.objects.published()
            .filter(story=OuterRef("pk"))
            .order_by("-source_published_at")
            .values("source_published_at")[:1]
        )
        return (
            Story.objects.with_readers()
            .annotate(visible_last_seen_at=Subquery(newest_visible))
            .only("id")
            .order_by("-id")
        )

    def location(self, item):
        # The short address: the full one carries the title readers see, which depends on
        # which of the story's articles are visible when its page is built (views.story).
        return reverse("articles:story_short", args=[item.pk])

    def lastmod(self, item):
        return item.visible_last_seen_at


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "providers": ProviderSitemap,
    "stories": StorySitemap,
}
