"""What the pages say of a story the clusterer formed, from what it stored at clustering time
(`Article.story_evidence`, written by `writing`, made by `index.evidence`): why each article is
in it, and the stories it nearly took in ("might be the same story"), never one an editor split
from it. Read by the Story admin and the desk; nothing here loads a model or clusters again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from articles.models import Article, Story, StoryCorrection

NEAR_MISSES_SHOWN = 3
# `index.WINDOW` (a test holds them equal; index is not imported here: it brings numpy, which
# web workers never load): an article nearly joined a story that was in its window.
NEAR_SPAN = dt.timedelta(hours=72)


def why(evidence: dict | None, pinned: bool = False) -> str:
    """One line an editor reads: what placed this article in its story (and whether an
    editor's correction keeps it there)."""
    said = _why(evidence)
    return f"{said}; kept there by an editor's correction" if pinned else said


def _why(evidence: dict | None) -> str:
    if not evidence:
        return "placed before reasons were kept, or by an editor"
    how = evidence.get("how")
    if how == "link":
        return f"shares a related link: {evidence.get('url', '')}"
    if how == "text":
        words = ", ".join(evidence.get("words", []))
        parts = [f"similarity {evidence.get('score', 0):.2f}"]
        if "semantic" in evidence:
            parts.append(
                f"words {evidence.get('lexical', 0):.2f}, meaning {evidence['semantic']:.2f}"
            )
        if "threshold" in evidence:
            # Moved for this story (`clustering.limits`): eased by a shared headline, raised
            # by numbers that differ.
            parts.append(f"threshold here {evidence['threshold']:.2f}")
        if evidence.get("names"):
            parts.append(f"shared names: {', '.join(evidence['names'])}")
        return f"{'; '.join(parts)}; shared words: {words}" if words else "; ".join(parts)
    if how == "new":
        return "started the story: nothing in the window was close enough"
    return str(how)


@dataclass
class NearMiss:
    story: Story
    score: float
    article_id: int  # the member whose evidence names it


def near_misses(
    story: Story, members: list[Article] | None = None, *, incoming: bool = True
) -> list[NearMiss]:
    """Stories that a member of `story` nearly joined when it was placed (and, if `incoming`,
    whose members nearly joined this one), best first: each still a different story, and never
    one an editor split from this one (or this one from). Without `members`, all of the
    story's are read; the desk passes those it shows and asks for no incoming ones (one query
    fewer per entry)."""
    if members is None:
        members = list(story.articles.only("id", "story_evidence", "source_published_at"))
    best: dict[int, tuple[float, int]] = {}  # the other story's member -> (score, ours)
    for member in members:
        _keep_best(best, (member.story_evidence or {}).get("near"), member.pk)
    if incoming and members and story.first_seen_at and story.last_seen_at:
        ours = {member.pk for member in members}
        nearby = Article.objects.filter(
            source_published_at__gte=story.first_seen_at - NEAR_SPAN,
            source_published_at__lte=story.last_seen_at + NEAR_SPAN,
            story_evidence__near__article__in=list(ours),
        ).values_list("pk", "story_evidence")
        for pk, evidence in nearby:
            near = evidence["near"]
            _keep_best(best, {"article": pk, "score": near.get("score", 0)}, near["article"])
    if not best:
        return []
    story_of = dict(
        Article.objects.filter(pk__in=best, story__isnull=False)
        .exclude(story=story)
        .values_list("pk", "story_id")
    )
    by_story: dict[int, tuple[float, int]] = {}
    for article_id, other in story_of.items():
        if best[article_id][0] > by_story.get(other, (-1.0, 0))[0]:
            by_story[other] = best[article_id]
    for other in split_apart(story, set(by_story)):
        del by_story[other]
    stories = Story.objects.in_bulk(list(by_story))
    found = [
        NearMiss(stories[pk], score, ours)
        for pk, (score, ours) in by_story.items()
        if pk in stories
    ]
    found.sort(key=lambda near: (-near.score, near.story.pk))
    return found[:NEAR_MISSES_SHOWN]


def _keep_best(best: dict, near: dict | None, ours: int) -> None:
    if near and isinstance(near.get("article"), int):
        score = float(near.get("score", 0))
        if score > best.get(near["article"], (-1.0, 0))[0]:
            best[near["article"]] = (score, ours)


def split_apart(story: Story, others: set[int]) -> set[int]:
    """Those of `others` that an editor split from `story`, or `story` from: a split's
    correction is kept on the story the article left and names the article, now elsewhere."""
    if not others:
        return set()
    member_ids = story.articles.values("pk")
    theirs = StoryCorrection.objects.filter(
        change=StoryCorrection.Change.SPLIT, story__in=others, article__in=member_ids
    ).values_list("story_id", flat=True)
    ours = StoryCorrection.objects.filter(
        change=StoryCorrection.Change.SPLIT, story=story, article__story__in=others
    ).values_list("article__story_id", flat=True)
    return set(theirs) | set(ours)
