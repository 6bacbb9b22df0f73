"""Reader pages. Every one shows `Article.objects.published()` and nothing else."""

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from articles.models import Article, Story
from articles.page_cache import cache_reader_page
from articles.reader.article_page import ArticlePage, article_page, json_ld
from articles.reader.cursors import LISTING_READS
from articles.reader.indexes import provider_counts, topic_counts
from articles.reader.listing_views import (
    NO_SUCH_PAGE,
    ToFirstPage,
    cursors_asked,
    listing_response,
    listing_view_of,
    page_asked,
    page_asked_of,
)
from articles.reader.listings import (
    ARTICLES_PER_PAGE,
    most_discussed,
    provider_with_domain,
    story_part,
    topic_with_slug,
)
from articles.reader.markdown import render_body
from articles.reader.share_images import share_image_png, story_share_image_png
from articles.reader.story_pages import StoryPage, story_page
from articles.search.query import MAX_QUERY_LENGTH
from articles.search.results_page import ORDERS, SEARCH_READS, SearchRequest, filter_choices


@require_safe
@cache_reader_page(reads=LISTING_READS)
@listing_view_of
def home(request):
    page = page_asked_of(request, "home")
    shown = most_discussed() if page.first and page.cards else []
    # A fresh `make run` (DEBUG on, nothing published): say how to get a demo and where the
    # admin is, rather than an empty page.
    getting_started = settings.DEBUG and page.first and not page.cards
    return listing_response(
        request,
        "articles/home.html",
        page,
        most_discussed=shown,
        getting_started=getting_started,
        admin_url=reverse("admin:index") if getting_started else "",
    )


@require_safe
@cache_reader_page
def article_detail(request, pk, slug):
    page = article_page(pk)
    if slug != page.article.slug:
        return redirect(page.article, permanent=True)
    return render_article(request, page)


def preview_article(request, pk):
    """The article page of any article, as readers would see it, for staff (the admin's
    preview): it says so on the page, asks search engines not to index it, and is never stored
    by any cache."""
    return render_article(request, article_page(pk, preview=True), preview=True)


def render_article(request, page: ArticlePage, *, preview=False):
    response = render(
        request, "articles/article_detail.html", article_context(request, page, preview=preview)
    )
    if preview:
        response.reader_preview = True  # cache_reader_page refuses to store it
        patch_cache_control(response, private=True, no_store=True)
    return response


def article_context(request, page: ArticlePage, *, preview=False) -> dict:
    article, topics = page.article, page.topics
    page_url = request.build_absolute_uri(article.get_absolute_url())
    image_url = request.build_absolute_uri(reverse("articles:share_image", args=[article.pk]))
    description = Truncator(article.standfirst or article.headline).chars(160)
    structured_data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": description,
        "datePublished": article.source_published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "url": page_url,
        "mainEntityOfPage": page_url,
        "image": [image_url],
        "keywords": ", ".join(topic.name for topic in topics),
        "author": {"@type": "Organization", "name": article.provider.name},
        "publisher": {
            "@type": "Organization",
            "name": article.provider.name,
            "url": f"https://{article.provider.domain}/",
        },
        "isBasedOn": article.web_url or article.original_url or article.canonical_url,
    }
    if page.corrections:
        structured_data["correction"] = page.corrections_json_ld()
    if article.language:
        structured_data["inLanguage"] = article.language
    return {
        "article": article,
        "topics": topics,
        "body_html": render_body(article.body),
        "related": page.full_coverage_links(),
        "coverage": page.coverage,
        "corrections": page.corrections,
        "description": description,
        "published_iso": structured_data["datePublished"],
        "page_url": page_url,
        "share_image_url": image_url,
        "original_url": article.web_url or article.original_url or article.canonical_url,
        "json_ld": json_ld(structured_data),
        "preview": preview,
    }


@require_safe
@cache_reader_page(reads=LISTING_READS)
@listing_view_of
def topic(request, slug):
    # One answer for a topic that does not exist and one with nothing published, page 2 of it
    # included: a 404 must not tell anyone that unpublished articles are there.
    topic, listing = _found_or_404(topic_with_slug(slug))
    page = page_asked_of(request, listing, topic.pk)
    if not page.cards:
        raise Http404(NO_SUCH_PAGE)
    return listing_response(request, "articles/topic.html", page, topic=topic)


@require_safe
@cache_reader_page(reads=LISTING_READS)
@listing_view_of
def provider(request, domain):
    if domain != domain.lower():
        # One address per provider (and one cache entry): EXAMPLE.com is example.com.
        return redirect("articles:provider", domain.lower(), permanent=True)
    provider = _found_or_404(provider_with_domain(domain))  # as topic()
    page = page_asked_of(request, "provider", provider.pk)
    if not page.cards:
        raise Http404(NO_SUCH_PAGE)
    return listing_response(request, "articles/provider.html", page, provider=provider)


@require_safe
@cache_reader_page(reads=SEARCH_READS)
def search(request):
    asked = SearchRequest.from_url(request.GET)
    paginator, number = Paginator(asked.results(), ARTICLES_PER_PAGE), page_asked(request)
    try:
        if number is None:
            raise InvalidPage
        page = paginator.page(number)
    except InvalidPage:
        # Search forgives: a page past the end, or not a number, goes to the nearest page, at
        # its own URL (a redirect: no page is built for each odd value).
        nearest = min(number or 1, paginator.num_pages)
        return redirect(f"{reverse('articles:search')}?{asked.query_string(nearest)}")
    response = render(
        request,
        "articles/search.html",
        {
            "asked": asked,
            "query": asked.query,
            "marked_words": asked.parsed.words,
            "page": page,
            "pagination_params": asked.query_string(),
            "choices": filter_choices(page, asked),
            "orders": ORDERS,
            "max_query_length": MAX_QUERY_LENGTH,
        },
    )
    if asked.too_broad:
        # Refused for taking too long, which depends on the moment: stored by no cache, so
        # that the next try is asked of the database again.
        response.reader_page_not_stored = True
        patch_cache_control(response, private=True, no_store=True)
    return response


# The orders of the topic and provider indexes: "" (A to Z, the default) or "size" (most
# articles first). Any other value is redirected to the A-Z page, so it is never cached.
INDEX_ORDERS = ("", "size")


def index_order(value: str) -> str | None:
    return value if value in INDEX_ORDERS else None


INDEX_READS = {"sort": index_order}


def _index(request, counted, *, template, url_name):
    """A page listing `counted` (topics or providers, each with `article_count`, A to Z) in
    the order `?sort=` asks for."""
    order = index_order(request.GET.get("sort", ""))
    if order is None:
        return redirect(url_name)
    entries = counted()
    if order == "size":
        entries = sorted(entries, key=lambda entry: -entry.article_count)  # stable: A to Z next
    return render(request, template, {"entries": entries, "order": order})


@require_safe
@cache_reader_page(reads=INDEX_READS)
def topic_index(request):
    return _index(
        request,
        topic_counts,
        template="articles/topic_index.html",
        url_name="articles:topic_index",
    )


@require_safe
@cache_reader_page(reads=INDEX_READS)
def provider_index(request):
    return _index(
        request,
        provider_counts,
        template="articles/provider_index.html",
        url_name="articles:provider_index",
    )


def _one_or_404(queryset):
    """The one object, else a 404 that says only "No such page." (not what was looked for)."""
    return _found_or_404(queryset.first())


def _found_or_404(found):
    if found is None:
        raise Http404(NO_SUCH_PAGE)
    return found


@require_safe
def share_image(request, pk):
    article = _one_or_404(Article.objects.published().select_related("provider").filter(pk=pk))
    response = HttpResponse(share_image_png(article), content_type="image/png")
    # Short: an unpublished article's image must leave shared caches soon.
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"sitemap_url": request.build_absolute_uri(reverse("articles:sitemap"))},
        content_type="text/plain; charset=utf-8",
    )


def _story_page_or_404(pk, *, links=True) -> StoryPage:
    return _found_or_404(story_page(pk, links=links))


@require_safe
@cache_reader_page(reads=LISTING_READS)
@listing_view_of
def story(request, pk, slug):
    page = story_page(pk)
    if page is None:  # a story merged away leads to the one it joined, else no page
        joined = _found_or_404(Story.merged_into(pk))
        return redirect("articles:story_short", joined, permanent=True)
    story, coverage, links = page.story, page.coverage, page.links
    if slug != story.slug:
        return redirect(story, permanent=True)
    part = story_part(coverage, *cursors_asked(request), lead=page.lead)  # twenty at a time
    if part is None:
        raise ToFirstPage
    origin = f"{request.scheme}://{request.get_host()}"  # once, not once per article
    page_url = origin + story.get_absolute_url()
    image_url = origin + reverse("articles:story_share_image", args=[story.pk])
    description = Truncator(
        f"{story.title}: {len(coverage)} article{'s' if len(coverage) != 1 else ''} on "
        f"{settings.SITE_NAME}, and {page.links_elsewhere} elsewhere."
    ).chars(160)
    structured_data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": story.title,
        "description": description,
        "url": page_url,
        "image": [image_url],
        "dateModified": coverage[0].source_published_at.isoformat(),
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": origin + article.url,
                    "name": article.title,
                }
                for position, article in enumerate(part.cards, start=1)
            ],
        },
    }
    return listing_response(
        request,
        "articles/story.html",
        part,
        **{
            "story": story,
            "coverage": coverage,
            "links": links if part.first else [],  # "Elsewhere" on the first page only
            "links_elsewhere": page.links_elsewhere,
            "description": description,
            "page_url": page_url,
            "share_image_url": image_url,
            "json_ld": json_ld(structured_data),
            # The title readers see is one of its articles': that article's language.
            "title_language": next(
                (card.language for card in coverage if card.title == story.title), ""
            ),
        },
    )


@require_safe
@cache_reader_page
def story_short(request, pk):
    """/stories/<id>/: to the story's page at its full address (listings, the article page and
    the sitemap link here: the title readers see is known only once the page is built)."""
    # Not permanent: the title readers see changes with what is published.
    page = story_page(pk, links=False)
    if page is None:  # merged away: to the story it joined
        return redirect("articles:story_short", _found_or_404(Story.merged_into(pk)))
    return redirect(page.story)


@require_safe
@cache_reader_page
def story_share_image(request, pk):
    page = _story_page_or_404(pk, links=False)
    response = HttpResponse(
        story_share_image_png(page.story, page.coverage), content_type="image/png"
    )
    patch_cache_control(response, public=True, max_age=300)  # as share_image
    return response
