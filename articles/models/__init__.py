"""The domain's models, one module per aggregate: providers, articles (with their topics and
related links), corrections (of headlines and excerpts), review decisions, stories (with their
corrections), import runs, saved desk views, the reader-pages version, periodic tasks' next runs,
webhooks; and `visibility`, the rule of what readers may see. Everything is re-exported here, so
`from articles.models import X` is the one way in; the app label stays `articles`.

May import: Django, taggit, `articles.editorial` (the writes the models inherit). Nothing else
of the app."""

from articles.editorial.corrections import shown
from articles.editorial.story_decisions import StoryDecision
from articles.editorial.undo import Undo
from articles.editorial.writes import readers_see_changes
from articles.models.articles import Article, ArticleQuerySet, RelatedLink, TaggedArticle
from articles.models.corrections import Correction, CorrectionQuerySet
from articles.models.decisions import ReviewDecision, ReviewDecisionQuerySet
from articles.models.desk_views import SavedDeskView
from articles.models.import_rules import ImportRule, RuleFiring
from articles.models.imports import ImportRun, ImportRunQuerySet
from articles.models.periodic import PeriodicTaskRun
from articles.models.providers import Provider
from articles.models.reader_pages import ReaderPagesVersion
from articles.models.sources import ImportSource, SourceFile
from articles.models.stories import Story, StoryCorrection, StoryQuerySet
from articles.models.visibility import LARGEST_ID, database_id, visible_to_readers
from articles.models.webhooks import (
    EVENTS,
    ArticleAnnouncement,
    WebhookDelivery,
    WebhookEndpoint,
)

__all__ = [
    "EVENTS",
    "ArticleAnnouncement",
    "WebhookDelivery",
    "WebhookEndpoint",
    "LARGEST_ID",
    "Article",
    "ArticleQuerySet",
    "Correction",
    "CorrectionQuerySet",
    "ImportRun",
    "ImportRule",
    "ImportRunQuerySet",
    "ImportSource",
    "PeriodicTaskRun",
    "Provider",
    "ReaderPagesVersion",
    "RelatedLink",
    "RuleFiring",
    "ReviewDecision",
    "ReviewDecisionQuerySet",
    "SavedDeskView",
    "SourceFile",
    "Story",
    "StoryCorrection",
    "StoryDecision",
    "StoryQuerySet",
    "TaggedArticle",
    "Undo",
    "database_id",
    "readers_see_changes",
    "shown",
    "visible_to_readers",
]
