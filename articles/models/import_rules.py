"""Import rules: ordered conditions on an arriving item and what to do with it, and the record of
each firing. Applying them is `articles.ingest.rules`; editors keep them in the admin."""

import regex
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

# A pattern is matched against a title and an excerpt (at most a few thousand characters) by the
# `regex` module with a time limit (`articles.ingest.rules.PATTERN_SECONDS`); a long pattern is
# refused here, before it is saved.
MAX_PATTERN = 200


def check_pattern(pattern: str) -> None:
    if len(pattern) > MAX_PATTERN:
        raise ValidationError(f"A pattern may have at most {MAX_PATTERN} characters.")
    try:
        regex.compile(pattern, regex.IGNORECASE)
    except regex.error as error:
        raise ValidationError(f"Not a valid pattern: {error}.") from None


class ImportRule(models.Model):
    """One rule. Rules are tried in `position` order on each new article; the first that matches
    applies, and later rules are tried too only if it says `continue_after` (a skip always stops).
    Every condition left empty matches anything; the conditions given must all hold."""

    class Action(models.TextChoices):
        HOLD = "hold", "hold for review"
        PUBLISH = "publish", "publish"
        SKIP = "skip", "skip (do not import)"
        ADD_TOPIC = "topic", "add a topic"
        FLAG = "flag", "flag for a saved desk view"

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveIntegerField(default=0, help_text="Lower runs first.")
    enabled = models.BooleanField(default=True)
    # Conditions.
    providers = models.TextField(
        blank=True, help_text="Provider domains, one a line; a subdomain matches its domain."
    )
    topics = models.TextField(blank=True, help_text="Any of these topics, one a line.")
    category = models.CharField(max_length=100, blank=True)
    type = models.CharField(max_length=100, blank=True)
    quality_min = models.IntegerField(null=True, blank=True)
    quality_max = models.IntegerField(null=True, blank=True)
    heat_min = models.IntegerField(null=True, blank=True)
    heat_max = models.IntegerField(null=True, blank=True)
    words = models.TextField(
        blank=True, help_text="Any of these words or phrases in the title or excerpt, one a line."
    )
    pattern = models.CharField(
        max_length=MAX_PATTERN,
        blank=True,
        validators=[check_pattern],
        help_text="A regular expression searched in the title and excerpt (case-insensitive).",
    )
    # What it does.
    action = models.CharField(max_length=10, choices=Action)
    topic = models.CharField(max_length=100, blank=True, help_text="For “add a topic”.")
    desk_view = models.ForeignKey(
        "articles.SavedDeskView",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="For “flag for a saved desk view”.",
    )
    continue_after = models.BooleanField(
        "later rules still apply",
        default=False,
        help_text="Off: this rule is the last one tried on an item it matches.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.action == self.Action.ADD_TOPIC and not self.topic.strip():
            raise ValidationError({"topic": "Name the topic to add."})
        if self.action == self.Action.FLAG and self.desk_view is None:
            raise ValidationError({"desk_view": "Choose the desk view to flag for."})
        for low, high in (("quality_min", "quality_max"), ("heat_min", "heat_max")):
            if None not in (getattr(self, low), getattr(self, high)) and getattr(
                self, low
            ) > getattr(self, high):
                raise ValidationError({high: "The range's top is below its bottom."})


class RuleFiring(models.Model):
    """A rule fired on an article as an import created it (kept when the rule is deleted)."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="rule_firings"
    )
    rule = models.ForeignKey(ImportRule, null=True, on_delete=models.SET_NULL)
    rule_name = models.CharField(max_length=100)
    action = models.CharField(max_length=10, choices=ImportRule.Action)
    detail = models.CharField(max_length=200, blank=True)  # the topic added, the view flagged
    # The saved desk view a FLAG firing put the article in (the desk lists it there).
    desk_view = models.ForeignKey(
        "articles.SavedDeskView",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="flagged",
    )
    import_run = models.ForeignKey(
        "articles.ImportRun", null=True, on_delete=models.SET_NULL, related_name="rule_firings"
    )
    fired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-fired_at", "-id"]

    def __str__(self):
        return f"{self.rule_name}: {self.get_action_display()}"
