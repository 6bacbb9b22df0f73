"""An article's history as one list: the review decisions (`ReviewDecision`, what editors
decided and how), the corrections of its headline and excerpt (`Correction`, old and new), the
import rules that fired as it was created (`RuleFiring`) and Django's own change log (`LogEntry`:
older saves, deletions of related
rows, anything else the admin logged), merged, newest first."""

from dataclasses import dataclass
from datetime import datetime
from heapq import merge

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from articles.admin.display import schedule_text, username, when

SHOWN = 100  # of each kind; the decisions list has them all


@dataclass
class HistoryEntry:
    at: datetime
    who: str
    what: str
    how: str  # the path a decision came by, or "change log"

    @property
    def moment(self):
        return when(self.at)


def _decisions(article):
    for decision in article.decisions.select_related("editor")[:SHOWN]:
        what = decision.get_change_display()
        if decision.publish_at or decision.unpublish_at:
            what += f"; schedule {schedule_text(decision.publish_at, decision.unpublish_at)}"
        yield HistoryEntry(
            decision.decided_at, username(decision.editor), what, decision.get_via_display()
        )


def _quoted(text: str, source: str) -> str:
    return f"“{text}”" if text else f"the source's (“{source}”)"


def _corrections(article):
    for correction in article.corrections.select_related("editor")[:SHOWN]:
        changes = []
        if correction.old_title != correction.new_title:
            old, new = correction.old_title, correction.new_title
            changes.append(
                f"headline {_quoted(old, article.title)} → {_quoted(new, article.title)}"
            )
        if correction.old_excerpt != correction.new_excerpt:
            old, new = correction.old_excerpt, correction.new_excerpt
            changes.append(
                f"excerpt {_quoted(old, article.excerpt)} → {_quoted(new, article.excerpt)}"
            )
        if correction.note:
            changes.append(f"public note: {correction.note}")
        yield HistoryEntry(
            correction.made_at, username(correction.editor), "; ".join(changes), "correction"
        )


def _change_log(article):
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(article), object_id=str(article.pk)
        )
        .select_related("user")
        .order_by("-action_time", "-id")[:SHOWN]
    )
    for entry in entries:
        yield HistoryEntry(
            entry.action_time, username(entry.user), entry.get_change_message(), "change log"
        )


def _rule_firings(article):
    for firing in article.rule_firings.all()[:SHOWN]:
        what = f"import rule {firing.rule_name!r}: {firing.get_action_display()}"
        if firing.detail:
            what += f" ({firing.detail})"
        who = f"import run {firing.import_run_id}" if firing.import_run_id else "import"
        yield HistoryEntry(firing.fired_at, who, what, "import rule")


def article_history(article) -> tuple[list[HistoryEntry], bool]:
    """The entries, newest first, and whether older ones were left out."""
    decisions, changes = list(_decisions(article)), list(_change_log(article))
    corrections, firings = list(_corrections(article)), list(_rule_firings(article))
    entries = list(
        merge(decisions, corrections, changes, firings, key=lambda entry: entry.at, reverse=True)
    )
    return entries, SHOWN in (len(decisions), len(changes), len(corrections), len(firings))
