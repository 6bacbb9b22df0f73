"""What reader pages show about an article, beyond the article itself."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from .models import Article
from .seeds import canonical_url

# As django.utils.html.json_script: `</script>` in a title cannot close the element.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def related_coverage(article) -> list:
    """The article's related links in file order; `hosted_url` is our page where we publish it.

    Two queries whatever the number of links: the links with their providers, and the published
    articles whose canonical URL is one of theirs.
    """
    links = list(article.related_links.select_related("provider").order_by("position"))
    wanted = {canonical_url(link.url) for link in links}
    hosted = {}
    if wanted:
        hosted = {
            hit.canonical_url: hit.get_absolute_url()
            for hit in Article.objects.published()
            .filter(canonical_url__in=wanted)
            .only("id", "slug", "canonical_url")
        }
    for link in links:
        link.hosted_url = hosted.get(canonical_url(link.url), "")
    return links


def json_ld(data: dict) -> SafeString:
    """JSON for a <script type="application/ld+json"> element, escaped so it cannot break out."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))
