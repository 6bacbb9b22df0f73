"""Benchmark: webhooks delivered by a real worker to a receiver on 127.0.0.1.

    .venv/bin/python bench/webhooks.py                       # SQLite file in a temp folder
    .venv/bin/python bench/webhooks.py --backend redis       # RQ over TASKS_REDIS_URL (flushed)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nr_bench_wh .venv/bin/python bench/webhooks.py

Works on a database of its own (a new SQLite file, or the throw-away PostgreSQL database that
DATABASE_URL names: migrated, and its articles and endpoints deleted first).

1. A desk decision as desk.js posts it (median ms): with no endpoint, and with an endpoint whose
   receiver sleeps 10 s (no worker running: the decision must not care).
2. 1,000 decisions in a minute (publish and unpublish in turn, on 250 articles) with a worker
   running: every delivery acknowledged once (one request per webhook-id), the events of each
   article in the order decided (published and unpublished alternate, the last one the final
   state), and the worker's lag (decision committed → receiver got it) p50/p99.
"""

import argparse
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["WEBHOOK_ALLOW_PRIVATE_NETWORKS"] = "true"
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench-webhooks.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.models import Article, Provider, WebhookDelivery, WebhookEndpoint  # noqa: E402
from articles.webhooks.endpoints import add_endpoint  # noqa: E402
from newsroom.background import BACKENDS, QUEUE  # noqa: E402

JSON = {"HTTP_ACCEPT": "application/json"}


class Receiver:
    def __init__(self, sleep=0.0):
        self.got = []  # (monotonic time, webhook-id, body)
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                outer.got.append((time.time(), self.headers["webhook-id"], json.loads(body)))
                time.sleep(sleep)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/in"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def articles(count):
    provider = Provider.objects.create(name="Bench", domain="bench.example")
    from django.utils import timezone

    now = timezone.now()
    return Article.objects.bulk_create(
        Article(
            title=f"Bench {i}", slug=f"bench-{i}", provider=provider, published=False,
            canonical_url=f"https://bench.example/{i}", web_url=f"https://bench.example/{i}",
            original_url=f"https://bench.example/{i}", source_published_at=now, secured={},
        )
        for i in range(count)
    )  # fmt: skip


def decision_median(client, pks, repeat=30):
    times = []
    for pk in pks[:repeat]:
        started = time.perf_counter()
        response = client.post(
            reverse("admin:desk_decide", args=[pk]), {"decision": "publish"}, **JSON
        )
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content
    return statistics.median(times) * 1000


def queued(args) -> bool:
    """Whether tasks are still waiting or running (announcements not yet made)."""
    if args.backend == "redis":
        import django_rq

        return django_rq.get_queue(QUEUE).count > 0
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
        .exclude(task_path__endswith="deliver_due")
        .exists()
    )


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=list(BACKENDS), default="database")
    parser.add_argument("--decisions", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--articles", type=int, default=250)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    WebhookEndpoint.objects.all().delete()
    Article.objects.all().delete()
    Provider.objects.filter(domain="bench.example").delete()
    User.objects.filter(username="bench-webhooks").delete()
    editor = User.objects.create_user("bench-webhooks", password="bench-wh-pw-1", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    pool = [a.pk for a in articles(60 + args.articles)]

    with override_settings(ALLOWED_HOSTS=["*"]):
        plain = decision_median(client, pool[:30])
        sleepy = Receiver(sleep=10)
        add_endpoint(sleepy.url)
        slow = decision_median(client, pool[30:60])
        sleepy.server.server_close()  # its requests are never answered; nothing waits on it
    WebhookEndpoint.objects.all().delete()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # part 1's tasks: not for part 2's worker
    print(f"desk decision, median of 30: {plain:.1f} ms without webhooks, "
          f"{slow:.1f} ms with an endpoint whose receiver sleeps 10 s")  # fmt: skip

    receiver = Receiver()
    endpoint = add_endpoint(receiver.url)
    env = {**os.environ, "TASKS_BACKEND": args.backend, "TASKS_TICK_SECONDS": "1"}
    if args.backend == "redis":
        import redis

        url = os.environ.get("TASKS_REDIS_URL", "redis://127.0.0.1:6379/9")
        env["TASKS_REDIS_URL"] = url
        redis.Redis.from_url(url).flushdb()
        queues = {QUEUE: {"URL": url}}
        overrides = override_settings(
            TASKS={"default": {"BACKEND": BACKENDS["redis"], "QUEUES": [QUEUE]}},
            RQ_QUEUES=queues,
            TASKS_BACKEND="redis",
        )
        overrides.enable()
        import django_rq.settings

        django_rq.settings.QUEUES = queues
    log = open(tempfile.mktemp(suffix="-worker.log"), "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_worker"], env=env, cwd=ROOT,
        stdout=log, stderr=log,
    )  # fmt: skip
    time.sleep(3)  # the worker boots (Django, the first tick) before the clock starts
    targets = pool[60:]
    decided = {pk: [] for pk in targets}  # pk -> [(time committed, published)]
    state = dict.fromkeys(targets, False)
    started = time.time()
    for i in range(args.decisions):
        pk = targets[i % len(targets)]
        state[pk] = not state[pk]
        Article.objects.filter(pk=pk).set_published(state[pk], editor, via="desk")
        decided[pk].append((time.time(), state[pk]))
        pause = started + (i + 1) * args.seconds / args.decisions - time.time()
        if pause > 0:
            time.sleep(pause)
    spent = time.time() - started
    expected = len(targets)  # at least the last state of each article is announced
    deadline = time.time() + 120
    while time.time() < deadline:
        if not WebhookDelivery.objects.filter(state="pending").exists() and not queued(args):
            break
        time.sleep(0.5)
    worker.terminate()
    worker.wait(30)
    receiver.close()

    ids = [g[1] for g in receiver.got]
    by_article = {}
    lags = []
    for at, _, body in receiver.got:
        pk = body["data"]["id"]
        by_article.setdefault(pk, []).append(body["type"] == "article.published")
        before = [t for t, _ in decided[pk] if t <= at]
        if before:
            lags.append(at - before[-1])
    in_order = all(
        all(a != b for a, b in zip(seq, seq[1:], strict=False)) and seq[-1] == state[pk] and seq[0]
        for pk, seq in by_article.items()
    ) and all(pk in by_article or not state[pk] for pk in targets)
    pending = WebhookDelivery.objects.exclude(state="delivered").count()
    print(
        f"{args.decisions} decisions in {spent:.1f} s on {len(targets)} articles "
        f"({args.backend} backend, {os.environ['DATABASE_URL'].split(':')[0]}): "
        f"{len(ids)} deliveries received, {len(set(ids))} distinct webhook-ids, "
        f"{pending} not delivered, {expected - len(by_article)} articles never announced"
    )
    print(f"in order per article: {in_order}; each acknowledged once: {len(ids) == len(set(ids))}")
    print(
        f"worker lag (decision committed → received): p50 {percentile(lags, 50) * 1000:.0f} ms, "
        f"p99 {percentile(lags, 99) * 1000:.0f} ms, max {max(lags) * 1000:.0f} ms"
    )
    assert endpoint.secret


if __name__ == "__main__":
    main()
