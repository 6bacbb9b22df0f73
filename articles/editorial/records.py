"""The one builder of `ReviewDecision` rows, for a decision, a schedule and an undo alike.

Every record says what the article was before, as the write's locked read saw it (`ArticleState`:
published or not, its review, its schedule), and what the write made it. The builder is a
function handed the model class rather than a method of `ReviewDecision`: it is the other half
of the locked read defined here, and this package imports nothing of `articles.models` (the
models import it while they load), so writes reach the class through the article's relation
(`review_decisions`) or as `self.model`.
"""

from datetime import datetime
from typing import NamedTuple


class ArticleState(NamedTuple):
    """An article's editor-owned columns, as a write read them under lock."""

    pk: int
    published: bool
    publish_at: datetime | None
    unpublish_at: datetime | None
    reviewed_at: datetime | None
    reviewed_by_id: int | None

    @property
    def schedule(self) -> tuple:
        return (self.publish_at, self.unpublish_at)


def lock_states(articles) -> list[ArticleState]:
    """Lock these articles' rows (inside a transaction) and read their state: a write that must
    not act on what another editor has changed meanwhile filters `articles` by what it expects,
    and acts on what this returns."""
    rows = articles.select_for_update().order_by().values_list(*ArticleState._fields)
    return [ArticleState(*row) for row in rows]


def review_decisions(article_model):
    """The `ReviewDecision` model, through the article's relation to its decisions."""
    return article_model._meta.get_field("decisions").related_model


def review_decision(
    model, before: ArticleState, *, change, published, schedule, editor, at, via, undoes=None
):
    """One unsaved `model` (ReviewDecision) row: `before`, as read under lock; `published` and
    `schedule` (publish_at, unpublish_at), the state the write leaves."""
    publish_at, unpublish_at = schedule
    return model(
        article_id=before.pk,
        editor=editor,
        decided_at=at,
        change=change,
        via=via,
        was_published=before.published,
        published=published,
        was_reviewed_at=before.reviewed_at,
        was_reviewed_by_id=before.reviewed_by_id,
        was_publish_at=before.publish_at,
        was_unpublish_at=before.unpublish_at,
        publish_at=publish_at,
        unpublish_at=unpublish_at,
        changed_schedule=tuple(schedule) != before.schedule,
        undoes=undoes,
    )
