"""The Jinja2 environment of the reader pages (templates/jinja2/).

Reader pages are rendered with Jinja2, through Django's own Jinja2 backend; the admin keeps
Django templates. The templates make their own URLs and dates with the memoised `url()` and
the filters below, where Django's `{% url %}` and `date` cost tens of µs each. Against a port
to Django templates with those prepared in the view (bench/template_engines.py), Jinja2 renders
the uncached article page 0.15-0.6 ms faster (2-11%), and neither holds the 0.25x target on it
(docs/PERFORMANCE.md): Jinja2 stays, and only the reader (this package) uses it.
"""

import dataclasses
import functools
import operator

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from jinja2 import Environment, Undefined
from markupsafe import Markup

from articles.reader.markdown import http_url
from articles.search.highlight import highlight


def environment(**options) -> Environment:
    # A missing value prints as nothing, as in Django templates, in DEBUG too (Django's
    # backend would print "{{ name }}" there).
    env = Environment(**{**options, "undefined": Undefined})
    # Read when a page is rendered, so tests and settings changes see the current name; a
    # global, not a context processor, because the 500 page is rendered without a request.
    env.globals.update(
        static=static,
        url=url,
        site_name=lazy(lambda: settings.SITE_NAME, str)(),
        page_language=PAGE_LANGUAGE,
        card_html=remembered_cards(env),
    )
    env.filters.update(
        http_only=http_url,
        date_element=date_element,
        datetime_element=datetime_element,
        truncatewords=truncatewords,
        highlight=highlight,
        topic_links=topic_links,
        listing_part=listing_part,
        lang_attr=lang_attr,
    )
    return env


# Cards a process remembers the markup of (`remembered_cards`): a few listings' worth, read again
# page after page; at about 1 KB of markup and its values each, a few MB.
CARDS_REMEMBERED = 2048


def remembered_cards(env: Environment):
    """`card_html(card)`: a card (`reader.cards.Card`) as the `card` macro of _cards.html renders
    it, remembered by every value the card holds. Rendering twenty cards' markup was a third of a
    listing's time (docs/PERFORMANCE.md), and the same cards come back page after page; any edit
    to an article, its provider or its topics changes a value, so the markup is never stale."""

    # Where templates reload when edited (DEBUG), an edited card macro shows at once.
    @functools.lru_cache(maxsize=0 if env.auto_reload else CARDS_REMEMBERED)
    def markup(kind, values: tuple) -> Markup:
        card = env.get_template("articles/_cards.html").module.card
        return Markup(card(kind(*values)))

    @functools.cache
    def values_of(kind) -> operator.attrgetter:
        return operator.attrgetter(*(f.name for f in dataclasses.fields(kind)))

    def card_html(card) -> Markup:
        values = values_of(type(card))(card)
        # A card's one list (its topics) as a tuple: hashable, and the macro reads it alike.
        return markup(type(card), tuple(tuple(v) if type(v) is list else v for v in values))

    card_html.cache_clear, card_html.cache_info = markup.cache_clear, markup.cache_info
    return card_html


def ready_for_first_request() -> None:
    """Compile every reader template and fill the URL resolver now, as the app loads: both
    are otherwise done by a process's first requests (~100 ms measured at 100,000 articles).
    In gunicorn's master (the app preloaded, gunicorn.conf.py) every worker it forks, and each
    one that replaces a worker after `max_requests`, starts with them; no database is touched."""
    from django.template import engines

    for engine in engines.all():
        env = getattr(engine, "env", None)
        if isinstance(env, Environment):
            for name in env.list_templates():
                env.get_template(name)
    reverse("articles:home")  # the first reverse() fills the resolver's tables


# The language reader pages are written in (`<html lang>` in base.html): their own words, the
# navigation and bylines, and most articles.
PAGE_LANGUAGE = "en"


def lang_attr(language: str) -> str:
    """` lang="fr"` for text in another language than the page's (WCAG 3.1.2), else "": put
    it on the element that holds an article's title, excerpt or body."""
    if not language or language.partition("-")[0].lower() == PAGE_LANGUAGE:
        return ""
    return _lang_attr(language)


@functools.lru_cache(maxsize=256)
def _lang_attr(language: str) -> str:
    # A stored tag is checked at import (articles/languages/tags.py): letters, digits, "-".
    return mark_safe(f' lang="{escape(language)}"')


def url_maker():
    """`url` for the many URLs of one page: the script prefix and URLconf looked up once."""
    script_prefix, urlconf = get_script_prefix(), get_urlconf()
    return lambda name, *args: _reverse(script_prefix, urlconf, name, args)


def url(name: str, *args) -> str:
    """{{ url("articles:topic", topic.slug) }}, as Django's {% url %} tag, remembered: a page
    asks for a dozen URLs that never change while the process runs."""
    return _reverse(get_script_prefix(), get_urlconf(), name, args)


@functools.lru_cache(maxsize=4096)
def _reverse(script_prefix, urlconf, name, args) -> str:
    return reverse(name, args=args, urlconf=urlconf)


def topic_links(topics) -> list[tuple[str, str]]:
    """Topics as the `topic_list` macro shows them: (name, its page's URL, or "" when the name
    makes no slug and so has no page)."""
    make = url_maker()
    return [(t.name, make("articles:topic", t.slug) if t.slug else "") for t in topics]


# The remembered words are cut from at most this much of a text: a cache keyed on whole texts
# held every excerpt it saw (a worker grew from 100 to 270 MB in ten home pages of megabyte
# excerpts); 4,096 entries of this size stay near 16 MB whatever the texts are.
WORDS_FROM = 2000


def truncatewords(text: str, count: int) -> str:
    """As Django's truncatewords filter: at most `count` words, then an ellipsis."""
    if len(text) <= WORDS_FROM:
        return _truncatewords(text, count, False)
    head = text[:WORDS_FROM]
    if not text[WORDS_FROM].isspace() and not head[-1].isspace():
        head = head.rsplit(None, 1)[0] if len(head.split(None, 1)) > 1 else head
    return _truncatewords(head, count, True)


@functools.lru_cache(maxsize=4096)  # a listing's excerpts, page after page
def _truncatewords(text: str, count: int, longer: bool) -> str:
    shortened = Truncator(text).words(count, truncate=" …")
    if longer and len(text.split()) <= count:  # the text goes on after these words
        shortened = shortened.rstrip() + " …"
    return shortened


# The two ways reader pages show a moment: a <time> element whose text is "3 February 2024"
# (or "3 February 2024, 10:00 UTC"), in the site's time zone. Every part is a number, an ISO
# string, a month name from Django's catalogue or a zone name, so there is nothing to escape.


def date_element(value) -> str:
    if not value:
        return ""
    return _date_element(value, timezone.get_current_timezone(), get_language())


def date_element_maker():
    """`date_element` for the many dates of one page: time zone and language looked up once."""
    zone, language = timezone.get_current_timezone(), get_language()
    return lambda value: _date_element(value, zone, language) if value else ""


# Remembered: a listing shows twenty dates, and a month's name is a translation lookup.
@functools.lru_cache(maxsize=4096)
def _date_element(value, zone, language) -> str:
    local = timezone.localtime(value, zone)
    day = f"{local.day} {MONTHS[local.month]} {local.year}"
    return mark_safe(f'<time datetime="{local.isoformat()}">{day}</time>')


def datetime_element(value) -> str:
    if not value:
        return ""
    local = timezone.localtime(value)
    return mark_safe(
        f'<time datetime="{local.isoformat()}">{local.day} {MONTHS[local.month]} {local.year}, '
        f"{local:%H:%M} {local.tzname() or ''}</time>"
    )


def listing_part(page) -> str:
    """Which part of a listing a later page is (`reader.listings.ListingPage`), for its title
    and heading: "older than 12 March 2026, 14:05" in the site's time zone; "" on the first."""
    if page.cursor is None:
        return ""
    local = timezone.localtime(page.cursor.date)
    return f"{page.direction} than {local.day} {MONTHS[local.month]} {local.year}, {local:%H:%M}"
