"""Who may see and do what: every role × every admin screen and action and every reader surface.

The tables below are the specification; each row is checked for each role through HTTP. Roles:

- anonymous: not logged in
- reader: logged in, not staff (any account that is not staff status)
- plain: staff status, in no group (may enter the admin, may see nothing in it)
- staff: the `Staff` group (look and correct, not publish)
- editor: the `Editors` group (review and publish)
- superuser

Unpublished articles (never published, or published under an embargo not yet over) are
never visible to anyone on the reader site, staff included: staff see them only through the
admin's preview.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ImportRun, ReviewDecision, Story
from tests.support.factories import make_article, user_in_role

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reader", "plain", "staff", "editor", "superuser")

# --- Admin screens: GET, status code per role ------------------------------------------------
# 302 = sent to the login page; 403 = refused; 404 = not found (the preview does not tell a
# staff member without the view permission whether the article exists).
# Articles, import runs and review decisions are never added by hand, and decisions and import
# runs are never deleted: 403 for everyone, superuser included.

ADMIN_SCREENS = [
    # screen                        anonymous reader plain    staff editor superuser
    ("admin index", "{index}", (302, 302, 200, 200, 200, 200)),
    ("review queue", "{articles}?review=waiting", (302, 302, 403, 200, 200, 200)),
    ("review desk", "{desk}", (302, 302, 403, 200, 200, 200)),
    ("all articles", "{articles}", (302, 302, 403, 200, 200, 200)),
    ("article (unpublished) page", "{hidden_change}", (302, 302, 403, 200, 200, 200)),
    ("article (published) page", "{shown_change}", (302, 302, 403, 200, 200, 200)),
    ("article preview", "{hidden_preview}", (302, 302, 404, 200, 200, 200)),
    ("article add", "{article_add}", (302, 302, 403, 403, 403, 403)),
    ("article delete", "{hidden_delete}", (302, 302, 403, 403, 403, 200)),
    ("article history", "{hidden_history}", (302, 302, 403, 200, 200, 200)),
    ("providers", "{providers}", (302, 302, 403, 200, 200, 200)),
    ("provider page", "{provider_change}", (302, 302, 403, 200, 200, 200)),
    ("provider add", "{provider_add}", (302, 302, 403, 403, 403, 403)),
    ("provider delete", "{provider_delete}", (302, 302, 403, 403, 403, 200)),
    ("review decisions", "{decisions}", (302, 302, 403, 200, 200, 200)),
    ("review decision page", "{decision_change}", (302, 302, 403, 200, 200, 200)),
    ("review decision delete", "{decision_delete}", (302, 302, 403, 403, 403, 403)),
    ("import runs", "{runs}", (302, 302, 403, 200, 200, 200)),
    ("import run page", "{run_change}", (302, 302, 403, 200, 200, 200)),
    ("import run add", "{run_add}", (302, 302, 403, 403, 403, 403)),
    ("import run delete", "{run_delete}", (302, 302, 403, 403, 403, 403)),
    # Editors keep the import rules; staff see them.
    ("import rules", "{rules}", (302, 302, 403, 200, 200, 200)),
    ("import rule add", "{rule_add}", (302, 302, 403, 403, 200, 200)),
    # Import seeds from the admin (upload, preview, import): its own permission, both groups.
    ("import seeds (upload)", "{upload}", (302, 302, 403, 200, 200, 200)),
    ("users", "{users}", (302, 302, 403, 403, 403, 200)),
    ("user add", "{user_add}", (302, 302, 403, 403, 403, 200)),
    ("user page", "{user_change}", (302, 302, 403, 403, 403, 200)),
    ("groups", "{groups}", (302, 302, 403, 403, 403, 200)),
    ("group page", "{group_change}", (302, 302, 403, 403, 403, 200)),
    ("login throttling records", "{axes_attempts}", (302, 302, 403, 403, 403, 200)),
]

# --- Admin actions: POST, status code per role, and whether the decision landed ---------------
# Staff may reach the list but not the publish actions (the admin offers them only to holders
# of `publish_article`, so the POST just shows the list again) and the change page's published
# box is read-only for them (the page saves nothing). 1 = the decision landed and was recorded.

ADMIN_ACTIONS = [
    # action            anonymous  reader    plain      staff      editor     superuser
    ("publish_selected", ((302, 0), (302, 0), (403, 0), (200, 0), (302, 1), (302, 1))),
    ("unpublish_selected", ((302, 0), (302, 0), (403, 0), (200, 0), (302, 1), (302, 1))),
    ("change page: publish", ((302, 0), (302, 0), (403, 0), (302, 0), (302, 1), (302, 1))),
    # The page's decision buttons: staff never get them, and the server refuses them.
    ("change page: Publish button", ((302, 0), (302, 0), (403, 0), (403, 0), (302, 1), (302, 1))),
    ("change page: Unpublish button", ((302, 0), (302, 0), (403, 0), (403, 0), (302, 1), (302, 1))),
    # The review desk refuses staff outright (403), with JavaScript or without.
    ("desk: publish", ((302, 0), (302, 0), (403, 0), (403, 0), (302, 1), (302, 1))),
    ("desk: keep unpublished", ((302, 0), (302, 0), (403, 0), (403, 0), (302, 1), (302, 1))),
    ("desk: publish a story", ((302, 0), (302, 0), (403, 0), (403, 0), (302, 1), (302, 1))),
]

# --- Reader surfaces: GET, the same for every role --------------------------------------------
# {shown}: a published article; {hidden}: never published; {embargoed}: published with a
# go-live time tomorrow. Topic "Harbour" and example.com have a published article too;
# topic "Sealed" and sealed.example have only unpublished ones.

READER_SURFACES = [
    ("home", "/", 200),
    ("an old page number (to the first page)", "/?page=2", 302),
    ("a cursor that is no position", "/?before=x", 404),
    ("published article", "{shown_url}", 200),
    ("unpublished article", "{hidden_url}", 404),
    ("embargoed article", "{embargoed_url}", 404),
    ("published share image", "/articles/{shown_pk}/share.png", 200),
    ("unpublished share image", "/articles/{hidden_pk}/share.png", 404),
    ("embargoed share image", "/articles/{embargoed_pk}/share.png", 404),
    ("topic with a published article", "/topics/harbour/", 200),
    ("topic with unpublished articles only", "/topics/sealed/", 404),
    ("provider with a published article", "/providers/example.com/", 200),
    ("provider with unpublished articles only", "/providers/sealed.example/", 404),
    ("search", "/search/?q=harbour", 200),
    ("search for the unpublished article's words", "/search/?q=confidential", 200),
    ("RSS", "/feed/", 200),
    ("Atom", "/feed/atom/", 200),
    ("topic RSS", "/topics/harbour/feed/", 200),
    ("topic Atom", "/topics/harbour/feed/atom/", 200),
    ("topic RSS, unpublished only", "/topics/sealed/feed/", 404),
    ("sitemap index", "/sitemap.xml", 200),
    ("sitemap: home", "/sitemap-home.xml", 200),
    ("sitemap: articles", "/sitemap-articles.xml", 200),
    ("sitemap: topics", "/sitemap-topics.xml", 200),
    ("sitemap: providers", "/sitemap-providers.xml", 200),
    ("health check", "/healthz", 200),
    ("robots.txt", "/robots.txt", 200),
]


@pytest.fixture
def world(tmp_path, settings):
    """Articles in every state a reader might stumble on, and one of every admin object."""
    settings.MEDIA_ROOT = tmp_path  # share images are drawn into it
    shown = make_article("Harbour bridge reopens", topics=("Harbour",))
    hidden = make_article(
        "Confidential harbour inquiry draft",
        published=False,
        topics=("Harbour", "Sealed"),
        provider=("Sealed Wire", "sealed.example"),
        excerpt="Confidential: not for readers.",
    )
    embargoed = make_article(
        "Confidential harbour budget under embargo",
        topics=("Harbour", "Sealed"),
        provider=("Sealed Wire", "sealed.example"),
    )
    Article.objects.filter(pk=embargoed.pk).update(publish_at=timezone.now() + dt.timedelta(days=1))
    embargoed.refresh_from_db()
    assert Tag.objects.filter(slug="sealed").exists()
    other = User.objects.create_user("someone", is_staff=True)
    decision = ReviewDecision.objects.create(
        article=shown,
        editor=other,
        change=ReviewDecision.Change.PUBLISH,
        was_published=False,
        published=True,
    )
    run = ImportRun.objects.create(paths="seeds/", status=ImportRun.Status.FINISHED)
    group = Group.objects.get(name="Editors")

    def admin(name, *args):
        return reverse(f"admin:{name}", args=args)

    urls = {
        "index": admin("index"),
        "articles": admin("articles_article_changelist"),
        "desk": admin("desk"),
        "hidden_change": admin("articles_article_change", hidden.pk),
        "shown_change": admin("articles_article_change", shown.pk),
        "hidden_preview": admin("articles_article_preview", hidden.pk),
        "article_add": admin("articles_article_add"),
        "hidden_delete": admin("articles_article_delete", hidden.pk),
        "hidden_history": admin("articles_article_history", hidden.pk),
        "providers": admin("articles_provider_changelist"),
        "provider_change": admin("articles_provider_change", shown.provider.pk),
        "provider_add": admin("articles_provider_add"),
        "provider_delete": admin("articles_provider_delete", shown.provider.pk),
        "decisions": admin("articles_reviewdecision_changelist"),
        "decision_change": admin("articles_reviewdecision_change", decision.pk),
        "decision_delete": admin("articles_reviewdecision_delete", decision.pk),
        "runs": admin("articles_importrun_changelist"),
        "rules": admin("articles_importrule_changelist"),
        "rule_add": admin("articles_importrule_add"),
        "upload": admin("articles_importrun_upload"),
        "run_change": admin("articles_importrun_change", run.pk),
        "run_add": admin("articles_importrun_add"),
        "run_delete": admin("articles_importrun_delete", run.pk),
        "users": admin("auth_user_changelist"),
        "user_add": admin("auth_user_add"),
        "user_change": admin("auth_user_change", other.pk),
        "groups": admin("auth_group_changelist"),
        "group_change": admin("auth_group_change", group.pk),
        "axes_attempts": admin("axes_accessattempt_changelist"),
        "shown_url": shown.get_absolute_url(),
        "hidden_url": hidden.get_absolute_url(),
        "embargoed_url": embargoed.get_absolute_url(),
        "shown_pk": shown.pk,
        "hidden_pk": hidden.pk,
        "embargoed_pk": embargoed.pk,
    }
    return {"shown": shown, "hidden": hidden, "embargoed": embargoed, "urls": urls}


def test_the_tables_cover_every_role():
    assert all(len(codes) == len(ROLES) for _, _, codes in ADMIN_SCREENS)
    assert all(len(outcomes) == len(ROLES) for _, outcomes in ADMIN_ACTIONS)


@pytest.mark.parametrize("role", ROLES)
def test_admin_screens(client, world, role):
    user = user_in_role(role)
    if user:
        client.force_login(user)
    column = ROLES.index(role)
    wrong = []
    for screen, url, codes in ADMIN_SCREENS:
        response = client.get(url.format(**world["urls"]))
        if response.status_code != codes[column]:
            wrong.append(f"{screen}: {response.status_code}, expected {codes[column]}")
        if codes[column] == 302:
            assert response["Location"].startswith(reverse("admin:login")), screen
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_only_staff_see_an_unpublished_article_and_only_in_the_preview(client, world):
    """The preview shows the article itself, marked as a preview and never stored by a cache."""
    client.force_login(user_in_role("staff"))
    response = client.get(world["urls"]["hidden_preview"])
    assert response.status_code == 200
    assert world["hidden"].title in response.text
    assert "no-store" in response["Cache-Control"]
    # The reader page, for the same logged-in staff member: not there.
    assert client.get(world["urls"]["hidden_url"]).status_code == 404


CHANGE_PAGE_POSTS = {
    "change page: publish": {"published": "on"},
    "change page: Publish button": {"_publish": "Publish"},
    "change page: Unpublish button": {"published": "on", "_unpublish": "Unpublish"},
}


def _post_action(client, name, article):
    if name == "desk: publish a story":
        story = Story.objects.create()
        Article.objects.filter(pk=article.pk).update(story=story)
        return client.post(
            reverse("admin:desk_decide_story", args=[story.pk]),
            {"decision": "all", "members": str(article.pk)},
        )
    if name.startswith("desk: "):
        decision = "publish" if name == "desk: publish" else "keep"
        return client.post(reverse("admin:desk_decide", args=[article.pk]), {"decision": decision})
    if name in CHANGE_PAGE_POSTS:
        return client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            {
                "related_links-TOTAL_FORMS": 0,
                "related_links-INITIAL_FORMS": 0,
                "related_links-MIN_NUM_FORMS": 0,
                "related_links-MAX_NUM_FORMS": 1000,
                "publish_at": "",
                "unpublish_at": "",
                **CHANGE_PAGE_POSTS[name],
            },
        )
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": name, "_selected_action": [article.pk], "index": 0},
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,outcomes", ADMIN_ACTIONS, ids=[a[0] for a in ADMIN_ACTIONS])
def test_admin_actions(client, world, role, name, outcomes):
    user = user_in_role(role)
    if user:
        client.force_login(user)
    status, lands = outcomes[ROLES.index(role)]
    unpublishing = name in (
        "unpublish_selected",
        "change page: Unpublish button",
        "desk: keep unpublished",
    )
    target = world["shown"] if unpublishing else world["hidden"]
    was_published = target.published

    response = _post_action(client, name, target)

    target.refresh_from_db()
    assert response.status_code == status
    assert (target.published != was_published) == bool(lands)
    decisions = ReviewDecision.objects.filter(article=target, editor=user)
    assert decisions.exists() == bool(lands)


@pytest.mark.parametrize("role", ROLES)
def test_reader_surfaces(client, world, role):
    """The same answers for every role, and nothing unpublished in any of them."""
    user = user_in_role(role)
    if user:
        client.force_login(user)
    hidden, embargoed = world["hidden"], world["embargoed"]
    secrets = [
        hidden.title,
        embargoed.title,
        "Confidential",
        "/topics/sealed/",
        "sealed.example",
        hidden.get_absolute_url(),
        embargoed.get_absolute_url(),
    ]
    wrong = []
    for surface, url, expected in READER_SURFACES:
        response = client.get(url.format(**world["urls"]))
        if response.status_code != expected:
            wrong.append(f"{surface}: {response.status_code}, expected {expected}")
            continue
        if response.status_code == 200 and not response.get("Content-Type", "").startswith(
            "image/"
        ):
            text = response.content.decode()
            leaked = [secret for secret in secrets if secret in text]
            if leaked:
                wrong.append(f"{surface} shows {leaked}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_the_published_article_is_where_readers_look(client, world):
    """The leak check above would pass on empty pages: the published article is in each."""
    shown = world["shown"]
    for url in [
        "/",
        "/topics/harbour/",
        "/providers/example.com/",
        "/search/?q=harbour",
        "/feed/",
        "/feed/atom/",
        "/topics/harbour/feed/",
        "/topics/harbour/feed/atom/",
    ]:
        text = client.get(url).content.decode().replace("<mark>", "").replace("</mark>", "")
        assert shown.title in text, url  # (search marks the words it matched)
    sitemap = client.get("/sitemap-articles.xml").content.decode()
    assert shown.get_absolute_url() in sitemap
    assert "/topics/harbour/" in client.get("/sitemap-topics.xml").content.decode()
    assert "/providers/example.com/" in client.get("/sitemap-providers.xml").content.decode()
    assert client.get(f"/articles/{shown.pk}/share.png")["Content-Type"] == "image/png"
