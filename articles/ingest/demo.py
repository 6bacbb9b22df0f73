"""A demo newsroom for a newcomer (`make demo`, `manage.py demo_newsroom`): the generated corpus
(`corpus`, the one bench/make_corpus.py writes) imported with the normal importer, the better
half published by a demo editor, whose one-time password is new on every run.

Which articles are the demo's: those whose provider is one of the demo corpus's providers, and
the sample seed files shipped in seeds/ (which `make run` imports). Any other article, any user
account but the demo editor's, or DEBUG off makes the database look like a real newsroom's, and
the demo refuses to touch it unless forced.

Running it again imports nothing new (the files are the same), publishes or unpublishes only
articles no editor has decided on yet (a demo user's decisions stay), and gives the demo editor
a new password, when there is a terminal to show it on (else a new account gets none, and an
existing one keeps its own). A demo editor someone deactivated stays deactivated.
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


class NotADemoDatabase(Exception):
    """The database, or the settings, look like a real newsroom's: `reasons` says why."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(
            " ".join(reasons) + " The demo would mix generated articles into it, published, and "
            "make an editor account. Use another database (DATABASE_URL) with DEBUG=true "
            "(make demo sets it), or --force if you mean it."
        )


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'s' if count != 1 else ''}"


def refusal_reasons(corpus=None) -> list[str]:
    """Why the demo would not run here, unforced: none on a developer's own demo database."""
    reasons = []
    if not settings.DEBUG:
        reasons.append("DEBUG is off, as in production.")
    users = User.objects.exclude(username=DEMO_EDITOR).count()
    if users:
        reasons.append(f"The database holds {_plural(users, 'user account')} besides the demo's.")
    articles = real_articles(corpus).count()
    if articles:
        reasons.append(
            f"The database holds {_plural(articles, 'article')} that "
            f"{'are' if articles != 1 else 'is'} not the demo's."
        )
    return reasons


@dataclass
class DemoNewsroom:
    imported: ImportSummary
    articles: int  # the demo's articles in the database
    visible: int  # of them, what readers see
    newly_published: int
    newly_unpublished: int
    waiting_for_review: int  # every article's, the demo's or not
    editor: User
    password: str | None  # None: not shown (no terminal), or the account is deactivated


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


def make_demo(
    items: int = DEMO_ITEMS, *, force: bool = False, new_password: bool = True
) -> DemoNewsroom:
    """Import the demo corpus's first `items` files, publish the better half, and, if
    `new_password` (there is somewhere private to show it), give the demo editor a new password.
    Raises NotADemoDatabase, unless `force`."""
    corpus = _corpus()
    if not force and (reasons := refusal_reasons(corpus)):
        raise NotADemoDatabase(reasons)
    with tempfile.TemporaryDirectory(prefix="newsroom-demo-") as folder:
        corpus.write(Path(folder), items)
        imported = run_import([folder], max_bytes=settings.SEED_MAX_BYTES, started_by="make demo")
    editor, password = _demo_editor(new_password)
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


def _demo_editor(new_password: bool) -> tuple[User, str | None]:
    """The demo editor (made staff, in the Editors group), and its new random password if
    `new_password`. A new account without one has no usable password until someone sets it;
    a deactivated account is never opened again, nor given a password."""
    from axes.models import AccessAttempt

    with transaction.atomic():
        editor, created = User.objects.select_for_update().get_or_create(
            username=DEMO_EDITOR, defaults={"is_staff": True}
        )
        if created:
            editor.groups.add(Group.objects.get(name="Editors"))
        # What someone changed since (deactivated, staff or group taken away) stays changed.
        if not (editor.is_active and new_password):
            if created:
                editor.set_unusable_password()
                editor.save(update_fields=["password"])
            return editor, None
        password = secrets.token_urlsafe(12)
        editor.set_password(password)
        editor.save(update_fields=["password"])
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
