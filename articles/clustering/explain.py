"""What the pages say of a story the clusterer formed, from what it stored at clustering time
(`Article.story_evidence`, written by `writing`, made by `index.evidence`): why each article is
in it, and the stories it nearly took in ("might be the same story"), never one an editor split
from it. Read by the Story admin and the desk; nothing here loads a model or clusters again."""

from __future__ import annotations

from dataclasses import dataclass

from articles.models import Article, Story, StoryCorrection

NEAR_MISSES_SHOWN = 3


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
        return f"{'; '.join(parts)}; shared words: {words}" if words else "; ".join(parts)
    if how == "new":
        return "started the story: nothing in the window was close enough"
    return str(how)


@dataclass
class NearMiss:
    story: Story
    score: float
    article_id: int  # the member whose evidence names it


def near_misses(story: Story, members: list[Article] | None = None) -> list[NearMiss]:
    """Stories that a member of `story` nearly joined when it was placed, best first: each
    still a different story, and never one an editor split from this one (or this one from)."""
    if members is None:
        members = list(story.articles.only("id", "story_evidence"))
    best: dict[int, tuple[float, int]] = {}  # the other story's member -> (score, ours)
    for member in members:
        near = (member.story_evidence or {}).get("near")
        if near and isinstance(near.get("article"), int):
            score = float(near.get("score", 0))
            if score > best.get(near["article"], (-1.0, 0))[0]:
                best[near["article"]] = (score, member.pk)
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
