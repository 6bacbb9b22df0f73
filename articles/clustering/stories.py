"""Stories: articles about one event, from many providers, grouped as they are imported.

`cluster_new_articles()` places every article that has no story yet, sweeping all articles in
source-date order with a sliding window (`WINDOW` either side), so memory is bounded by the
window, not the table. Evidence, in order:

1. explicit links: an article whose related links list another article's canonical URL, or
   whose canonical URL another article's related links list, joins that article's story;
   sharing a related URL with a story's articles is weaker evidence of the same kind;
2. text: TF-IDF of title and excerpt, compared by cosine with each story's centroid (the sum of
   its members' vectors), never with single members: an article joins a story it resembles as a
   whole, so a chain of pairwise near-misses cannot weld two events together.

An article placed by an editor (`Article.story_pinned`) is never moved; an article already in a
story stays there (clustering is incremental); `rebuild()` clears the stories of the unpinned
articles and clusters everything again. Thresholds: bench/stories.py, docs/PERFORMANCE.md.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from articles.db.bulk import insert_rows
from articles.ingest.seeds import canonical_url
from articles.models import Article, RelatedLink, Story, readers_see_changes

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
STREAM_CHUNK = 2000

_WORD = re.compile(r"[^\W_]{2,}", re.UNICODE)
STOP_WORDS = frozenset(
    """a about after again against all also am an and any are as at be because been before being
    between both but by can could did do does doing down during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just me more most my
    no nor not now of off on once only or other our out over own same she should so some such
    than that the their them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your says said
    new news report reports update live latest video watch how why what""".split()
)


def terms(title: str, excerpt: str = "") -> Counter:
    """Words of a headline and its excerpt, lower-cased, stop words out; the title counts
    twice, as the denser statement of the event."""
    title_words = [w for w in _WORD.findall(title.lower()) if w not in STOP_WORDS]
    counts = Counter(title_words + title_words)
    counts.update(w for w in _WORD.findall(excerpt.lower()) if w not in STOP_WORDS)
    return counts


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
class _Cluster:
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
        self.clusters: dict[int, _Cluster] = {}
        self.by_url: dict[str, int] = {}  # a member's canonical URL -> cluster key
        self.by_related: dict[str, set[int]] = defaultdict(set)  # a related URL -> keys
        self.by_term: dict[str, set[int]] = defaultdict(set)
        self.document_frequency: Counter = Counter()
        self.recent: deque[tuple[dt.datetime, Counter]] = deque()
        self.next_key = -1

    # The window.

    def _advance(self, now: dt.datetime) -> None:
        horizon = now - self.window
        while self.recent and self.recent[0][0] < horizon:
            _, old_terms = self.recent.popleft()
            for term in old_terms:  # dropping the zeros: the vocabulary never stops growing
                left = self.document_frequency[term] - 1
                if left:
                    self.document_frequency[term] = left
                else:
                    del self.document_frequency[term]
        # Stories by when they were last seen (entries go stale as stories grow: skip those).
        while self.by_last_seen and self.by_last_seen[0][0] < horizon:
            last_seen, key = heapq.heappop(self.by_last_seen)
            cluster = self.clusters.get(key)
            if cluster is not None and cluster.last_seen == last_seen:
                self.on_done(self._forget(key))

    def finish(self) -> None:
        for key in list(self.clusters):
            self.on_done(self._forget(key))

    def _forget(self, key: int) -> _Cluster:
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
        self.recent.append((item.date, item.terms))
        self.document_frequency.update(item.terms.keys())
        if item.story_id is not None:
            key, how = item.story_id, "kept"
        else:
            key, how = self._by_link(item), "link"
            if key is None:
                key, how = self._by_text(vector, item.date), "text"
            if key is None:
                key, how = self.next_key, "new"
                self.next_key -= 1
        cluster = self.clusters.get(key)
        if cluster is None:
            cluster = self.clusters[key] = _Cluster(key, item.date, item.date)
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
        votes: Counter = Counter()
        for url in item.related:
            if url in self.by_url:
                votes[self.by_url[url]] += 2  # it lists a member
            for key in self.by_related.get(url, ()):
                votes[key] += 1  # it lists what a member lists
        for key in self.by_related.get(item.url, ()):
            votes[key] += 2  # a member lists it
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


@dataclass
class ClusterSummary:
    placed: int = 0
    by_link: int = 0
    by_text: int = 0
    new_stories: int = 0
    read: int = 0  # articles the sweep read, placed or not

    def __str__(self):
        return (
            f"{self.placed} articles placed ({self.by_link} by links, {self.by_text} by text, "
            f"{self.new_stories} new stories); {self.read} articles read"
        )


def _canonical(url: str) -> str:
    """`seeds.canonical_url`, without parsing the URLs that are canonical already (most are):
    a lower-case scheme and host, no fragment, nothing `urlunsplit` would tidy away."""
    host_end = url.find("/", url.find("//") + 2)
    head = url if host_end < 0 else url[:host_end]
    if host_end > 0 and head.islower() and "#" not in url and not url.endswith("?"):
        return url
    return canonical_url(url)


def _items(query: Q) -> Iterator[Item]:
    """Articles matching `query` in (date, id) order, read a chunk at a time with their related
    links' canonical URLs."""
    base = Article.objects.filter(query).order_by("source_published_at", "id")
    after = None
    while True:
        page = base
        if after is not None:
            date, pk = after
            # The plain bound lets the database seek in its date index; the OR alone would
            # make it read every earlier row again for every chunk.
            page = page.filter(
                Q(source_published_at__gte=date),
                Q(source_published_at__gt=date) | Q(source_published_at=date, id__gt=pk),
            )
        rows = list(
            page.values_list(
                "id",
                "source_published_at",
                "canonical_url",
                "title",
                "excerpt",
                "story_id",
                "story_pinned",
                "quality",
                "heat",
            )[:STREAM_CHUNK]
        )
        if not rows:
            return
        related = defaultdict(set)
        for article_id, url in RelatedLink.objects.filter(
            article_id__in=[row[0] for row in rows]
        ).values_list("article_id", "url"):
            related[article_id].add(_canonical(url))
        for pk, date, url, title, excerpt, story_id, pinned, quality, heat in rows:
            yield Item(
                pk,
                date,
                url,
                terms(title, excerpt),
                frozenset(related[pk]),
                story_id,
                pinned,
                title[:500],
                quality,
                heat,
            )
        after = (rows[-1][1], rows[-1][0])


def cluster_new_articles(
    *, dry_run: bool = False, on_progress: Callable[[int], None] | None = None
) -> ClusterSummary:
    """Give every article without a story one, by links, then text, else a new story.

    Reads only the source dates where such articles are, widened by the window; an import that
    changed nothing costs one query. Stories are written as they leave the window, a few hundred
    at a time, so memory holds the window and one batch."""
    summary = ClusterSummary()
    span = Article.objects.filter(story__isnull=True).aggregate(
        first=Min("source_published_at"), last=Max("source_published_at")
    )
    if span["first"] is None:
        return summary
    writer = _StoryWriter(dry_run=dry_run)
    index = StoryIndex(on_done=writer.add)
    for item in _items(
        Q(source_published_at__gte=span["first"] - WINDOW)
        & Q(source_published_at__lte=span["last"] + WINDOW)
    ):
        summary.read += 1
        _, how = index.add(item)
        if how != "kept":
            summary.placed += 1
            summary.by_link += how == "link"
            summary.by_text += how == "text"
            summary.new_stories += how == "new"
        if on_progress is not None and summary.read % STREAM_CHUNK == 0:
            on_progress(summary.read)
    index.finish()
    writer.flush()
    if writer.wrote:
        readers_see_changes()
    return summary


class _StoryWriter:
    """Stores the stories a sweep has finished: new ones made with their facts (lead by
    `Story.lead_key`, title, first and last seen, size), articles pointed at their stories with
    one executemany, stories that existed refreshed from their members."""

    BATCH = 500
    # A new story's lead is one of its own new articles, so the lead names the story: articles
    # find their new story by it, and the stories need no ids back from their INSERT.
    _ASSIGN_TO_NEW_SQL = (
        "UPDATE {article} SET {story} = (SELECT MAX(s.{story_pk}) FROM {story_table} s "
        "WHERE s.{lead} = %s) WHERE {pk} = %s AND {story} IS NULL".format(
            article=Article._meta.db_table,
            story=Article._meta.get_field("story").column,
            pk=Article._meta.pk.column,
            story_table=Story._meta.db_table,
            story_pk=Story._meta.pk.column,
            lead=Story._meta.get_field("lead").column,
        )
    )
    _ASSIGN_SQL = "UPDATE {article} SET {story} = %s WHERE {pk} = %s AND {story} IS NULL".format(
        article=Article._meta.db_table,
        story=Article._meta.get_field("story").column,
        pk=Article._meta.pk.column,
    )

    def __init__(self, *, dry_run: bool):
        self.dry_run = dry_run
        self.pending: list[_Cluster] = []
        self.wrote = False

    def add(self, cluster: _Cluster) -> None:
        if cluster.placed and not self.dry_run:
            self.pending.append(cluster)
            if len(self.pending) >= self.BATCH:
                self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        made, grown = [], []
        for cluster in self.pending:
            (made if cluster.key < 0 else grown).append(cluster)
        now = timezone.now()
        with transaction.atomic():
            new_stories = [self._new_story(cluster.placed, now) for cluster in made]
            insert_rows(Story, new_stories)
            with connection.cursor() as cursor:
                cursor.executemany(
                    self._ASSIGN_TO_NEW_SQL,
                    [
                        (story["lead"], item.id)
                        for story, cluster in zip(new_stories, made, strict=True)
                        for item in cluster.placed
                    ],
                )
                cursor.executemany(
                    self._ASSIGN_SQL,
                    [(cluster.key, item.id) for cluster in grown for item in cluster.placed],
                )
            # Existing stories grew; an editor may also have placed one of these articles
            # meanwhile (then it kept its story): their facts come from the database.
            Story.objects.filter(pk__in=[cluster.key for cluster in grown]).refresh_from_members()
        self.pending = []
        self.wrote = True

    @staticmethod
    def _new_story(members: list[Item], now) -> dict:
        lead = min(members, key=lambda item: item.lead_key)
        return {
            "title": lead.title,
            "lead": lead.id,
            "lead_chosen_by_editor": False,
            "size": len(members),
            "first_seen_at": min(item.date for item in members),
            "last_seen_at": max(item.date for item in members),
            "created_at": now,
        }


def rebuild(
    *, dry_run: bool = False, on_progress: Callable[[int], None] | None = None
) -> ClusterSummary:
    """Cluster everything again, keeping what editors decided (pinned articles and their
    stories). In a dry run nothing is cleared or written (the figures are those of clustering
    the articles that have no story yet)."""
    if dry_run:
        return cluster_new_articles(dry_run=True, on_progress=on_progress)
    with transaction.atomic():
        touched = list(
            Article.objects.filter(story__isnull=False, story_pinned=False)
            .values_list("story_id", flat=True)
            .distinct()
        )
        Article.objects.filter(story_pinned=False).update(story=None)
        Story.objects.filter(pk__in=touched).refresh_from_members()
        return cluster_new_articles(on_progress=on_progress)
