"""A desk decision that waits on an import's write lock (SQLite) answers 503 with a message
desk.js shows and `Retry-After`, not a bare 500. The lock is real: this process holds
BEGIN IMMEDIATE on the database file while a fresh Django process, with a one-second busy
timeout (`SQLITE_TIMEOUT`), posts the decision through the test client."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings

from tests.support.services import manage

pytestmark = pytest.mark.slow

# Runs in the child: an editor and a waiting article, "ready"; then, once told, two posts
# of a decision (as desk.js, and as a form), each printed as one JSON line.
CHILD = """
import json, sys
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from tests.support.factories import make_article, user_in_role

setup_test_environment()
editor = user_in_role("editor")
article = make_article("Waiting while an import writes", published=False)
client = Client(raise_request_exception=False)
client.force_login(editor)
url = reverse("admin:desk_decide", args=[article.pk])
print("ready", flush=True)
sys.stdin.readline()
for accept in ("application/json", "text/html"):
    r = client.post(url, {"decision": "publish"}, HTTP_ACCEPT=accept)
    print(json.dumps({"status": r.status_code, "retry": r.get("Retry-After"),
                      "type": r["Content-Type"], "body": r.content.decode()}), flush=True)
"""


def test_a_decision_waiting_on_the_write_lock_answers_503_with_a_message(tmp_path):
    database = tmp_path / "busy.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "SQLITE_TIMEOUT": "1", "DEBUG": "true"}
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        import_writing = sqlite3.connect(database, isolation_level=None)
        import_writing.execute("BEGIN IMMEDIATE")  # as an import's batch holds it
        try:
            child.stdin.write("go\n")
            child.stdin.flush()
            answers = [json.loads(child.stdout.readline()) for _ in range(2)]
        finally:
            import_writing.execute("ROLLBACK")
            import_writing.close()
        child.wait(timeout=60)
    finally:
        child.kill()

    as_json, as_page = answers
    assert as_json["status"] == 503 and as_json["retry"] == "5"
    assert as_json["type"] == "application/json"
    assert json.loads(as_json["body"]) == {
        "ok": False,
        "message": "The database is busy: an import is writing. Nothing was recorded; try again.",
    }
    assert as_page["status"] == 503 and as_page["retry"] == "5"
    assert "The database is busy: an import is writing" in as_page["body"]
