"""The API's answers as the OpenAPI document describes them: DRF serializers used only to
describe `representation`'s dicts (the views answer with those dicts directly), so the
document and the answers cannot drift apart unnoticed: `tests/web/test_api_schema.py` holds
each dict's keys to its serializer's fields."""

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What was wrong, naming the parameter if one was.")


class ProviderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    domain = serializers.CharField()
    url = serializers.URLField(help_text="The provider's page on this site.")


class TopicSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.URLField(allow_null=True, help_text="Its page; null if the name has none.")


class StoryLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()


class ArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The article's page on this site.")
    title = serializers.CharField()
    excerpt = serializers.CharField(allow_blank=True)
    body = serializers.CharField(allow_blank=True, help_text="Markdown, as the provider sent it.")
    category = serializers.CharField(allow_blank=True)
    type = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField(help_text="When the provider published it.")
    updated_at = serializers.DateTimeField(help_text="When its content last changed here.")
    source_url = serializers.URLField(help_text="The article at its provider.")
    canonical_url = serializers.URLField()
    image = serializers.URLField(help_text="Its share image (PNG, 1200x630).")
    provider = ProviderSerializer()
    topics = TopicSerializer(many=True)
    story = StoryLinkSerializer(allow_null=True)


class StorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    title = serializers.CharField()
    article_count = serializers.IntegerField(help_text="Its articles readers may see.")
    first_published_at = serializers.DateTimeField()
    last_published_at = serializers.DateTimeField()
    lead_article = serializers.IntegerField(
        allow_null=True, help_text="The lead's id, when readers may see it."
    )


class CountedTopicSerializer(TopicSerializer):
    article_count = serializers.IntegerField()


class CountedProviderSerializer(ProviderSerializer):
    article_count = serializers.IntegerField()


def _list_of(name: str, item) -> type[serializers.Serializer]:
    fields = {
        "results": item(many=True),
        "next": serializers.URLField(allow_null=True, help_text="The next page; null at the end."),
    }
    return type(name, (serializers.Serializer,), fields)


ArticleListSerializer = _list_of("ArticleList", ArticleSerializer)
StoryListSerializer = _list_of("StoryList", StorySerializer)
TopicListSerializer = _list_of("TopicList", CountedTopicSerializer)
ProviderListSerializer = _list_of("ProviderList", CountedProviderSerializer)
