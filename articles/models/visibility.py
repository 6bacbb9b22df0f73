"""What readers may see: `visible_to_readers(now)`, written once. `ArticleQuerySet.published()`
asks the database with it; `Article.is_visible(now)` evaluates the same Q on a row in hand
(`_holds`). And `database_id`: whether a value from a URL can be an id at all.

A leaf: it imports nothing of the app. (When readers see a write: `readers_see_changes`, in
`articles.editorial.writes`, re-exported by `articles.models`.)
"""

import operator

from django.db.models import Q

LARGEST_ID = 2**63 - 1  # ids are signed 64-bit integers in the database


def database_id(value) -> int | None:
    """`value` as an id the database can hold, or None: ASCII digits only ("²" and "٣" are digits
    to str.isdigit), no sign or spaces, and no more than LARGEST_ID."""
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()):
        return None
    if len(value) > len(str(LARGEST_ID)):  # before int(): it refuses 4,300 digits and more
        return None
    number = int(value)
    return number if number <= LARGEST_ID else None


def visible_to_readers(now) -> Q:
    """What readers may see: an editor's `published` flag, within its schedule: not before
    `publish_at` (an embargo) and not from `unpublish_at` on (an expiry). Applied when a page is
    built, so no job has to flip flags at those times."""
    return (
        Q(published=True)
        & (Q(publish_at__isnull=True) | Q(publish_at__lte=now))
        & (Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now))
    )


# The lookups `visible_to_readers` uses, as SQL answers them: a comparison with NULL is false.
_LOOKUPS = {
    "exact": operator.eq,
    "isnull": lambda value, wanted: (value is None) == wanted,
    "lte": lambda value, bound: value is not None and value <= bound,
    "gt": lambda value, bound: value is not None and value > bound,
}


def _holds(condition: Q, instance) -> bool:
    """Whether `instance` satisfies `condition`, in Python: the same Q the database is asked,
    so one written rule serves rows in hand (for the article page's fast path) and querysets."""

    def child_holds(child) -> bool:
        if isinstance(child, Q):
            return _holds(child, instance)
        lookup, wanted = child
        field, _, kind = lookup.partition("__")
        return _LOOKUPS[kind or "exact"](getattr(instance, field), wanted)

    results = (child_holds(child) for child in condition.children)
    holds = all(results) if condition.connector == Q.AND else any(results)
    return not holds if condition.negated else holds
