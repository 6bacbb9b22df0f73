"""The reader's search page: what its URL may ask, checked at the edge, and what it then finds.

    /search/?q=words&topic=slug&provider=domain&from=2024-01-01&to=2024-12-31&order=newest&page=2

Every parameter has a canonical form (`SEARCH_READS`, for the page cache's key): a value out of
that form is never stored in the cache, and the page says in words what it left out and why,
rather than failing. The query language itself is articles/search/query.py.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils import timezone

from articles.canonical_values import page_number
from articles.models import Article
from articles.search.backends.base import SearchTooBroad
from articles.search.query import (
    MAX_ALTERNATIVES,
    MAX_PHRASES,
    MAX_TERMS,
    ParsedQuery,
    clean_query,
    parse_query,
)
from articles.search.ranking import SearchResults, search

ORDERS = {"": "best first", "newest": "newest first"}
_SLUG = re.compile(r"[-\w]{1,100}")
_DOMAIN = re.compile(r"[a-z0-9][-a-z0-9.]{0,252}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _day(value: str) -> dt.date | None:
    if not (value.isascii() and _DATE.fullmatch(value)):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    # The search runs to the midnight after `to`: the last day Python can add one to.
    return day if day < dt.date.max else None


def canonical_date(value: str) -> str | None:
    return "" if value == "" else (value if _day(value) else None)


def canonical_topic(value: str) -> str | None:
    return "" if value == "" else (value if _SLUG.fullmatch(value) else None)


def canonical_provider(value: str) -> str | None:
    return "" if value == "" else (value if value.isascii() and _DOMAIN.fullmatch(value) else None)


def canonical_order(value: str) -> str | None:
    return value if value in ORDERS else None


# What the search page reads from its URL, each in its canonical form (see page_cache).
SEARCH_READS = {
    "q": clean_query,
    "topic": canonical_topic,
    "provider": canonical_provider,
    "from": canonical_date,
    "to": canonical_date,
    "order": canonical_order,
    "page": page_number,
}


@dataclass
class SearchRequest:
    """What a reader asked for, every value valid; `problems` says what was left out."""

    query: str = ""
    topic: str = ""
    provider: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    order: str = ""
    problems: list[str] = field(default_factory=list)
    too_broad: bool = False  # the index gave up on the query in time (results() says so)

    @classmethod
    def from_url(cls, parameters) -> "SearchRequest":
        asked = cls(query=clean_query(parameters.get("q")))
        if left_out := asked.parsed.left_out:
            asked.problems.append(
                f"Your search was shortened: {_listed(left_out)} "
                f"{'was' if len(left_out) == 1 else 'were'} left out. A search looks for at "
                f"most {MAX_TERMS} words or phrases, {MAX_PHRASES} of them phrases, and "
                f"{MAX_ALTERNATIVES} alternatives joined by “or”."
            )
        for name, label in (("topic", "topic"), ("provider", "provider")):
            value = parameters.get(name, "")
            if SEARCH_READS[name](value) is None:
                asked.problems.append(f"There is no {label} “{_shown(value)}”: it was left out.")
            else:
                setattr(asked, name, value)
        for name, attribute in (("from", "since"), ("to", "until")):
            value = parameters.get(name, "")
            if value and _day(value) is None:
                asked.problems.append(
                    f"“{_shown(value)}” is not a date: write it like 2024-03-01. "
                    f"The “{name}” date was left out."
                )
            setattr(asked, attribute, _day(value))
        if asked.since and asked.until and asked.since > asked.until:
            asked.problems.append("The “from” date is after the “to” date: both were left out.")
            asked.since = asked.until = None
        order = parameters.get("order", "")
        asked.order = order if order in ORDERS else ""
        if order not in ORDERS:
            asked.problems.append(
                "Results come best first (or newest first): the order asked for was left out."
            )
        return asked

    @property
    def parsed(self) -> ParsedQuery:
        return parse_query(self.query)

    @property
    def filtered(self) -> bool:
        return bool(self.topic or self.provider or self.since or self.until)

    def results(self):
        """Published articles that match, ready for a page of cards."""
        articles = Article.objects.published()
        if self.topic:
            articles = articles.filter(topics__slug=self.topic)
        if self.provider:
            articles = articles.filter(provider__domain=self.provider)
        if self.since:
            articles = articles.filter(source_published_at__gte=_midnight(self.since))
        if self.until:
            articles = articles.filter(source_published_at__lt=_midnight(self.until, 1))
        # A card needs neither the body nor the payloads.
        cards = articles.defer("body", "secured", "extra")
        cards = cards.select_related("provider").prefetch_related("topics")
        newest_first = self.order == "newest"
        try:
            return search(cards, self.parsed, newest_first=newest_first)
        except SearchTooBroad:
            self.too_broad = True
            self.problems.append(
                "This search is too broad to answer in time. Narrow it: add a word or a "
                "“phrase”, use fewer alternatives with “or”, or choose a topic, a source or dates."
            )
            return SearchResults([], cards, newest_first=newest_first)

    def parameters(self, page: int = 1) -> dict[str, str]:
        """The URL parameters of this search, canonical, without the empty ones."""
        values = {
            "q": self.query,
            "topic": self.topic,
            "provider": self.provider,
            "from": self.since.isoformat() if self.since else "",
            "to": self.until.isoformat() if self.until else "",
            "order": self.order,
            "page": str(page) if page > 1 else "",
        }
        return {name: value for name, value in values.items() if value}

    def query_string(self, page: int = 1) -> str:
        return urlencode(self.parameters(page))


def _midnight(day: dt.date, days_after: int = 0) -> dt.datetime:
    """The start of `day` (plus `days_after`) in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days_after), dt.time.min))


def _shown(value: str) -> str:
    """A refused value as the page repeats it: short, printable."""
    printable = "".join(c if c.isprintable() else " " for c in value)
    return printable[:40] + ("…" if len(printable) > 40 else "")


def _listed(typed) -> str:
    shown = [f"“{_shown(text)}”" for text in typed[:5]]
    if len(typed) > 5:
        shown.append(f"{len(typed) - 5} more")
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]


def filter_choices(page, asked: SearchRequest) -> dict[str, list[tuple[str, str]]]:
    """Topics and providers to narrow the results by: those of the articles on this page (no
    query of their own), and the one chosen. [(value, name)] sorted by name."""
    topics = {t.slug: t.name for article in page for t in article.topics.all()}
    providers = {article.provider.domain: article.provider.name for article in page}
    topics.setdefault(asked.topic, asked.topic)
    providers.setdefault(asked.provider, asked.provider)
    topics.pop("", None)
    providers.pop("", None)

    def by_name(choices):
        return sorted(choices.items(), key=lambda item: item[1].casefold())

    return {"topics": by_name(topics), "providers": by_name(providers)}
