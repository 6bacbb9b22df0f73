"""The admin through Django's test client: logging in as a role, running a list action.

Rows are made with tests/support/factories.py; the desk's own helpers are in
tests/support/desk.py.
"""

from django.contrib.auth.models import User
from django.urls import reverse

from tests.support.factories import user_in_role

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
