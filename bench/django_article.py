"""The article page on Django templates, for bench/template_engines.py: the reader's own view and
seam (`articles.reader.views.article_detail`, `article_page`), its page rendered from a port of
templates/jinja2/articles/article_detail.html in bench/django_templates/, with the dates and URLs
the Jinja2 template makes itself (the `url()` global, the date filters, `http_only`) prepared in
the view, as a Django-templates reader would have to (`{% url %}` and the `date` filter cost
about 30 and 50 µs each, docs/PERFORMANCE.md).

Import it once Django is set up; `use_django_templates()` makes the reader's article view render
this way. `served()` is the site's WSGI application doing so, for gunicorn
(`gunicorn 'bench.django_article:served()'`).
"""

import os
from pathlib import Path

import django

# A gunicorn worker imports this module before anything has set Django up.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template.backends.django import DjangoTemplates  # noqa: E402
from django.templatetags.static import static  # noqa: E402
from django.utils.cache import patch_cache_control  # noqa: E402

from articles.reader import views  # noqa: E402
from articles.reader.markdown import http_url  # noqa: E402
from articles.reader.templating import (  # noqa: E402
    date_element_maker,
    datetime_element,
    topic_links,
    url,
    url_maker,
)

TEMPLATES = Path(__file__).resolve().parent / "django_templates"
JINJA2_RENDER_ARTICLE = views.render_article

# As the one Django-templates engine of settings.TEMPLATES would be, with the reader's templates.
_ENGINE = DjangoTemplates(
    {
        "NAME": "bench_reader",
        "DIRS": [TEMPLATES],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": next(
                engine["OPTIONS"]["context_processors"]
                for engine in settings.TEMPLATES
                if engine["BACKEND"].endswith("DjangoTemplates")
            )
        },
    }
)


def site_urls() -> dict[str, str]:
    """What base.html links to on every page."""
    return {
        "css": static("css/site.css"),
        "favicon": static("favicon.svg"),
        "feed": url("articles:feed"),
        "atom_feed": url("articles:atom_feed"),
        "home": url("articles:home"),
        "topic_index": url("articles:topic_index"),
        "provider_index": url("articles:provider_index"),
        "search": url("articles:search"),
    }


def render_article(request, page, *, preview=False):
    """`views.render_article` on Django templates: the same context, plus what the Jinja2
    template computes itself."""
    context = views.article_context(request, page, preview=preview)
    article, make_url, date_html = page.article, url_maker(), date_element_maker()
    context.update(
        site_name=settings.SITE_NAME,
        site_urls=site_urls(),
        provider_url=make_url("articles:provider", article.provider.domain),
        published_element=datetime_element(article.source_published_at),
        topic_links=topic_links(page.topics),
        original_href=http_url(context["original_url"]),
        coverage_items=[
            {
                "url": other.get_absolute_url(),
                "title": other.title,
                "provider_name": other.provider.name,
                "published": date_html(other.source_published_at),
            }
            for other in context["coverage"]
        ],
        related_items=[
            {
                "hosted_url": link.hosted_url,
                "href": http_url(link.url),
                "title": link.title,
                "provider_name": link.provider.name if link.provider else "",
                "published": date_html(link.source_published_at),
            }
            for link in context["related"]
        ],
        story_url=make_url("articles:story_short", article.story_id) if article.story_id else "",
    )
    template = _ENGINE.get_template("articles/article_detail.html")
    response = HttpResponse(template.render(context, request))
    if preview:  # as views.render_article
        response.reader_preview = True
        patch_cache_control(response, private=True, no_store=True)
    return response


def use_django_templates(on: bool = True) -> None:
    views.render_article = render_article if on else JINJA2_RENDER_ARTICLE


def served():
    """The site's WSGI application with the article page on Django templates."""
    from django.core.wsgi import get_wsgi_application

    use_django_templates()
    return get_wsgi_application()
