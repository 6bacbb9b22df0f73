import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from articles.models import Article
from tests.support.seeds import SAMPLE_SEED, run_import

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def article():
    run_import(SAMPLE_SEED)
    return Article.objects.get()


def staff_user(name, *groups):
    user = User.objects.create_user(name, password="pw-for-tests-only", is_staff=True)
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    return user


def post_action(client, action, *articles):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_an_editor_publishes_and_unpublishes_from_the_list(client, article):
    editor = staff_user("editor", "Editors")
    client.force_login(editor)

    response = post_action(client, "publish_selected", article)

    assert "1 article published." in response.content.decode()
    article.refresh_from_db()
    assert article.published is True
    assert article.reviewed_by == editor
    assert Article.objects.published().count() == 1

    response = post_action(client, "unpublish_selected", article)
    assert "1 article unpublished." in response.content.decode()
    assert Article.objects.published().count() == 0


def test_staff_without_the_publish_permission_cannot_publish(client, article):
    viewer = staff_user("viewer")
    viewer.user_permissions.add(
        *Group.objects.get(name="Editors").permissions.exclude(codename="publish_article")
    )
    client.force_login(viewer)

    page = client.get(CHANGELIST)
    assert page.status_code == 200
    assert "publish_selected" not in page.content.decode()

    post_action(client, "publish_selected", article)
    article.refresh_from_db()
    assert article.published is False


def test_the_editors_group_holds_the_publish_permission():
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"view_article", "change_article", "publish_article"} <= codenames
    assert "delete_article" not in codenames


def test_publishing_changes_the_reader_pages_version(
    client, article, django_capture_on_commit_callbacks
):
    from articles.page_cache import reader_pages_version

    before = reader_pages_version()
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.all().set_published(True, staff_user("editor", "Editors"))
    assert reader_pages_version() != before
