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

import numpy as np

from articles.clustering import limits
from articles.models import Story

WINDOW = dt.timedelta(hours=72)
# Similarity (`similarity`: TF-IDF and embedding cosines mixed) between an article and a
# story's centroid from which it joins: precision first (docs/performance/stories.md: B-cubed
# 0.93 / 0.64 on ECB+, 0.91 / 0.47 on its titles alone; 0.43 gave 0.90 there). LEXICAL_THRESHOLD:
# the TF-IDF cosine alone, for an article without an embedding (0.93 / 0.65).
TEXT_THRESHOLD = 0.44
LEXICAL_THRESHOLD = 0.35
# A term in more than this share of the window's articles says nothing about an event (0.2
# before names weighed double: 0.5 kept more recall on the UCI slice at the same precision; a
# small window counts at least COMMON_TERM_FLOOR, or one busy story would lose its own words).
COMMON_TERM_SHARE = 0.5
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
# The share of the lexical cosine in the similarity (the rest is the embeddings' cosine): 0.5
# before names weighed double; with them, 0.65 gained recall on ECB+ at the same precision.
LEXICAL_WEIGHT = 0.65
# A story this close under the threshold is a near miss: offered to editors, never joined.
NEAR_MISS_MARGIN = 0.08
SHOWN_WORDS = 6  # shared words kept as evidence
# A name (`Item.names`: a person, place, company) weighs this many times another word in the
# TF-IDF vector: two events of one kind share their kind's words, not their names.
NAME_WEIGHT = 2.0


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
    embedding: np.ndarray | None = None  # unit vector of title and excerpt (`embedding`)
    names: frozenset[str] = frozenset()  # those of `terms` that are names (`words.names`)
    # What placed it (`Evidence`), and the story it nearly joined: filled by `StoryIndex.add`.
    evidence: dict | None = None

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
    embedding: np.ndarray | None = None  # sum of members' unit embeddings (float16)
    first_member: int | None = None  # an article id that names the story in evidence

    def add(self, item: Item, vector: dict[str, float]) -> None:
        if self.first_member is None:
            self.first_member = item.id
        if item.embedding is not None:
            # Kept in float16: the window holds one sum per story, and half the memory matters
            # more than the third decimal of a cosine.
            if self.embedding is None:
                self.embedding = item.embedding.astype(np.float16)
            else:
                self.embedding = (self.embedding + item.embedding).astype(np.float16)
        centroid, norm_squared = self.centroid, self.norm_squared
        for term, weight in vector.items():
            old = centroid.get(term, 0.0)
            centroid[term] = old + weight
            norm_squared += 2 * old * weight + weight * weight
        self.norm_squared = norm_squared
        self.urls.add(item.url)
        self.related |= item.related
        self.last_seen = max(self.last_seen, item.date)
        self.first_seen = min(self.first_seen, item.date)
        self.size += 1

    def cosine(self, vector: dict[str, float], shared: list[str] | None = None) -> float:
        """The cosine of `vector` with the centroid; `shared`, if given, the vector's terms
        the centroid has, in the vector's order (the others add 0.0: the same sum)."""
        if self.norm_squared <= 0:
            return 0.0
        centroid = self.centroid
        if shared is None:
            shared = [term for term in vector if term in centroid]
        dot = sum([vector[term] * centroid[term] for term in shared])
        return dot / math.sqrt(self.norm_squared)

    def embedding_cosine(self, embedding: np.ndarray | None) -> float | None:
        if embedding is None or self.embedding is None:
            return None
        total = self.embedding.astype(np.float32)
        norm = float(np.linalg.norm(total))
        return float(total @ embedding) / norm if norm else 0.0


class StoryIndex:
    """The sliding window of stories one sweep keeps in memory, in date order of its items."""

    def __init__(
        self,
        *,
        window=WINDOW,
        threshold=TEXT_THRESHOLD,
        lexical_threshold=LEXICAL_THRESHOLD,
        on_done=None,
    ):
        """`on_done(cluster)` is called with each story that leaves the window (or, from
        `finish()`, is still in it at the end): it can take no more articles."""
        self.on_done = on_done or (lambda cluster: None)
        self.by_last_seen: list[tuple[dt.datetime, int]] = []  # a heap
        self.window = window
        self.threshold = threshold
        self.lexical_threshold = lexical_threshold
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
            weight = (1 + math.log(count)) * (math.log((documents + 1) / frequency) + 1)
            vector[term] = weight * NAME_WEIGHT if term in item.names else weight
        norm = math.sqrt(sum(w * w for w in vector.values()))
        return {t: w / norm for t, w in vector.items()} if norm else {}

    # Placing items.

    def add(self, item: Item) -> tuple[int, str]:
        """Place `item` (in date order) and return (cluster key, how: "kept", "link", "text" or
        "new"). An item that already has a story keeps it and feeds its centroid. What placed a
        placed item, and the story it nearly joined, go to `item.evidence`."""
        self._advance(item.date)
        vector = self._vector(item)
        linked = self._by_link(item) if item.story_id is None else None
        self.recent.append((item.date, item.terms, item.related))
        self.document_frequency.update(item.terms.keys())
        self.link_frequency.update(item.related)
        near = None
        if item.story_id is not None:
            key, how = item.story_id, "kept"
        else:
            key, how = (linked[0], "link") if linked else (None, "link")
            if key is None:
                key, match = self._by_text(vector, item)
                how, near = "text", None if key is not None else match
            if key is None:
                key, how = self.next_key, "new"
                self.next_key -= 1
            item.evidence = evidence(how, linked, match if how == "text" else None, near)
        cluster = self.clusters.get(key)
        if cluster is None:
            cluster = self.clusters[key] = Cluster(key, item.date, item.date)
        cluster.add(item, vector)
        # The story's sum holds it now: dropping the item's row lets the chunk's array go once
        # its last item is placed (the window keeps sums, not a row per article).
        item.embedding = None
        heapq.heappush(self.by_last_seen, (cluster.last_seen, key))
        if how != "kept":
            cluster.placed.append(item)
        self.by_url.setdefault(item.url, key)
        for url in item.related:
            self.by_related[url].add(key)
        for term in vector:
            self.by_term[term].add(key)
        return key, how

    def _by_link(self, item: Item) -> tuple[int, str] | None:
        """The story the item's links point to, and the URL that says so most strongly: one
        that opened within `STORY_SPAN`, by URLs that few of the window's articles list
        (`COMMON_LINK_SHARE`)."""
        common = max(COMMON_LINK_FLOOR, COMMON_LINK_SHARE * (len(self.recent) + 1))
        link_frequency = self.link_frequency
        votes: Counter = Counter()
        why: dict[int, tuple[int, str]] = {}

        def vote(key, weight, url):
            votes[key] += weight
            if weight > why.get(key, (0, ""))[0]:
                why[key] = (weight, url)

        for url in sorted(item.related):
            if link_frequency.get(url, 0) + 1 > common:
                continue
            if url in self.by_url:
                vote(self.by_url[url], 2, url)  # it lists a member
            for key in self.by_related.get(url, ()):
                vote(key, 1, url)  # it lists what a member lists
        if link_frequency.get(item.url, 0) <= common:
            for key in self.by_related.get(item.url, ()):
                vote(key, 2, item.url)  # a member lists it
        opened_after = item.date - STORY_SPAN
        for key in [key for key in votes if self.clusters[key].first_seen < opened_after]:
            del votes[key]  # an event, not a running theme: as for text
        if not votes:
            return None
        # The strongest evidence; on a tie, the larger story.
        best = max(votes, key=lambda k: (votes[k], self.clusters[k].size, k))
        return best, why[best][1]

    def _semantics(self, keys: list[int], embedding: np.ndarray | None) -> list:
        """The embedding cosine of each of these stories with `embedding`, in one product (a
        numpy call per candidate cost more than the whole lexical pass); None where either
        has no embedding."""
        found = _no_semantics(len(keys))
        if embedding is None or not keys:
            return found
        sums = [self.clusters[key].embedding for key in keys]
        have = [i for i, row in enumerate(sums) if row is not None]
        if have:
            matrix = np.array([sums[i] for i in have], dtype=np.float32)
            # The row norms as np.linalg.norm(matrix, axis=1) takes them, without its checks.
            norms = np.sqrt(np.add.reduce(matrix * matrix, axis=1))
            cosines = (matrix @ embedding) / np.where(norms > 0, norms, 1.0)
            for i, cosine in zip(have, cosines.tolist(), strict=True):
                found[i] = cosine
        return found

    def _by_text(self, vector: dict[str, float], item: Item) -> tuple[int | None, dict | None]:
        """(story key, the match's evidence): the story whose centroid the article resembles
        most, if at `threshold`; else (None, the best match within `NEAR_MISS_MARGIN` under
        it, or None)."""
        if len(vector) < MIN_SHARED_TERMS:
            return None, None
        rarest = sorted(vector, key=vector.get, reverse=True)[:CANDIDATE_TERMS]
        candidates = set().union(*(self.by_term.get(term, ()) for term in rarest))
        opened_after = item.date - STORY_SPAN
        eligible = []  # (key, shared terms, lexical cosine)
        clusters = self.clusters
        for key in sorted(candidates):
            cluster = clusters[key]
            if cluster.first_seen < opened_after:
                continue
            centroid = cluster.centroid
            shared = [term for term in vector if term in centroid]
            if len(shared) < MIN_SHARED_TERMS:
                continue  # one rare word in common is a coincidence, not an event
            eligible.append((key, shared, cluster.cosine(vector, shared)))
        semantics = self._semantics([key for key, _, _ in eligible], item.embedding)
        best, best_score, best_shared, best_lexical = None, -1.0, (), 0.0
        for (key, shared, lexical), semantic in zip(eligible, semantics, strict=True):
            score = similarity(lexical, semantic)
            if score > best_score:
                best, best_score, best_shared, best_lexical = key, score, shared, lexical
        if best is None:
            return None, None
        cluster = self.clusters[best]
        match = {
            "article": cluster.first_member,
            "score": round(best_score, 3),
            "words": sorted(best_shared, key=vector.get, reverse=True)[:SHOWN_WORDS],
            "names": sorted(
                (term for term in best_shared if term in item.names), key=vector.get, reverse=True
            )[:SHOWN_WORDS],
            "lexical": round(best_lexical, 3),
        }
        semantic = cluster.embedding_cosine(item.embedding)
        if semantic is not None:
            match["semantic"] = round(semantic, 3)
        limit = self.lexical_threshold if semantic is None else self.threshold
        # The shift reads the story's strongest terms: only where it could change the outcome.
        lowest, highest = limits.bounds()
        if limit + lowest - NEAR_MISS_MARGIN <= best_score < limit + highest:
            moved = limits.shift(vector, cluster.centroid)
            if moved:
                limit += moved
                # The pages say so: eased for a shared headline, raised for numbers.
                match["threshold"] = round(limit, 3)
        if best_score >= limit:
            return best, match
        return None, match if best_score >= limit - NEAR_MISS_MARGIN else None


def _no_semantics(count: int) -> list[None]:
    return [None] * count


def similarity(lexical: float, semantic: float | None) -> float:
    """How alike an article and a story are: the cosine of their TF-IDF vectors mixed with
    that of their embeddings (`LEXICAL_WEIGHT`); the lexical cosine alone without one."""
    if semantic is None:
        return lexical
    return LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * semantic


def evidence(how: str, linked: tuple | None, match: dict | None, near: dict | None) -> dict:
    """What placed an article, as `Article.story_evidence` keeps it for the pages: "how", and
    the link URL, or the similarity and shared words; "near", the best story under the
    threshold (one of its articles and the score) for an article that started its own."""
    found: dict = {"how": how}
    if how == "link":
        found["url"] = linked[1]
    elif how == "text" and match:
        found.update({k: v for k, v in match.items() if k != "article" and (k != "names" or v)})
    if near:
        found["near"] = {"article": near["article"], "score": near["score"]}
    return found
