"""Two app servers, one PostgreSQL, one Redis: a publish on one is served by the other at once.

    python bench/two_servers.py [--database-url URL] [--cache-url URL] [--ports 8510,8511]

Starts two gunicorn instances on loopback ports, sharing one PostgreSQL database (a throw-away
one, created and dropped here, unless --database-url is given) and one Redis cache. It imports
the sample seed, logs in to the admin of server A as an editor and publishes the article there,
then asks server B for the home page and the article page straight away; then unpublishes on A
and asks B again. It prints what each server answered and exits non-zero if B ever showed
readers something A's editor had not decided.
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
SAMPLE_SEED = ROOT / "seeds" / "000_0d7d1d0ba49d6fa5.txt"
ADMIN_SERVER = "postgres://postgres@127.0.0.1:5432"


@contextmanager
def throwaway_database(server_url: str):
    import psycopg

    name = f"newsroom_prod_two_servers_{os.getpid()}"
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server_url}/{name}"
    finally:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args, stdin=None):
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        input=stdin,
        text=True,
        stdout=subprocess.DEVNULL,
    )


def shell(env, code: str) -> str:
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "--no-imports", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        capture_output=True,
    ).stdout.strip()


@contextmanager
def gunicorn(env, port: int):
    server = subprocess.Popen(
        [GUNICORN, "--config", str(ROOT / "gunicorn.conf.py")],
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn on {port} exited:\n{server.stderr.read()}")
            try:
                if fetch(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn on {port} did not become healthy")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(url, opener=None, data=None):
    """(status, body) of one request; errors are answers too."""
    request = urllib.request.Request(url, data=data)
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class AdminSession:
    """An editor logged in to one server's admin, as a browser would be."""

    def __init__(self, base: str, username: str, password: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
        )
        status, body = fetch(base + "/admin/", self.opener)
        if status != 200 or "Log out" not in body:
            raise SystemExit(f"could not log in to {base}/admin/ ({status})")

    def csrf_token(self, path: str) -> str:
        _, body = fetch(self.base + path, self.opener)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        fields = {**fields, "csrfmiddlewaretoken": self.csrf_token(path)}
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        return fetch(self.base + path, self.opener, data)

    def action(self, name: str, article_id: int) -> str:
        status, body = self.post(
            "/admin/articles/article/",
            {"action": name, "_selected_action": [article_id], "index": 0},
        )
        message = re.search(r'<li class="success">([^<]+)', body)
        if status != 200 or not message:
            raise SystemExit(f"the admin action {name} failed ({status})")
        return message.group(1)


def forget_cache_keys(cache_url: str, prefix: str) -> None:
    """Remove this run's keys only; other users of the same Redis database keep theirs."""
    import redis

    client = redis.Redis.from_url(cache_url)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an existing PostgreSQL database to use")
    parser.add_argument("--postgres", default=ADMIN_SERVER, help="server for a throw-away db")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--ports", default="8510,8511")
    args = parser.parse_args()
    port_a, port_b = (int(p) for p in args.ports.split(","))

    with ExitStack() as stack:
        database_url = args.database_url or stack.enter_context(throwaway_database(args.postgres))
        static_root = stack.enter_context(tempfile.TemporaryDirectory())
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "CACHE_URL": args.cache_url,
            "CACHE_KEY_PREFIX": f"newsroom-two-servers-{secrets.token_hex(4)}",
            "STATIC_ROOT": static_root,
            "WEB_CONCURRENCY": "2",
            "GUNICORN_ACCESS_LOG": "",
            "LOG_LEVEL": "WARNING",
        }
        print(f"database {database_url}\ncache    {args.cache_url}")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "import_seeds", str(SAMPLE_SEED))
        password = secrets.token_urlsafe(16)
        article_id, title, url = shell(
            env,
            "from django.contrib.auth.models import Group, User\n"
            "from articles.models import Article\n"
            f"u = User.objects.create_user('editor', password='{password}', is_staff=True)\n"
            "u.groups.add(Group.objects.get(name='Editors'))\n"
            "a = Article.objects.get()\n"
            "Article.objects.filter(pk=a.pk).set_published(False, None)\n"
            "print(a.pk, a.title, a.get_absolute_url(), sep='\\n')\n",
        ).splitlines()
        article_id = int(article_id)

        a = stack.enter_context(gunicorn(env, port_a))
        b = stack.enter_context(gunicorn(env, port_b))
        print(f"server A {a}\nserver B {b}  (2 gunicorn workers each)\n")

        def what_b_serves(moment: str, since: float | None = None) -> tuple[bool, bool]:
            home_status, home = fetch(b + "/")
            detail_status, _ = fetch(b + url)
            if since is not None:
                moment = f"{(time.monotonic() - since) * 1000:.0f} ms {moment}"
            on_home = title in home.replace("&#x27;", "'").replace("&amp;", "&")
            print(
                f"  B home page {home_status}: article {'listed' if on_home else 'not listed'}; "
                f"article page {detail_status}   (both answered {moment})"
            )
            return on_home, detail_status == 200

        failures = 0
        print(f"article {article_id}: {title!r}, unpublished")
        if what_b_serves("before anything changed; warms B's caches") != (False, False):
            failures += 1

        editor = AdminSession(a, "editor", password)
        print(f"A admin: {editor.action('publish_selected', article_id)}")
        if what_b_serves("after A answered", since=time.monotonic()) != (True, True):
            failures += 1

        print(f"A admin: {editor.action('unpublish_selected', article_id)}")
        if what_b_serves("after A answered", since=time.monotonic()) != (False, False):
            failures += 1

        forget_cache_keys(args.cache_url, env["CACHE_KEY_PREFIX"])

    print("\nOK: B served each editor decision made on A at once." if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
