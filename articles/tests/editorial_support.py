"""Helpers for the editorial tests: articles made directly (fast) and users in each role."""

import datetime as dt
import itertools

from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Provider

CHANGELIST = reverse("admin:articles_article_changelist")
_numbers = itertools.count(1)


def make_provider(domain=None, name=None) -> Provider:
    number = next(_numbers)
    domain = domain or f"provider{number}.example"
    return Provider.objects.get_or_create(domain=domain, defaults={"name": name or domain})[0]


def make_article(*, provider=None, topics=(), **fields) -> Article:
    number = next(_numbers)
    fields.setdefault("title", f"Story number {number}")
    fields.setdefault("source_published_at", timezone.now() - dt.timedelta(hours=number))
    fields.setdefault("canonical_url", f"https://news.example/{number}")
    fields.setdefault("slug", Article.slug_for(fields["title"]))
    article = Article.objects.create(provider=provider or make_provider(), **fields)
    if topics:
        article.topics.add(*topics)
    return article


def user_in_role(role: str, password: str | None = None) -> User | None:
    """None for "anonymous"; else a user: "staff" (Staff group), "editor" (Editors), "superuser",
    or "plain" (staff status and no group). Without a password (hashing is slow), log in with
    `client.force_login`."""
    if role == "anonymous":
        return None
    if role == "superuser":
        return User.objects.create_superuser(role, f"{role}@example.com", password)
    user = User.objects.create_user(role, password=password, is_staff=True)
    group = {"staff": "Staff", "editor": "Editors"}.get(role)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def log_in(client, role: str) -> User | None:
    user = user_in_role(role)
    if user:
        client.force_login(user)
    return user


def action(client, name, *articles, url=CHANGELIST):
    return client.post(
        url, {"action": name, "_selected_action": [a.pk for a in articles]}, follow=True
    )
