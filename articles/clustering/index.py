"""The sliding window of one sweep: the stories of the last `WINDOW` in memory, and where each
new article goes: by explicit links first, then by its text against each story's centroid (the
docstring of `stories` says why). No database: `StoryIndex` is fed `Item`s in date order and
hands each story that leaves the window to `on_done`."""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field

from articles.models import Story

WINDOW = dt.timedelta(hours=72)
# Cosine between an article and a story's centroid from which it joins: precision first (B-cubed
# precision 0.92, recall 0.54 on bench/stories.py's real labelled set; 0.25 gave 0.87 / 0.63).
TEXT_THRESHOLD = 0.3
# A term in more than this share of the window's articles says nothing about an event (but a
# small window counts at least COMMON_TERM_FLOOR, or one busy story would lose its own words).
COMMON_TERM_SHARE = 0.05
COMMON_TERM_FLOOR = 10
# Candidates share at least one of the article's rarest terms; a join needs MIN_SHARED_TERMS.
CANDIDATE_TERMS = 6
MIN_SHARED_TERMS = 2
# A story takes articles by text for this long after its first: an event, not a running theme
# (without it, a story that keeps matching rolls on for months and never leaves the window).
STORY_SPAN = dt.timedelta(days=7)
# A URL listed by more than this share of the window's articles (and more than COMMON_LINK_FLOOR
# of them) is no evidence, as a common term is none: a press office's home page that every item
# links, or one link copied into thousands of seeds, would weld them all into one story.
COMMON_LINK_SHARE = 0.05
COMMON_LINK_FLOOR = 25


@dataclass
class Item:
    """What clustering reads of one article."""

    id: int
    date: dt.datetime
    url: str
    terms: Counter
    related: frozenset[str]
    story_id: int | None  # None: to be placed
    pinned: bool = False
    title: str = ""
    quality: int | None = None
    heat: int | None = None

    @property
    def lead_key(self):
        return Story.lead_key(self.quality, self.heat, self.date, self.id)


@dataclass
class Cluster:
    """A story in the window: its centroid (sum of unit member vectors) and what links to it."""

    key: int  # a Story id, or a negative number for a story this run makes
    last_seen: dt.datetime
    first_seen: dt.datetime
    centroid: dict[str, float] = field(default_factory=dict)
    norm_squared: float = 0.0
    urls: set[str] = field(default_factory=set)  # members' canonical URLs
    related: set[str] = field(default_factory=set)  # URLs members' related links list
    size: int = 0
    placed: list[Item] = field(default_factory=list)  # members this sweep placed

    def add(self, item: Item, vector: dict[str, float]) -> None:
        for term, weight in vector.items():
            old = self.centroid.get(term, 0.0)
            self.centroid[term] = old + weight
            self.norm_squared += 2 * old * weight + weight * weight
        self.urls.add(item.url)
        self.related |= item.related
        self.last_seen = max(self.last_seen, item.date)
        self.first_seen = min(self.first_seen, item.date)
        self.size += 1

    def cosine(self, vector: dict[str, float]) -> float:
        if self.norm_squared <= 0:
            return 0.0
        dot = sum(weight * self.centroid.get(term, 0.0) for term, weight in vector.items())
        return dot / math.sqrt(self.norm_squared)


class StoryIndex:
    """The sliding window of stories one sweep keeps in memory, in date order of its items."""

    def __init__(self, *, window=WINDOW, threshold=TEXT_THRESHOLD, on_done=None):
        """`on_done(cluster)` is called with each story that leaves the window (or, from
        `finish()`, is still in it at the end): it can take no more articles."""
        self.on_done = on_done or (lambda cluster: None)
        self.by_last_seen: list[tuple[dt.datetime, int]] = []  # a heap
        self.window = window
        self.threshold = threshold
        self.clusters: dict[int, Cluster] = {}
        self.by_url: dict[str, int] = {}  # a member's canonical URL -> cluster key
        self.by_related: dict[str, set[int]] = defaultdict(set)  # a related URL -> keys
        self.by_term: dict[str, set[int]] = defaultdict(set)
        self.document_frequency: Counter = Counter()
        self.link_frequency: Counter = Counter()  # a URL -> window articles listing it
        self.recent: deque[tuple[dt.datetime, Counter, frozenset[str]]] = deque()
        self.next_key = -1

    # The window.

    def _advance(self, now: dt.datetime) -> None:
        horizon = now - self.window
        while self.recent and self.recent[0][0] < horizon:
            _, old_terms, old_links = self.recent.popleft()
            # Dropping the zeros: the vocabulary never stops growing.
            for counts, keys in (
                (self.document_frequency, old_terms),
                (self.link_frequency, old_links),
            ):
                for key in keys:
                    left = counts[key] - 1
                    if left:
                        counts[key] = left
                    else:
                        del counts[key]
        # Stories by when they were last seen (entries go stale as stories grow: skip those).
        while self.by_last_seen and self.by_last_seen[0][0] < horizon:
            last_seen, key = heapq.heappop(self.by_last_seen)
            cluster = self.clusters.get(key)
            if cluster is not None and cluster.last_seen == last_seen:
                self.on_done(self._forget(key))

    def finish(self) -> None:
        for key in list(self.clusters):
            self.on_done(self._forget(key))

    def _forget(self, key: int) -> Cluster:
        cluster = self.clusters.pop(key)
        for url in cluster.urls:
            if self.by_url.get(url) == key:
                del self.by_url[url]
        for url in cluster.related:
            keys = self.by_related.get(url)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self.by_related[url]
        for term in cluster.centroid:
            keys = self.by_term.get(term)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self.by_term[term]
        return cluster

    def _vector(self, item: Item) -> dict[str, float]:
        """Unit TF-IDF vector, with the document frequencies of the window; common terms out."""
        documents = len(self.recent) + 1
        common = max(COMMON_TERM_FLOOR, COMMON_TERM_SHARE * documents)
        vector = {}
        for term, count in item.terms.items():
            frequency = self.document_frequency[term] + 1
            if frequency > common:
                continue
            vector[term] = (1 + math.log(count)) * (math.log((documents + 1) / frequency) + 1)
        norm = math.sqrt(sum(w * w for w in vector.values()))
        return {t: w / norm for t, w in vector.items()} if norm else {}

    # Placing items.

    def add(self, item: Item) -> tuple[int, str]:
        """Place `item` (in date order) and return (cluster key, how: "kept", "link", "text" or
        "new"). An item that already has a story keeps it and feeds its centroid."""
        self._advance(item.date)
        vector = self._vector(item)
        linked = self._by_link(item) if item.story_id is None else None
        self.recent.append((item.date, item.terms, item.related))
        self.document_frequency.update(item.terms.keys())
        self.link_frequency.update(item.related)
        if item.story_id is not None:
            key, how = item.story_id, "kept"
        else:
            key, how = linked, "link"
            if key is None:
                key, how = self._by_text(vector, item.date), "text"
            if key is None:
                key, how = self.next_key, "new"
                self.next_key -= 1
        cluster = self.clusters.get(key)
        if cluster is None:
            cluster = self.clusters[key] = Cluster(key, item.date, item.date)
        cluster.add(item, vector)
        heapq.heappush(self.by_last_seen, (cluster.last_seen, key))
        if how != "kept":
            cluster.placed.append(item)
        self.by_url.setdefault(item.url, key)
        for url in item.related:
            self.by_related[url].add(key)
        for term in vector:
            self.by_term[term].add(key)
        return key, how

    def _by_link(self, item: Item) -> int | None:
        """The story the item's links point to: one that opened within `STORY_SPAN`, by URLs
        that few of the window's articles list (`COMMON_LINK_SHARE`)."""
        common = max(COMMON_LINK_FLOOR, COMMON_LINK_SHARE * (len(self.recent) + 1))
        votes: Counter = Counter()
        for url in item.related:
            if self.link_frequency[url] + 1 > common:
                continue
            if url in self.by_url:
                votes[self.by_url[url]] += 2  # it lists a member
            for key in self.by_related.get(url, ()):
                votes[key] += 1  # it lists what a member lists
        if self.link_frequency[item.url] <= common:
            for key in self.by_related.get(item.url, ()):
                votes[key] += 2  # a member lists it
        opened_after = item.date - STORY_SPAN
        for key in [key for key in votes if self.clusters[key].first_seen < opened_after]:
            del votes[key]  # an event, not a running theme: as for text
        if not votes:
            return None
        # The strongest evidence; on a tie, the larger story.
        return max(votes, key=lambda k: (votes[k], self.clusters[k].size, k))

    def _by_text(self, vector: dict[str, float], when: dt.datetime) -> int | None:
        if len(vector) < MIN_SHARED_TERMS:
            return None
        rarest = sorted(vector, key=vector.get, reverse=True)[:CANDIDATE_TERMS]
        candidates = set().union(*(self.by_term.get(term, ()) for term in rarest))
        opened_after = when - STORY_SPAN
        best, best_score = None, self.threshold
        for key in candidates:
            cluster = self.clusters[key]
            if cluster.first_seen < opened_after:
                continue
            if sum(term in cluster.centroid for term in vector) < MIN_SHARED_TERMS:
                continue  # one rare word in common is a coincidence, not an event
            score = cluster.cosine(vector)
            if score >= best_score:
                best, best_score = key, score
        return best
