"""The suite's factories: rows made directly in the database, fast, with defaults a test can
override. Every test that needs an article, a provider or a user in a role makes it here."""

import datetime as dt
import itertools

from django.contrib.auth.models import Group, User

from articles import page_cache
from articles.models import Article, Provider, RelatedLink

_numbers = itertools.count(1)
# Source dates are fixed, not taken from the clock: each new article is an hour newer than the
# one made before it.
BASE_DATE = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC)
SECURED = "c2VjcmV0LXBheWxvYWQ=;AAAAAAAAAAAAAAAAAAAAAA=="


def make_provider(domain: str | None = None, name: str | None = None) -> Provider:
    """The provider with this domain, made if new (a fresh domain when none is given)."""
    domain = domain or f"provider{next(_numbers)}.example"
    return Provider.objects.get_or_create(domain=domain, defaults={"name": name or domain})[0]


def make_article(
    title: str | None = None,
    *,
    published: bool = True,
    provider: Provider | tuple[str, str] = ("Example News", "example.com"),
    topics=(),
    related: tuple[dict, ...] = (),
    url: str | None = None,
    **fields,
) -> Article:
    """An article as an import leaves it, and as readers see it: published, no editor decision
    yet (`reviewed_at` empty: it waits in the review queue), source date `BASE_DATE` plus an
    hour per article made. Pass `published=False` for one the source did not mark published.

    `provider`: a Provider, or (name, domain) for the provider with that domain (made if new).
    `url` sets the canonical, web and original URLs at once (by default a new URL under the
    provider's domain). `related`: dicts of {title, url, provider: (name, domain)?, when?}.
    Any other keyword is an Article field (quality, heat, publish_at, reviewed_at, ...).

    Reader pages are refreshed as an import's commit refreshes them (the test's own transaction
    never commits)."""
    number = next(_numbers)
    if not isinstance(provider, Provider):
        provider = make_provider(provider[1], provider[0])
    url = url or f"https://{provider.domain}/news/{number}"
    title = title if title is not None else f"Story number {number}"
    fields.setdefault("source_published_at", BASE_DATE + dt.timedelta(hours=number))
    fields.setdefault("slug", Article.slug_for(title))
    for key in ("canonical_url", "web_url", "original_url"):
        fields.setdefault(key, url)
    fields.setdefault("secured", SECURED)
    article = Article.objects.create(title=title, provider=provider, published=published, **fields)
    if topics:
        article.topics.add(*topics)
    for position, link in enumerate(related):
        link_provider = None
        if link.get("provider"):
            link_provider = make_provider(link["provider"][1], link["provider"][0])
        RelatedLink.objects.create(
            article=article,
            position=position,
            title=link["title"],
            url=link["url"],
            provider=link_provider,
            source_published_at=link.get("when"),
        )
    page_cache.reader_pages_changed(Article.objects.next_schedule_change())
    return article


ROLES = ("anonymous", "reader", "plain", "staff", "editor", "superuser")


def user_in_role(role: str, password: str | None = None) -> User | None:
    """None for "anonymous"; else a user named after the role: "reader" (logged in, not staff),
    "plain" (staff status, in no group), "staff" (the Staff group), "editor" (Editors) or
    "superuser". Without a password (hashing is slow), log in with `client.force_login`."""
    if role not in ROLES:
        raise ValueError(f"no such role: {role!r} (one of {', '.join(ROLES)})")
    if role == "anonymous":
        return None
    if role == "superuser":
        return User.objects.create_superuser(role, f"{role}@example.com", password)
    user = User.objects.create_user(role, password=password, is_staff=role != "reader")
    group = {"staff": "Staff", "editor": "Editors"}.get(role)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user
