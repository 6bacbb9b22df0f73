"""Applying import rules (`articles.models.ImportRule`) to arriving items.

The rules are loaded once per import (`RuleSet.load`) and compiled: domains and topics into sets,
words into one case-insensitive alternation, a pattern with the `regex` module and a time limit
per search (`PATTERN_SECONDS`; a pattern that runs over does not match, and says so in the run's
warnings). They are tried in order on each *new* article only: an existing article is never
touched, so an editor's decision always stands. The first rule that matches applies; later rules
are tried too only while the matching rules say "later rules still apply". A skip stops at once.
The same `Facts` are built from a seed item (an import) and from a stored article (the rule page's
"would have matched" preview), so both read one set of conditions.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import regex
from django.db import transaction

from articles.models import ImportRule, RuleFiring
from articles.page_cache import forget

PATTERN_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class Facts:
    """What a rule's conditions read of an item."""

    domain: str
    topics: frozenset[str]  # lower case
    category: str
    type: str
    quality: int | None
    heat: int | None
    text: str  # title and excerpt, one line apart
    lower: str = ""  # `text` in lower case (words are first looked for in it)

    def __post_init__(self):
        object.__setattr__(self, "lower", self.text.lower())

    @classmethod
    def of_item(cls, item) -> Facts:
        return cls(
            item.provider.domain.lower(),
            frozenset(topic.lower() for topic in item.topics),
            item.category,
            item.type,
            item.quality,
            item.heat,
            f"{item.title}\n{item.excerpt}",
        )

    @classmethod
    def of_article(cls, article, topics) -> Facts:
        return cls(
            article.provider.domain.lower(),
            frozenset(topic.lower() for topic in topics),
            article.category,
            article.type,
            article.quality,
            article.heat,
            f"{article.title}\n{article.excerpt}",
        )


# Whether any rule ever flagged an article, as the desk remembers it (admin/desk/flags.py).
DESK_HAS_FLAGS = "newsroom:admin:desk-has-flags"


@dataclass(frozen=True, slots=True)
class Firing:
    rule_id: int
    rule_name: str
    action: str
    detail: str = ""
    desk_view_id: int | None = None


@dataclass
class Outcome:
    """What the rules do to one item."""

    firings: list[Firing] = field(default_factory=list)
    skipped_by: str = ""  # the rule's name
    published: bool | None = None  # None: as the seed and HOLD_NEW_ARTICLES say
    topics: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.firings)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CompiledRule:
    def __init__(self, rule: ImportRule):
        self.id, self.name, self.action = rule.id, rule.name, rule.action
        self.continue_after = rule.continue_after
        self.domains = frozenset(
            domain.lower().removeprefix("www.") for domain in _lines(rule.providers)
        )
        self.topics = frozenset(topic.lower() for topic in _lines(rule.topics))
        self.category, self.type = rule.category.strip(), rule.type.strip()
        self.quality = (rule.quality_min, rule.quality_max)
        self.heat = (rule.heat_min, rule.heat_max)
        words = _lines(rule.words)
        self.lowered_words = [word.lower() for word in words]
        self.pattern = regex.compile(rule.pattern, regex.IGNORECASE) if rule.pattern else None
        self.detail, self.desk_view_id = "", None
        if rule.action == ImportRule.Action.ADD_TOPIC:
            self.detail = rule.topic.strip()
        elif rule.action == ImportRule.Action.FLAG:
            self.detail = str(rule.desk_view) if rule.desk_view_id else ""
            self.desk_view_id = rule.desk_view_id
        self.timed_out = 0

    def matches(self, facts: Facts) -> bool:
        # Cheapest conditions first.
        if self.category and facts.category != self.category:
            return False
        if self.type and facts.type != self.type:
            return False
        if not (_within(facts.quality, self.quality) and _within(facts.heat, self.heat)):
            return False
        if self.domains and not _domain_in(facts.domain, self.domains):
            return False
        if self.topics and not (self.topics & facts.topics):
            return False
        if self.lowered_words and not any(
            _has_word(facts.lower, word) for word in self.lowered_words
        ):
            return False
        return self.pattern is None or self._search(self.pattern, facts.text) is not None

    def _search(self, compiled, text: str):
        try:
            return compiled.search(text, timeout=PATTERN_SECONDS)
        except TimeoutError:
            self.timed_out += 1
            return None


def _has_word(text: str, word: str) -> bool:
    """`word` in `text` (both lower case) as a whole word: not inside a longer word. Substring
    searches, several times faster than a regular expression over a long excerpt."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        start = text.find(word, start + 1)
    return False


def _within(value: int | None, bounds: tuple[int | None, int | None]) -> bool:
    low, high = bounds
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def _domain_in(domain: str, domains: frozenset[str]) -> bool:
    domain = domain.removeprefix("www.")
    while True:
        if domain in domains:
            return True
        if "." not in domain:
            return False
        domain = domain.split(".", 1)[1]


class RuleSet:
    """The enabled rules, in order, compiled once."""

    def __init__(self, rules):
        self.rules = [CompiledRule(rule) for rule in rules]
        self.seconds = 0.0  # spent applying them (the import's summary reports it)

    @classmethod
    def load(cls) -> RuleSet:
        return cls(ImportRule.objects.filter(enabled=True).select_related("desk_view"))

    def __bool__(self) -> bool:
        return bool(self.rules)

    def apply(self, facts: Facts) -> Outcome:
        started = time.perf_counter()
        try:
            return self._apply(facts)
        finally:
            self.seconds += time.perf_counter() - started

    def _apply(self, facts: Facts) -> Outcome:
        outcome = Outcome()
        for rule in self.rules:
            if not rule.matches(facts):
                continue
            outcome.firings.append(
                Firing(rule.id, rule.name, rule.action, rule.detail, rule.desk_view_id)
            )
            if rule.action == ImportRule.Action.SKIP:
                outcome.skipped_by = rule.name
                return outcome
            if rule.action == ImportRule.Action.HOLD and outcome.published is None:
                outcome.published = False
            elif rule.action == ImportRule.Action.PUBLISH and outcome.published is None:
                outcome.published = True
            elif rule.action == ImportRule.Action.ADD_TOPIC and rule.detail:
                outcome.topics.append(rule.detail)
            if not rule.continue_after:
                break
        return outcome

    def timeouts(self) -> list[str]:
        return [
            f"import rule {rule.name!r}: its pattern ran over {PATTERN_SECONDS * 1000:.0f} ms on "
            f"{rule.timed_out} item(s), which it did not match"
            for rule in self.rules
            if rule.timed_out
        ]


@dataclass
class Applied:
    """A batch's new items after the rules: those to write (with the topics rules added), the
    skipped ones, and each written item's outcome by canonical URL."""

    items: list
    skipped: list[tuple[str, str]]  # (file, rule name)
    outcomes: dict[str, Outcome]


def apply_to_new(rules: RuleSet | None, items: list, existing: set[str]) -> Applied:
    """Apply `rules` to the items whose canonical URL is not in `existing` (new articles)."""
    if not rules:
        return Applied(items, [], {})
    kept, skipped, outcomes = [], [], {}
    for item in items:
        if item.canonical_url in existing:
            kept.append(item)
            continue
        outcome = rules.apply(Facts.of_item(item))
        if outcome.skipped_by:
            skipped.append((item.file_name, outcome.skipped_by))
            continue
        if outcome:
            outcomes[item.canonical_url] = outcome
            added = [topic for topic in outcome.topics if topic not in item.topics]
            if added:
                item = replace(item, topics=[*item.topics, *added])
        kept.append(item)
    return Applied(kept, skipped, outcomes)


def record_firings(outcomes: dict[str, Outcome], article_ids: dict[str, int], run_id) -> None:
    """One `RuleFiring` row per rule that fired on each created article; a flag among them
    makes the desk look for flags again (`admin/desk/flags.flag_marks`)."""
    if any(f.action == ImportRule.Action.FLAG for o in outcomes.values() for f in o.firings):
        transaction.on_commit(lambda: forget(DESK_HAS_FLAGS))
    RuleFiring.objects.bulk_create(
        [
            RuleFiring(
                article_id=article_ids[url],
                rule_id=firing.rule_id,
                rule_name=firing.rule_name,
                action=firing.action,
                detail=firing.detail[:200],
                desk_view_id=firing.desk_view_id,
                import_run_id=run_id,
            )
            for url, outcome in outcomes.items()
            for firing in outcome.firings
        ]
    )


def topics_rules_added(article_ids: list[int]) -> dict[int, list[str]]:
    """The topics rules added to these articles when they were created: an update from the seed
    file rewrites the article's topics, and keeps these."""
    added: dict[int, list[str]] = {}
    for article_id, topic in RuleFiring.objects.filter(
        article_id__in=article_ids, action=ImportRule.Action.ADD_TOPIC
    ).values_list("article_id", "detail"):
        added.setdefault(article_id, []).append(topic)
    return added
