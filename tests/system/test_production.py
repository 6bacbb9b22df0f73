"""The production profile: deploy checks, health endpoint, CSP, shared cache, object storage."""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, connection
from django.test import override_settings
from django.urls import reverse

from articles import cache_breaker
from articles.models import Article, Provider
from articles.page_cache import (
    HEALTH_KEY,
    NEXT_CHANGE_KEY,
    VERSION_KEY,
    reader_pages_changed,
    reader_pages_version,
)
from tests.support.factories import make_article
from tests.support.seeds import SAMPLE_SEED, run_import, sample_fields, seed_text
from tests.support.services import (
    REDIS_URL,
    free_port,
    gunicorn_settings,
    manage,
    redis_cache,
    wait_for_port,
)

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "news.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


def settings_in_child(env: dict, expression: str):
    """Evaluate `expression` on the settings a fresh process builds from `env`."""
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        f"import json; from django.conf import settings; print(json.dumps({expression}))",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- settings ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_production_profile_passes_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_the_deploy_checks_catch_a_missing_production_setting():
    # The check above can fail: leave out HSTS and it does.
    env = {**PRODUCTION_ENV, "SECURE_HSTS_SECONDS": "0"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


@pytest.mark.slow
def test_debug_off_without_a_secret_key_refuses_to_start():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.slow
def test_debug_off_alone_keeps_plain_http_working():
    """HTTPS redirect, HSTS and secure cookies are their own settings, not implied by DEBUG."""
    got = settings_in_child(
        {"DEBUG": "false", "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"]},
        "[settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS,"
        " settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE]",
    )
    assert got == [False, 0, False, False]


@pytest.mark.postgres
@pytest.mark.slow
def test_postgresql_keeps_connections_or_pools_them():
    server = "postgres://postgres@127.0.0.1:5432/postgres"
    persistent = settings_in_child(
        {"DATABASE_URL": server, "DATABASE_POOL": ""}, "settings.DATABASES['default']"
    )
    assert persistent["CONN_MAX_AGE"] == 60
    assert "pool" not in persistent.get("OPTIONS", {})

    # With the pool, a query really goes through psycopg's pool.
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT 1')\n"
        "    print(c.fetchone()[0], type(connection.pool).__name__)\n",
        env={"DATABASE_URL": server, "DATABASE_POOL": "true", "DATABASE_POOL_MAX_SIZE": "2"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "ConnectionPool"]


@pytest.mark.slow
def test_cache_url_selects_the_backend():
    assert settings_in_child({"CACHE_URL": ""}, "settings.CACHES['default']['BACKEND']") == (
        "django.core.cache.backends.filebased.FileBasedCache"
    )
    redis = settings_in_child(
        {"CACHE_URL": "redis://cache.internal:6379/2"}, "settings.CACHES['default']"
    )
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/2"


@pytest.mark.slow
def test_by_default_a_publish_in_one_process_refreshes_pages_another_serves(tmp_path):
    """An import from cron, or one gunicorn worker, must reach every other process's pages."""
    env = {"CACHE_URL": "", "CACHE_DIR": str(tmp_path)}
    # The children have no database, and nothing is scheduled: they need no lookup.
    read = (
        "(lambda cache: (cache.look_up_schedule_with(lambda: None), cache.reader_pages_version()))"
        "(__import__('articles.page_cache', fromlist=['x']))[1]"
    )
    before = settings_in_child(env, read)
    bump = (
        "from articles.page_cache import reader_pages_changed, reader_pages_version; "
        "reader_pages_changed(None); print(reader_pages_version())"
    )  # reader_pages_changed(None) stores "nothing scheduled": no lookup
    result = manage("shell", "--no-imports", "-c", bump, env=env)
    assert result.returncode == 0, result.stderr
    bumped = int(result.stdout)
    assert bumped == before + 1  # the bumping process saw the version the first one stored
    assert settings_in_child(env, read) == bumped  # and a third process sees the bump


@pytest.mark.slow
def test_media_storage_is_local_by_default_and_s3_with_a_bucket():
    expression = "settings.STORAGES['default']['BACKEND']"
    assert settings_in_child({"AWS_STORAGE_BUCKET_NAME": ""}, expression) == (
        "django.core.files.storage.FileSystemStorage"
    )
    assert settings_in_child({"AWS_STORAGE_BUCKET_NAME": "logos"}, expression) == (
        "storages.backends.s3.S3Storage"
    )


@pytest.mark.slow
def test_the_policy_allows_images_from_the_media_bucket_and_nothing_else_outside():
    expression = "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']"
    local = settings_in_child({"AWS_STORAGE_BUCKET_NAME": ""}, expression)
    cdn = settings_in_child(
        {"AWS_STORAGE_BUCKET_NAME": "logos", "AWS_S3_CUSTOM_DOMAIN": "media.example.org"},
        expression,
    )
    assert local["img-src"] == ["'self'"]
    assert cdn["img-src"] == ["'self'", "https://media.example.org"]
    assert {k: v for k, v in cdn.items() if k != "img-src"} == {
        k: v for k, v in local.items() if k != "img-src"
    }


def test_the_gunicorn_config_reads_its_environment():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import runpy, json; c = runpy.run_path('gunicorn.conf.py');"
            " print(json.dumps([c['bind'], c['workers'], c['accesslog'], c['wsgi_app']]))",
        ],
        env={"WEB_CONCURRENCY": "3", "GUNICORN_BIND": "127.0.0.1:8123", "PATH": ""},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [["127.0.0.1:8123"], 3, "-", "newsroom.wsgi:application"]


def test_gunicorns_control_socket_is_off_unless_given_a_path_of_its_own():
    names = ("control_socket_disable", "control_socket")
    assert gunicorn_settings({}, *names) == [True, None]
    assert gunicorn_settings({"GUNICORN_CONTROL_SOCKET": "/run/newsroom/a.ctl"}, *names) == [
        False,
        "/run/newsroom/a.ctl",
    ]


@pytest.mark.slow
def test_under_gunicorn_a_refused_host_is_one_log_line_and_no_shared_control_socket(tmp_path):
    """Scanners send foreign Host headers all day: each is one line in the log, not a
    traceback. And a second gunicorn of the same user must not take this one's control socket
    (gunicorn's default path is per user, not per instance): there is none by default."""
    runtime = tmp_path / "run"
    runtime.mkdir()
    port = free_port()
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "dummycache://",
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(runtime),  # where gunicorn would put its shared socket
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_ACCESS_LOG": "",
    }
    log = tmp_path / "server.log"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log.open("w") as out:
        server = subprocess.Popen(
            [gunicorn, "-c", "gunicorn.conf.py"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, server)
        for _ in range(3):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/", headers={"Host": "scanner.example"}
            )
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            assert refused.value.code == 400
        deadline = time.monotonic() + 10
        while log.read_text().count("Invalid HTTP_HOST header") < 3:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)  # polling the log until the deadline
        sockets = [path for path in tmp_path.rglob("*") if path.is_socket()]
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "Traceback" not in text, text
    assert len([line for line in text.splitlines() if "scanner.example" in line]) == 3, text
    assert sockets == []


@pytest.mark.slow
def test_collectstatic_writes_hashed_compressed_files(tmp_path):
    result = manage("collectstatic", "--noinput", env={"STATIC_ROOT": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    assert hashed != "css/site.css" and hashed.startswith("css/site.")
    assert (tmp_path / hashed).exists()
    assert (tmp_path / f"{hashed}.gz").exists()  # whitenoise serves this to gzip clients


# --- /healthz ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_200_when_database_and_cache_work(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails(client):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "database": "failing", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_200_with_the_cache_degraded_when_only_the_cache_is_unreachable(client):
    # Pages still answer without the cache: a load balancer must keep this server.
    closed_port = free_port()  # nothing listens there
    try:
        with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{closed_port}/0")):
            response = client.get("/healthz")
    finally:
        cache_breaker.reset()
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "degraded"}


@pytest.mark.django_db
def test_readers_still_get_pages_when_the_cache_is_unreachable(client):
    article = make_article("Ferry strike ends")
    closed_port = free_port()
    try:
        with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{closed_port}/0")):
            for _ in range(2):  # the second would be served from the cache, if there were one
                response = client.get(article.get_absolute_url())
                assert response.status_code == 200
                assert "<h1>Ferry strike ends</h1>" in response.content.decode()
    finally:
        cache_breaker.reset()


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_answers_200_on_real_redis(client):
    with override_settings(CACHES=redis_cache(REDIS_URL)):
        response = client.get("/healthz")
        cache.delete(HEALTH_KEY)  # not clear(): that would empty the whole Redis database
    assert response.status_code == 200
    assert response.json()["cache"] == "ok"


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_is_not_redirected_to_https(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301  # the rest of the site is


# --- Content-Security-Policy ------------------------------------------------------------------


@pytest.fixture
def published_article(db):
    run_import(SAMPLE_SEED)
    article = Article.objects.get()
    Article.objects.filter(pk=article.pk).set_published(True, None)
    return article


@pytest.mark.parametrize(
    "page", ["home", "detail", "admin login", "admin index", "admin changelist", "admin change"]
)
def test_every_page_carries_a_self_only_policy(client, admin_user, published_article, page):
    url = {
        "home": "/",
        "detail": published_article.get_absolute_url(),
        "admin login": reverse("admin:login"),
        "admin index": reverse("admin:index"),
        "admin changelist": reverse("admin:articles_article_changelist"),
        "admin change": reverse("admin:articles_article_change", args=[published_article.pk]),
    }[page]
    if page.startswith("admin") and page != "admin login":
        client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


# --- the shared cache on real Redis -----------------------------------------------------------

CHILD_BUMP = (
    "from articles.page_cache import reader_pages_changed, reader_pages_version\n"
    "print(reader_pages_version())\n"
    "reader_pages_changed(None)\n"
    "print(reader_pages_version())\n"
)
CHILD_READ = "from articles.page_cache import reader_pages_version\nprint(reader_pages_version())\n"


def _child_cache(code: str, location: str, prefix: str) -> list[int]:
    """Run `code` in another process that shares only the Redis cache with this one."""
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        env={"CACHE_URL": location, "CACHE_KEY_PREFIX": prefix},
    )
    assert result.returncode == 0, result.stderr
    return [int(line) for line in result.stdout.split()]


@pytest.fixture
def shared_redis():
    """Django's cache on Redis (tests that use this are marked `redis`), with keys of its own."""
    caches = redis_cache(REDIS_URL)
    with override_settings(CACHES=caches):
        # As after any change: the child processes, which have no database, need not look up
        # the next scheduled change.
        reader_pages_changed(None)
        yield REDIS_URL, caches["default"]["KEY_PREFIX"]
        cache.delete_many([VERSION_KEY, NEXT_CHANGE_KEY])


@pytest.mark.redis
@pytest.mark.slow
def test_a_version_bump_in_one_process_is_seen_by_another(shared_redis):
    location, prefix = shared_redis
    before = reader_pages_version()

    child_saw, child_after = _child_cache(CHILD_BUMP, location, prefix)

    assert child_saw == before
    assert child_after > before
    assert reader_pages_version() == child_after  # here, at once, no restart


@pytest.mark.redis
@pytest.mark.slow
def test_publishing_here_changes_the_version_another_process_reads(
    shared_redis, published_article, django_capture_on_commit_callbacks
):
    location, prefix = shared_redis
    before = _child_cache(CHILD_READ, location, prefix)[0]

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=published_article.pk).set_published(False, None)
    after_unpublish = _child_cache(CHILD_READ, location, prefix)[0]
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=published_article.pk).set_published(True, None)
    after_publish = _child_cache(CHILD_READ, location, prefix)[0]

    assert before < after_unpublish < after_publish


@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.django_db
def test_an_import_here_changes_the_version_another_process_reads(shared_redis, tmp_path):
    location, prefix = shared_redis
    before = _child_cache(CHILD_READ, location, prefix)[0]
    fields = sample_fields()
    path = tmp_path / "one.txt"
    path.write_text(seed_text(fields), encoding="utf-8")

    assert run_import(path).code == 0
    after_import = _child_cache(CHILD_READ, location, prefix)[0]
    assert run_import(path).code == 0  # unchanged: nothing readers could see changed
    after_unchanged = _child_cache(CHILD_READ, location, prefix)[0]
    path.write_text(seed_text({**fields, "title": "Updated: " + fields["title"]}), "utf-8")
    assert run_import(path).code == 0
    after_update = _child_cache(CHILD_READ, location, prefix)[0]

    assert before < after_import == after_unchanged < after_update


@pytest.mark.redis
def test_an_evicted_version_restarts_above_every_old_one(shared_redis):
    before = reader_pages_version()
    cache.delete(VERSION_KEY)  # as Redis would under memory pressure
    reader_pages_changed(None)
    assert reader_pages_version() > before


# --- media on S3-compatible storage (moto in server mode) -------------------------------------


@pytest.fixture(scope="module")
def s3_server():
    moto = Path(sys.executable).parent / "moto_server"  # tests using this require it
    port = free_port()
    server = subprocess.Popen(
        [moto, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "newsroom-test", "AWS_SECRET_ACCESS_KEY": "newsroom-test"}


def _s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="newsroom-test",
        aws_secret_access_key="newsroom-test",
    )


@pytest.fixture
def bucket(s3_server):
    name = f"newsroom-{secrets.token_hex(4)}"
    _s3_client(s3_server).create_bucket(Bucket=name)
    return name


@pytest.fixture
def public_bucket(s3_server, bucket):
    """A bucket whose objects anyone may read, as docs/DEPLOYMENT.md sets up for media."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }
    _s3_client(s3_server).put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    return bucket


def _s3_storages(endpoint: str, bucket: str) -> dict:
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "newsroom-test",
                "secret_key": "newsroom-test",
                "file_overwrite": False,
                "querystring_auth": True,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.mark.slow
@pytest.mark.requires("moto_server")
def test_a_file_set_up_from_environment_variables_goes_to_the_bucket(s3_server, public_bucket):
    """The whole path: env vars -> settings -> default_storage -> bucket -> URL -> bytes."""
    env = {
        **S3_CREDENTIALS,
        "AWS_STORAGE_BUCKET_NAME": public_bucket,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_S3_REGION_NAME": "us-east-1",
    }
    code = (
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage as s\n"
        "name = s.save('share/one.txt', ContentFile(b'a share image, pretend'))\n"
        "print(name); print(s.url(name)); print(s.open(name).read().decode())\n"
    )
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    name, url, read_back = result.stdout.splitlines()

    assert name == "share/one.txt"
    # A plain URL that does not expire, for cached pages and share previews.
    assert url == f"{s3_server}/{public_bucket}/share/one.txt"
    assert read_back == "a share image, pretend"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"a share image, pretend"


@pytest.mark.slow
@pytest.mark.requires("moto_server")
@pytest.mark.django_db
def test_a_provider_logo_is_stored_in_the_bucket_and_served_from_its_url(s3_server, bucket):
    """Also with signed URLs (AWS_QUERYSTRING_AUTH=true), for a bucket that is not public."""
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
        b"\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    with override_settings(STORAGES=_s3_storages(s3_server, bucket)):
        provider = Provider(name="Example News", domain="example.org")
        provider.logo.save("example.png", ContentFile(png))
        provider.refresh_from_db()

        assert provider.logo.name.startswith("providers/example")
        assert default_storage.exists(provider.logo.name)
        assert "Signature=" in provider.logo.url
        with urllib.request.urlopen(provider.logo.url, timeout=10) as response:
            assert response.read() == png
        with provider.logo.open("rb") as stored:
            assert stored.read() == png
        # A second logo of the same name does not overwrite the first.
        other = default_storage.save(provider.logo.name, ContentFile(b"other"))
        assert other != provider.logo.name
