"""What the article page shows, read with four small hand-written SELECTs.

The article page is the one reader page that must be fast when it is not cached (docs/
PERFORMANCE.md). Building and compiling its ORM queries cost about ten times what the database
spends answering them (about 0.5 ms against 0.05 ms per query here), so it reads through
`Manager.raw()` and a cursor instead: parameterised, with table and column names taken from
the models, and with the visibility rule applied by `ArticleQuerySet.visible`, the twin of
`published()` that a test holds to the same answers. Every other reader page uses the ORM.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag

from .models import Article, Provider, RelatedLink, TaggedArticle
from .seeds import canonical_url

# As django.utils.html.json_script: `</script>` in a title cannot close the element.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _select(alias: str, model, *names: str) -> str:
    """`a.title, a.slug, ...`: the model's own column names, so a renamed field fails loudly."""
    return ", ".join(f"{alias}.{model._meta.get_field(name).column}" for name in names)


_ARTICLE, _PROVIDER = Article._meta.db_table, Provider._meta.db_table
_LINK, _TAG, _TAGGED = RelatedLink._meta.db_table, Tag._meta.db_table, TaggedArticle._meta.db_table

# What the page shows and the visibility columns; the rest of the row (the source's payload,
# `extra`, import bookkeeping) stays in the database.
_ARTICLE_SQL = f"""
SELECT {
    _select(
        "a",
        Article,
        "id",
        "title",
        "slug",
        "excerpt",
        "body",
        "source_published_at",
        "updated_at",
        "original_url",
        "web_url",
        "canonical_url",
        "published",
        "publish_at",
        "unpublish_at",
        "provider",
    )
},
       p.name AS provider_name, p.domain AS provider_domain,
       p.logo_thumbnail AS provider_logo_thumbnail
FROM {_ARTICLE} a JOIN {_PROVIDER} p ON p.id = a.provider_id
WHERE a.id = %s AND a.published = %s"""

_TOPICS_SQL = f"""
SELECT t.name, t.slug FROM {_TAG} t JOIN {_TAGGED} x ON x.tag_id = t.id
WHERE x.content_object_id = %s ORDER BY x.id"""

_LINKS_SQL = f"""
SELECT {_select("r", RelatedLink, "id", "title", "url", "source_published_at")},
       p.name AS provider_name
FROM {_LINK} r LEFT JOIN {_PROVIDER} p ON p.id = r.provider_id
WHERE r.article_id = %s ORDER BY r.position"""

# Not "AND a.published": SQLite's planner then reads the (published, date) index instead of
# the unique URL index, 40 times slower; `_visible` checks the flag.
_HOSTED_SQL = f"""
SELECT {
    _select("a", Article, "id", "slug", "canonical_url", "published", "publish_at", "unpublish_at")
}
FROM {_ARTICLE} a WHERE a.canonical_url IN ({{placeholders}})"""


def published_article(pk: int) -> Article:
    """The published article `pk`, with its provider and what its page shows; else 404."""
    found = list(Article.objects.raw(_ARTICLE_SQL, [pk, True]))
    if not found or not _visible(found[0]):
        raise Http404("No such article.")
    article = found[0]
    article.provider = Provider(
        pk=article.provider_id,
        name=article.provider_name,
        domain=article.provider_domain,
        logo_thumbnail=article.provider_logo_thumbnail,
    )
    return article


def topics_of(article) -> list[dict]:
    """The article's topics (name and slug) in the order its file lists them."""
    with connection.cursor() as cursor:
        cursor.execute(_TOPICS_SQL, [article.pk])
        return [{"name": name, "slug": slug} for name, slug in cursor.fetchall()]


def related_coverage(article) -> list[RelatedLink]:
    """The article's related links in file order, each with `provider_name` and `hosted_url`:
    our page where we publish the linked story, else "".

    Two queries whatever the number of links: the links with their providers' names, and the
    published articles whose canonical URL is one of theirs.
    """
    links = list(RelatedLink.objects.raw(_LINKS_SQL, [article.pk]))
    wanted = sorted({canonical_url(link.url) for link in links})
    hosted = {}
    if wanted:
        sql = _HOSTED_SQL.format(placeholders=", ".join(["%s"] * len(wanted)))
        hosted = {
            hit.canonical_url: reverse("articles:detail", kwargs={"pk": hit.pk, "slug": hit.slug})
            for hit in Article.objects.raw(sql, wanted)
            if _visible(hit)
        }
    for link in links:
        link.hosted_url = hosted.get(canonical_url(link.url), "")
    return links


def _visible(article) -> bool:
    return Article.objects.visible(article.published, article.publish_at, article.unpublish_at)


def json_ld(data: dict) -> SafeString:
    """JSON for a <script type="application/ld+json"> element, escaped so it cannot break out."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))
