"""Share images: what social sites fetch for an article, drawn once, and never reachable once
readers may no longer see the article (no copy at a public media address)."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.utils import timezone
from PIL import Image

from articles.models import Article
from articles.reader import share_images
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def drawings():
    """How many times an image was drawn."""
    with mock.patch.object(
        share_images, "draw_share_image", wraps=share_images.draw_share_image
    ) as draw:
        yield draw


def image_of(client, article):
    response = client.get(f"/articles/{article.pk}/share.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return response.content


def test_share_image_is_a_1200_by_630_png_drawn_once(client, media, drawings):
    article = make_article("Storm closes the harbour for three days")
    image = Image.open(io.BytesIO(image_of(client, article)))
    assert image.format == "PNG" and image.size == (1200, 630)
    # Not a blank canvas: the title and byline are drawn in several colours.
    assert len(image.getcolors(maxcolors=1_000_000)) > 10

    assert image_of(client, article) == image_of(client, article)
    assert drawings.call_count == 1
    assert list(media.rglob("*")) == []  # nothing stored at a media address


def test_share_image_is_redrawn_when_the_title_changes(client, drawings):
    article = make_article("First headline")
    first = image_of(client, article)
    Article.objects.filter(pk=article.pk).update(title="A corrected headline")
    assert image_of(client, article) != first
    assert drawings.call_count == 2


def test_share_image_copes_with_long_and_non_latin_titles(client):
    article = make_article("Zürich " * 40 + "東京の市場 " + "x" * 150)
    assert Image.open(io.BytesIO(image_of(client, article))).size == (1200, 630)


@pytest.mark.parametrize("takedown", ["unpublish", "expire", "delete"])
def test_once_readers_may_not_see_the_article_its_image_is_gone(
    client, media, takedown, django_capture_on_commit_callbacks
):
    article = make_article("Retracted story")
    assert image_of(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        if takedown == "unpublish":
            Article.objects.filter(pk=article.pk).set_published(False, None)
        elif takedown == "expire":
            Article.objects.filter(pk=article.pk).update(
                unpublish_at=timezone.now() - dt.timedelta(seconds=1)
            )
        else:
            article.delete()
    assert client.get(f"/articles/{article.pk}/share.png").status_code == 404
    assert list(media.rglob("*")) == []


def test_share_image_of_an_unknown_article_is_404(client):
    assert client.get("/articles/999999/share.png").status_code == 404


def test_share_image_falls_back_to_pillows_font(client, monkeypatch, tmp_path):
    monkeypatch.setattr(share_images, "FONT_FOLDER", tmp_path / "no-fonts-here")
    share_images._font.cache_clear()
    try:
        article = make_article("Drawn without DejaVu")
        assert Image.open(io.BytesIO(image_of(client, article))).size == (1200, 630)
    finally:
        share_images._font.cache_clear()


def test_the_migration_deletes_images_earlier_versions_stored(media):
    from importlib import import_module

    migration = import_module("articles.migrations.0008_remove_stored_share_images")
    old = media / "share-images" / "7" / "0123456789abcdef.png"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"\x89PNG")
    migration.delete_stored_share_images(None, None)
    assert not old.exists()
