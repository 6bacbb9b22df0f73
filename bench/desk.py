"""Benchmark: the review desk at 100 and at 100,000 articles, on the server and in Chromium.

    .venv/bin/python bench/desk.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/desk.py
    .venv/bin/python bench/desk.py --sizes 100 20000 --no-browser

Works in a throw-away test database (as bench/admin.py, whose corpus it reuses: about half the
articles wait for review). On the server, through the test Client as an editor with two saved
views: the desk's first load (queries, median ms) and a decision as desk.js posts it (queries,
median ms). In Chromium (Debian's, through Playwright) against a live server on the largest
corpus: the median from a key press to the next item focused (desk.js records each), and the
keystrokes and page loads an editor needs to decide 20 items.

With `--stories`, a third of the waiting articles are also put in stories of three, and the
desk grouped by story (`?group=story`) is measured: its first load and a story decision (`p`:
the lead published, the rest kept), as desk.js posts it. The plain figures stay ungrouped
(`?group=none`), comparable with the earlier runs.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.models import Article, SavedDeskView  # noqa: E402
from bench import admin as corpus  # noqa: E402
from bench.in_process import providers_topics_and_editor, scratch_test_database  # noqa: E402

PASSWORD = "bench-desk-pw-2291"
PORT = int(os.environ.get("DESK_BENCH_PORT", "8107"))
JSON = {"HTTP_ACCEPT": "application/json"}


def timed(call, repeat):
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return queries, statistics.median(times) * 1000


def server_figures(client, repeat):
    desk = reverse("admin:desk") + "?group=none"
    assert client.get(desk).status_code == 200  # warm-up
    load = timed(lambda: client.get(desk), repeat)
    waiting = iter(
        Article.objects.waiting_for_review()
        .order_by("?")
        .values_list("pk", flat=True)[: repeat + 1]
    )

    def decide():
        url = reverse("admin:desk_decide", args=[next(waiting)])
        response = client.post(url, {"decision": "publish"}, **JSON)
        assert response.status_code == 200, response.content

    decision = timed(decide, repeat)
    if os.environ.get("DESK_BENCH_SHOW_QUERIES"):  # where the time goes
        for call in (lambda: client.get(desk), decide):
            with CaptureQueriesContext(connection) as captured:
                call()
            for query in captured:
                print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:100]}")
    return load, decision


def make_stories():
    """A third of the waiting articles without a story, in stories of three neighbours."""
    from django.db import transaction

    from articles.models import Story

    pks = list(
        Article.objects.waiting_for_review()
        .filter(story__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    groups = [pks[i : i + 3] for i in range(0, len(pks) - 2, 9)]
    with transaction.atomic():
        stories = Story.objects.bulk_create([Story() for _ in groups])
        for story, group in zip(stories, groups, strict=True):
            Article.objects.filter(pk__in=group).update(story=story)
        Story.objects.filter(pk__in=[story.pk for story in stories]).refresh_from_members()
    return len(groups)


def story_figures(client, repeat):
    """The grouped desk's first load, and a story decision as desk.js posts it."""
    desk = reverse("admin:desk") + "?group=story"
    page = client.get(desk).content.decode()  # warm-up
    assert "data-story-id" in page
    load = timed(lambda: client.get(desk), repeat)
    chosen = list(
        Article.objects.waiting_for_review()
        .filter(story__isnull=False)
        .order_by("story")
        .values_list("story", flat=True)
        .distinct()[:repeat]
    )
    members = {story: [] for story in chosen}  # what the editor saw, fetched before timing
    for story, pk in (
        Article.objects.waiting_for_review().filter(story__in=chosen).values_list("story", "pk")
    ):
        members[story].append(str(pk))
    stories = iter(chosen)

    def decide():
        story = next(stories)
        url = reverse("admin:desk_decide_story", args=[story])
        seen = ",".join(members[story])
        response = client.post(url, {"decision": "publish", "members": seen}, **JSON)
        assert response.status_code == 200, response.content

    decision = timed(decide, len(chosen))  # a small corpus has fewer stories than `repeat`
    return load, decision


def browser_figures(live_url, decisions=20):
    """Keystrokes, page loads and key-to-focus times for `decisions` decisions by keys."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        loads = []
        page.on("load", lambda: loads.append(page.url))
        page.goto(f"{live_url}/admin/login/?next=/admin/desk/")
        page.fill("#id_username", "bench-desk")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector(".desk-list .desk-item")
        loads_before = len(loads)  # the login page and the desk itself
        keys = 0
        for number in range(decisions):
            page.keyboard.press("p" if number % 3 else "x")
            keys += 1
            # Polled from here: the page's CSP refuses wait_for_function's eval.
            while page.evaluate("document.querySelectorAll('.desk-item.is-pending').length"):
                time.sleep(0.005)
        # A few moves as well, for the key-to-focus figure of plain navigation.
        for key in "jjjkkk":
            page.keyboard.press(key)
        page.wait_for_timeout(300)
        timings = page.evaluate("window.deskTimings")
        errors = page.evaluate(
            "document.querySelectorAll('.desk-item.has-error, .desk-item.is-decided-elsewhere')"
            ".length"
        )
        browser.close()
    return {
        "keystrokes": keys,
        "page loads": len(loads) - loads_before,
        "key to focus median ms": statistics.median(timings),
        "key to focus max ms": max(timings),
        "timed keys": len(timings),
        "failed decisions": errors,
    }


def start_live_server():
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    shared = {}
    if connection.vendor == "sqlite":
        # The in-memory test database lives in this connection: the server thread shares it
        # (the wrapper itself, not the `connection` proxy to it). PostgreSQL: its own.
        connection.inc_thread_sharing()
        shared = {"default": connections["default"]}
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, shared, PORT)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server, f"http://127.0.0.1:{server.port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 100_000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--stories", action="store_true", help="also the desk grouped by story")
    args = parser.parse_args()

    from django.conf import settings

    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with (
        scratch_test_database(),
        override_settings(
            STORAGES={**settings.STORAGES, "staticfiles": plain_static}, AXES_ENABLED=False
        ),
    ):
        run(args)


def run(args) -> None:
    import random

    rng = random.Random(7)
    providers, tags, editor = providers_topics_and_editor("bench-desk", PASSWORD)
    SavedDeskView.objects.create(owner=editor, name="High quality", query="quality_band=high")
    SavedDeskView.objects.create(owner=editor, name="Live, not reviewed", query="live=1")
    client = Client()
    client.force_login(editor)

    print(f"database: {connection.vendor}; {args.repeat} timed requests each (median)")
    print(f"{'articles':>9}  {'desk first load':>22}  {'decision (JSON post)':>24}")
    built, results = 0, {}
    for size in sorted(args.sizes):
        started = time.perf_counter()
        corpus.build(built, size, providers, tags, rng)
        built = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(f"# built {size:,} articles in {time.perf_counter() - started:.1f}s")
        load, decision = server_figures(client, args.repeat)
        results[size] = load
        print(
            f"{size:>9,}  {load[0]:>6} queries {load[1]:>7.1f} ms"
            f"  {decision[0]:>6} queries {decision[1]:>9.1f} ms"
        )
        if args.stories:
            made = make_stories()
            load, decision = story_figures(client, args.repeat)
            print(
                f"{'+ stories':>9}  {load[0]:>6} queries {load[1]:>7.1f} ms"
                f"  {decision[0]:>6} queries {decision[1]:>9.1f} ms"
                f"  (grouped; {made:,} new stories of 3; decision: p on a story)"
            )
    if len(args.sizes) > 1:
        small, large = min(args.sizes), max(args.sizes)
        ratio = results[large][1] / results[small][1]
        print(f"# first load at {large:,} / at {small:,}: {ratio:.2f}x (target <= 2x)")
    if not args.no_browser:
        server, url = start_live_server()
        try:
            figures = browser_figures(url)
        finally:
            server.terminate()
        print(f"# Chromium, {built:,} articles, deciding 20 items by keys:")
        for name, value in figures.items():
            print(
                f"#   {name:<24}{value:>8.1f}"
                if isinstance(value, float)
                else f"#   {name:<24}{value:>8}"
            )


if __name__ == "__main__":
    main()
