"""What the article page shows, read through one seam: `article_page(pk)`.

The article page is the one reader page that must be fast when it is not cached (docs/
PERFORMANCE.md). Building and compiling its ORM queries cost about ten times what the database
spends answering them (about 0.5 ms against 0.05 ms per query here), so this module reads with
four parameterised SELECTs (table and column names taken from the models) and builds from the
rows the same model instances the ORM would (`articles.db.compiled.instance_from_row`): an
`Article` with only the shown columns loaded, its `Provider`, `Tag`s and `RelatedLink`s. The
visibility rule is not written here: rows are checked with `Article.is_visible`, which evaluates
the rule `published()` filters by. A test holds this module to the ORM's answers.
"""

import dataclasses
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag

from articles.db.compiled import instance_from_row
from articles.ingest.seeds import canonical_url
from articles.models import Article, Correction, Provider, RelatedLink, TaggedArticle

# As django.utils.html.json_script: `</script>` in a title cannot close the element.
_JSON_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))

# What the page shows and the visibility columns; the rest of the row (the source's payload,
# `extra`, import bookkeeping) stays in the database, deferred as `.only()` would leave it.
ARTICLE_FIELDS = (
    "id",
    "title",
    "editor_title",
    "slug",
    "excerpt",
    "editor_excerpt",
    "corrected_at",
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
    "story",
    "language",
)
PROVIDER_FIELDS = ("id", "name", "domain", "logo_thumbnail")
LINK_FIELDS = ("id", "article", "position", "title", "url", "source_published_at", "provider")
# Articles of ours that related links point to, and the other articles of the article's story.
HOSTED_FIELDS = (
    "id",
    "title",
    "editor_title",
    "slug",
    "source_published_at",
    "canonical_url",
    "published",
    "publish_at",
    "unpublish_at",
    "provider",
    "story",
    "language",
)


@dataclass
class ArticlePage:
    article: Article  # with `provider` loaded
    topics: list[Tag]  # in the order the seed file lists them
    related: list[RelatedLink]  # in file order, each with `provider` and `hosted_url`
    # The story's other articles readers may see, newest first, at most COVERAGE_SHOWN, each
    # with `provider` (the story page lists them all).
    coverage: list[Article] = dataclasses.field(default_factory=list)
    # Its corrections readers see (those with a note), newest first, `made_at` and `note` loaded.
    corrections: list[Correction] = dataclasses.field(default_factory=list)

    def corrections_json_ld(self) -> list[dict]:
        """schema.org's `correction` of the article: a CorrectionComment per public note."""
        return [
            {"@type": "CorrectionComment", "text": c.note, "datePublished": c.made_at.isoformat()}
            for c in self.corrections
        ]

    def full_coverage_links(self) -> list[RelatedLink]:
        """The related links not already shown as `coverage`, each URL once."""
        seen = {article.canonical_url for article in self.coverage}
        links = []
        for link in self.related:
            url = canonical_url(link.url)
            if url not in seen:
                seen.add(url)
                links.append(link)
        return links


def article_page(pk: int, *, preview: bool = False) -> ArticlePage:
    """The article `pk` and what its page shows; 404 unless readers may see it (or `preview`,
    for staff, who see any article as readers would). Four queries, a fifth for a corrected
    article's notes."""
    article = _article(pk)
    if article is None or not (preview or article.is_visible()):
        raise Http404("No such article.")
    related, coverage = _related(article)
    notes = [
        instance_from_row(Correction, CORRECTION_FIELDS, row)
        for row in (_rows(_CORRECTIONS_SQL, [article.pk]) if article.corrected_at else ())
    ]
    return ArticlePage(article, _topics(article), related, coverage, notes)


def _columns(alias: str, model, names) -> list[str]:
    """`a.title, a.slug, ...`: the model's own column names, so a renamed field fails loudly."""
    return [f"{alias}.{model._meta.get_field(name).column}" for name in names]


def _select_list(*parts) -> str:
    return ", ".join(
        column for alias, model, names in parts for column in _columns(alias, model, names)
    )


def _in_model_order(model, names) -> tuple[str, ...]:
    order = [field.name for field in model._meta.concrete_fields]
    return tuple(sorted(names, key=order.index))


ARTICLE_FIELDS = _in_model_order(Article, ARTICLE_FIELDS)
PROVIDER_FIELDS = _in_model_order(Provider, PROVIDER_FIELDS)
LINK_FIELDS = _in_model_order(RelatedLink, LINK_FIELDS)
HOSTED_FIELDS = _in_model_order(Article, HOSTED_FIELDS)

_ARTICLE_SQL = f"""
SELECT {_select_list(("a", Article, ARTICLE_FIELDS), ("p", Provider, PROVIDER_FIELDS))}
FROM {Article._meta.db_table} a JOIN {Provider._meta.db_table} p ON p.id = a.provider_id
WHERE a.id = %s"""

_TOPICS_SQL = f"""
SELECT t.id, t.name, t.slug FROM {Tag._meta.db_table} t
JOIN {TaggedArticle._meta.db_table} x ON x.tag_id = t.id
WHERE x.content_object_id = %s ORDER BY x.id"""

_LINKS_SQL = f"""
SELECT {_select_list(("r", RelatedLink, LINK_FIELDS), ("p", Provider, PROVIDER_FIELDS))}
FROM {RelatedLink._meta.db_table} r LEFT JOIN {Provider._meta.db_table} p ON p.id = r.provider_id
WHERE r.article_id = %s ORDER BY r.position"""

CORRECTION_FIELDS = ("id", "made_at", "note")
_CORRECTIONS_SQL = f"""
SELECT c.id, c.made_at, c.note FROM {Correction._meta.db_table} c
WHERE c.article_id = %s AND c.note <> '' ORDER BY c.made_at DESC, c.id DESC"""

# Full coverage shows the story's newest few; the story page has them all. Read from the
# newest, a bounded number (held ones among them are skipped, as `is_visible` says).
COVERAGE_SHOWN = 10
COVERAGE_READ = 50

# Not "AND a.published": SQLite's planner then reads the (published, date) index instead of
# the unique URL index (and the story index), 40 times slower; `is_visible` checks the flag.
# The story's part seeks its (story, date) index newest first and stops at COVERAGE_READ.
_HOSTED_SELECT = f"""
SELECT {_select_list(("a", Article, HOSTED_FIELDS), ("p", Provider, PROVIDER_FIELDS))}
FROM {Article._meta.db_table} a JOIN {Provider._meta.db_table} p ON p.id = a.provider_id"""
_STORY_COLUMN = Article._meta.get_field("story").column
_DATE_COLUMN = Article._meta.get_field("source_published_at").column
_HOSTED_SQL = f"""{_HOSTED_SELECT}
WHERE a.canonical_url IN ({{placeholders}})
UNION ALL
SELECT * FROM ({_HOSTED_SELECT}
WHERE a.{_STORY_COLUMN} = %s AND a.id <> %s
ORDER BY a.{_DATE_COLUMN} DESC, a.id DESC LIMIT {COVERAGE_READ}) AS story_part"""


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _article(pk: int) -> Article | None:
    rows = _rows(_ARTICLE_SQL, [pk])
    if not rows:
        return None
    split = len(ARTICLE_FIELDS)
    article = instance_from_row(Article, ARTICLE_FIELDS, rows[0][:split])
    article.provider = instance_from_row(Provider, PROVIDER_FIELDS, rows[0][split:])
    return article


def _topics(article: Article) -> list[Tag]:
    return list(Tag.objects.raw(_TOPICS_SQL, [article.pk]))


def _related(article: Article) -> tuple[list[RelatedLink], list[Article]]:
    """The related links, each with `hosted_url` (our page where readers may see the linked
    story, else ""), and the newest of the story's other articles readers may see. Two queries
    whatever the number of links or of articles in the story, each bounded by them."""
    split = len(LINK_FIELDS)
    links = []
    for row in _rows(_LINKS_SQL, [article.pk]):
        link = instance_from_row(RelatedLink, LINK_FIELDS, row[:split])
        link.provider = None
        if row[split]:  # NULLs when the link names no provider (a LEFT JOIN)
            link.provider = instance_from_row(Provider, PROVIDER_FIELDS, row[split:])
        links.append(link)
    wanted = sorted({canonical_url(link.url) for link in links})
    hosted, coverage, seen = {}, [], set()
    if wanted or article.story_id:
        sql = _HOSTED_SQL.format(placeholders=", ".join(["%s"] * len(wanted)) or "NULL")
        now = timezone.now()
        split = len(HOSTED_FIELDS)
        for row in _rows(sql, [*wanted, article.story_id, article.pk]):
            hit = instance_from_row(Article, HOSTED_FIELDS, row[:split])
            if not hit.is_visible(now):
                continue
            hit.provider = instance_from_row(Provider, PROVIDER_FIELDS, row[split:])
            hosted[hit.canonical_url] = hit.get_absolute_url()
            if article.story_id and hit.story_id == article.story_id and hit.pk != article.pk:
                if hit.pk not in seen:  # a link to a story member comes twice
                    seen.add(hit.pk)
                    coverage.append(hit)
    for link in links:
        link.hosted_url = hosted.get(canonical_url(link.url), "")
    coverage.sort(key=lambda hit: (hit.source_published_at, hit.pk), reverse=True)
    return links, coverage[:COVERAGE_SHOWN]


def json_ld(data: dict) -> SafeString:
    """JSON for a <script type="application/ld+json"> element, escaped so it cannot break out."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for character, escaped in _JSON_SCRIPT_ESCAPES:  # str.replace: translate() is ten times slower
        text = text.replace(character, escaped)
    return mark_safe(text)
