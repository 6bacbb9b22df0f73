"""Helpers tests call (not fixtures, not factories): logging in, admin actions, the browser.

Seed-file helpers (sample_fields, seed_text, run_import) live in articles/tests/conftest.py
beside the seed fixtures that use them; rows are made with articles/tests/factories.py.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from articles.tests.factories import user_in_role

CHANGELIST = reverse("admin:articles_article_changelist")


def log_in(client, role: str) -> User | None:
    """Log `client` in as a new user in `role` (see factories.user_in_role); None: anonymous."""
    user = user_in_role(role)
    if user:
        client.force_login(user)
    return user


def action(client, name, *articles, url=CHANGELIST):
    """Run the admin action `name` on `articles` from the list at `url`, following redirects."""
    return client.post(
        url, {"action": name, "_selected_action": [a.pk for a in articles]}, follow=True
    )


# --- The browser: Debian's Chromium, the flags it runs with on our machines (no sandbox as
# root, no calls home on a closed network), and where screenshots go. A test marked `browser`
# is skipped when Chromium is missing, and fails under CI=true: see the root conftest.py.

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"  # git-ignored, for people to look at
# Checkers from npm (`npm ci`): axe-core runs in the page; the Nu HTML checker runs with Java.
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
