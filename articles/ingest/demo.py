"""A demo newsroom for a newcomer (`make demo`, `manage.py demo_newsroom`): the generated corpus
(`corpus`, the one bench/make_corpus.py writes) imported with the normal importer, the better
half published by a demo editor, whose one-time password is new on every run.

Which articles are the demo's: those whose provider is one of the demo corpus's providers, and
the sample seed files shipped in seeds/ (which `make run` imports). Any other article makes the
database a real newsroom's, and the demo refuses to touch it unless forced.

Running it again imports nothing new (the files are the same), publishes or unpublishes only
articles no editor has decided on yet (a demo user's decisions stay), and gives the demo editor
a new password.
"""

import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import F

from articles.ingest.corpus import Corpus
from articles.ingest.report import ImportSummary
from articles.ingest.run import run_import
from articles.ingest.seeds import SeedError, parse_seed, read_seed
from articles.models import Article, ReviewDecision

DEMO_ITEMS = 2000
CORPUS_SEED = 1  # bench/make_corpus.py's default: the corpus the benchmarks measure
DEMO_EDITOR = "demo-editor"
SAMPLE_SEEDS = Path(settings.BASE_DIR) / "seeds"


class RealArticlesFound(Exception):
    """The database holds articles that are not the demo's."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(
            f"The database holds {count:,} article{'s' if count != 1 else ''} "
            f"that {'are' if count != 1 else 'is'} not the demo's: a real newsroom. The demo "
            "would mix generated articles into it, published, and make an editor account with "
            "a printed password. Use another database (DATABASE_URL), or --force if you mean it."
        )


@dataclass
class DemoNewsroom:
    imported: ImportSummary
    articles: int  # the demo's articles in the database
    visible: int  # of them, what readers see
    newly_published: int
    newly_unpublished: int
    waiting_for_review: int  # every article's, the demo's or not
    editor: User
    password: str


def _corpus() -> Corpus:
    return Corpus(CORPUS_SEED)


def _sample_urls() -> list[str]:
    """The canonical URLs of the sample seed files shipped in seeds/."""
    urls = []
    for path in sorted(SAMPLE_SEEDS.glob("*.txt")):
        try:
            urls.append(
                parse_seed(read_seed(path, settings.SEED_MAX_BYTES), path.name).canonical_url
            )
        except SeedError:
            continue  # a sample that does not parse was never imported
    return urls


def demo_articles(corpus=None):
    """The articles that are the demo's (see the module's docstring)."""
    corpus = corpus or _corpus()
    domains = [domain for _, domain in corpus.providers]
    return Article.objects.filter(provider__domain__in=domains) | Article.objects.filter(
        canonical_url__in=_sample_urls()
    )


def real_articles(corpus=None):
    """Every article that is not the demo's."""
    return Article.objects.exclude(pk__in=demo_articles(corpus).values("pk"))


def make_demo(items: int = DEMO_ITEMS, *, force: bool = False) -> DemoNewsroom:
    """Import the demo corpus's first `items` files, publish the better half, and give the demo
    editor a new password. Raises RealArticlesFound, unless `force`."""
    corpus = _corpus()
    if not force:
        count = real_articles(corpus).count()
        if count:
            raise RealArticlesFound(count)
    with tempfile.TemporaryDirectory(prefix="newsroom-demo-") as folder:
        corpus.write(Path(folder), items)
        imported = run_import([folder], max_bytes=settings.SEED_MAX_BYTES, started_by="make demo")
    editor, password = _demo_editor()
    demo = demo_articles(corpus)
    newly_published, newly_unpublished = _publish_better_half(demo, editor)
    return DemoNewsroom(
        imported=imported,
        articles=demo.count(),
        visible=demo.published().count(),
        newly_published=newly_published,
        newly_unpublished=newly_unpublished,
        waiting_for_review=Article.objects.waiting_for_review().count(),
        editor=editor,
        password=password,
    )


def _demo_editor() -> tuple[User, str]:
    """The demo editor (staff, in the Editors group) with a new random password."""
    from axes.models import AccessAttempt

    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        editor, _ = User.objects.get_or_create(username=DEMO_EDITOR)
        editor.is_staff = True
        editor.is_active = True
        editor.set_password(password)
        editor.save()
        editor.groups.add(Group.objects.get(name="Editors"))
        # Failed logins forgotten (django-axes): a locked-out demo account opens again.
        AccessAttempt.objects.filter(username=DEMO_EDITOR).delete()
    return editor, password


def _publish_better_half(demo, editor) -> tuple[int, int]:
    """Readers see the better half of the demo's articles (by quality, then heat), as the demo
    editor's recorded decisions. Only articles no editor has decided on are touched; the rest
    wait in the review queue. Returns how many were published and unpublished."""
    ranked = list(
        demo.order_by(
            F("quality").desc(nulls_last=True), F("heat").desc(nulls_last=True), "-id"
        ).values_list("pk", flat=True)
    )
    better, worse = ranked[: (len(ranked) + 1) // 2], ranked[(len(ranked) + 1) // 2 :]
    undecided = Article.objects.waiting_for_review()
    published = undecided.filter(pk__in=better).set_published(
        True, editor, via=ReviewDecision.Via.SHELL
    )
    # Live only because their seed said so: taken down, so that readers see the better half.
    unpublished = undecided.filter(pk__in=worse, published=True).set_published(
        False, editor, via=ReviewDecision.Via.SHELL
    )
    return published, unpublished
