"""An import clusters in a short-lived child process: the importing process never loads the
embedding model, yet its articles get their stories; an unchanged re-import starts no child.

The suite's own database is in memory and each test sits in a transaction, which a child
could not see (the import then clusters in-process, as the other story tests show): this runs
a real import on a SQLite file in a process of its own."""

import json
import subprocess
import sys

from django.conf import settings

# Each probe's start: Django on a migrated SQLite file, the seed folder in argv[1].
SETUP = """
import json, multiprocessing, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from articles.clustering import apart
from articles.ingest.run import run_import
from articles.models import Article
from tests.support.seeds import sample_fields, seed_text

folder = sys.argv[1]
fields = sample_fields()


def imported_unclustered(headlines):
    # A seed file per (title, excerpt), imported without clustering.
    for number, (title, excerpt) in enumerate(headlines):
        url = f"https://e.example/{number}"
        content = {**fields, "title": title, "excerpt": excerpt, "related": [],
                   "webUrl": url, "originalUrl": url}
        with open(os.path.join(folder, f"{number}.txt"), "w", encoding="utf-8") as handle:
            handle.write(seed_text(content))
    run_import([folder], max_bytes=1 << 20, started_by="test", cluster=False)
"""

PROBE = (
    SETUP
    + """
linked = fields["related"][0]
other = {**fields, "title": "Targeting artificial intelligence", "webUrl": linked["webUrl"],
         "originalUrl": linked["webUrl"], "related": []}
for name, content in (("a.txt", fields), ("b.txt", other)):
    with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
        handle.write(seed_text(content))
first = run_import([folder], max_bytes=1 << 20, started_by="test")
stories = list(Article.objects.values_list("story_id", flat=True))
model_here = any(name in sys.modules for name in ("tokenizers", "safetensors"))


def no_child(*args):
    raise AssertionError("an unchanged re-import started a clustering process")


apart.get_context = no_child
again = run_import([folder], max_bytes=1 << 20, started_by="test")
print(json.dumps({
    "stories": stories, "placed": first.placed_in_stories, "model_here": model_here,
    "child_peak_mb": first.cluster_peak_mb, "unchanged": again.unchanged,
}))
"""
)


def _run_in_own_process(code: str, tmp_path) -> dict:
    """Run `code` on a SQLite file of its own, with a seed folder; the JSON it printed last."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_import_clusters_in_a_child_and_never_loads_the_model_itself(tmp_path):
    found = _run_in_own_process(PROBE, tmp_path)
    assert found["placed"] == 2
    assert len(set(found["stories"])) == 1 and None not in found["stories"]
    assert found["model_here"] is False
    assert found["child_peak_mb"] > 0  # measured in the child: it ran there
    assert found["unchanged"] == 2


WRITES_HERE = (
    SETUP
    + """
headlines = (("Volcano erupts near Catania", "Lava reached the village's vineyards overnight."),
             ("Parliament passes the budget", "Deputies voted for taxes on tobacco and fuel."),
             ("Striker signs for Porto", "The forward joins on a four-year contract."))
imported_unclustered(headlines)
write_stories, batches, pids = apart.write_stories, [], []


def failing(batch):
    raise OSError("disk full")


apart.write_stories = failing
try:
    apart.cluster_new_articles_apart()
    failed = ""
except OSError as error:
    failed = str(error)
left_running = len(multiprocessing.active_children())
unplaced = Article.objects.filter(story__isnull=True).count()


def counting(batch):
    batches.append(len(batch))
    pids.append(os.getpid())
    write_stories(batch)


apart.write_stories = counting
summary = apart.cluster_new_articles_apart()
print(json.dumps({
    "failed": failed, "left_running": left_running, "unplaced": unplaced,
    "placed": summary.placed, "batches": batches, "written_here": set(pids) == {os.getpid()},
    "stories": Article.objects.filter(story__isnull=False).count(),
}))
"""
)


def test_the_importing_process_writes_the_stories_the_child_sends(tmp_path):
    """The child places, the importing process writes each batch it sends; a write that fails
    there raises, and the child is ended, not left sweeping."""
    found = _run_in_own_process(WRITES_HERE, tmp_path)
    assert found["failed"] == "disk full"
    assert found["left_running"] == 0
    assert found["unplaced"] == 3  # nothing was written by the failed run
    assert found["placed"] == 3 and found["stories"] == 3
    assert sum(found["batches"]) == 3 and found["written_here"] is True


READS_APART = (
    SETUP
    + """
headlines = (("Volcano erupts near Catania", "Lava reached the village's vineyards overnight."),
             ("Etna volcano erupts near Catania", "Lava reached vineyards near the village."),
             ("Striker signs for Porto", "The forward joins on a four-year contract."))
imported_unclustered(headlines)
log = os.path.join(folder, "pids.log")
reading, placing = apart.items_in_date_order, apart.cluster_new_articles


def failing_read(query):
    raise OSError("database gone")
    yield


apart.items_in_date_order = failing_read
try:
    apart.cluster_new_articles_apart()
    failed = ""
except RuntimeError as error:
    failed = str(error)


def logged_read(query):
    with open(log, "a") as out:
        out.write(f"reader {os.getpid()}\\n")
    yield from reading(query)


def logged_placing(**options):
    summary = placing(**options)
    model = any(name in sys.modules for name in ("tokenizers", "safetensors"))
    with open(log, "a") as out:
        out.write(f"placer {os.getpid()} {int(model)}\\n")
    return summary


apart.items_in_date_order, apart.cluster_new_articles = logged_read, logged_placing
summary = apart.cluster_new_articles_apart()
seen = dict(line.split(" ", 1) for line in open(log).read().splitlines())
stories = list(Article.objects.order_by("pk").values_list("story_id", flat=True))
print(json.dumps({
    "failed": failed, "placed": summary.placed, "stories": stories,
    "pids": [os.getpid(), int(seen["reader"]), int(seen["placer"].split()[0])],
    "model_where_placed": seen["placer"].split()[1] == "1",
}))
"""
)


def test_the_articles_are_read_and_embedded_in_a_process_beside_the_one_that_places_them(
    tmp_path,
):
    """A sweep reads (and embeds) the next articles in a process of its own while the child
    places: three processes, the model loaded in the reading one only; a read that fails ends
    the clustering with its error, nothing placed."""
    found = _run_in_own_process(READS_APART, tmp_path)
    assert "reading articles failed" in found["failed"] and "database gone" in found["failed"]
    assert found["placed"] == 3
    first, second, third = found["stories"]
    assert first == second != third and None not in found["stories"]
    assert len(set(found["pids"])) == 3
    assert found["model_where_placed"] is False
