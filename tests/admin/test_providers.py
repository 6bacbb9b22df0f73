"""Providers in the admin: counts in one query, search, and logo uploads checked with Pillow."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from articles.editorial import logos
from tests.support.admin import log_in
from tests.support.factories import make_article, make_provider

pytestmark = pytest.mark.django_db
PROVIDERS = reverse("admin:articles_provider_changelist")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


def image_bytes(fmt="PNG", size=(200, 100), mode="RGB", **options):
    out = io.BytesIO()
    Image.new(mode, size, "teal").save(out, format=fmt, **options)
    return out.getvalue()


def upload(client, provider, data, name="logo.png"):
    return client.post(
        reverse("admin:articles_provider_change", args=[provider.pk]),
        {"logo": SimpleUploadedFile(name, data)},
        follow=True,
    )


def test_the_list_shows_article_counts_in_a_fixed_number_of_queries(client):
    busy, quiet = make_provider("busy.example", "Busy"), make_provider("quiet.example", "Quiet")
    for _ in range(3):
        make_article(provider=busy)
    log_in(client, "editor")

    with CaptureQueriesContext(connection) as few:
        client.get(PROVIDERS)
    for i in range(20):
        make_article(provider=make_provider(f"more{i}.example"))
    with CaptureQueriesContext(connection) as many:
        page = client.get(PROVIDERS).content.decode()

    assert len(few) == len(many)
    assert f'?provider={busy.pk}">3</a>' in page
    assert f'?provider={quiet.pk}">0</a>' in page


def test_search_finds_providers_by_name_and_domain(client):
    make_provider("alpha.example", "Alpha News")
    make_provider("beta.example", "Beta Times")
    log_in(client, "editor")
    page = client.get(PROVIDERS + "?q=beta.ex").content.decode()
    assert "Beta Times" in page and "Alpha News" not in page


@pytest.mark.parametrize(
    "fmt,options",
    [("PNG", {}), ("JPEG", {}), ("WEBP", {}), ("GIF", {})],
)
def test_an_allowed_logo_is_stored_re_encoded_with_a_thumbnail(client, fmt, options):
    provider = make_provider("logo.example", "Logo Co")
    log_in(client, "editor")

    response = upload(client, provider, image_bytes(fmt, **options), name=f"logo.{fmt.lower()}")

    assert response.status_code == 200
    provider.refresh_from_db()
    assert provider.logo.name.endswith(".png") and provider.logo_thumbnail.name.endswith(".png")
    with default_storage.open(provider.logo.name) as f, Image.open(f) as stored:
        assert (stored.format, stored.size) == ("PNG", (200, 100))
    with default_storage.open(provider.logo_thumbnail.name) as f, Image.open(f) as thumb:
        assert thumb.size == (64, 32)
    # The list shows the thumbnail.
    assert provider.logo_thumbnail.url in client.get(PROVIDERS).content.decode()


def test_the_same_logo_uploaded_twice_is_stored_once(client, media):
    provider = make_provider("logo.example", "Logo Co")
    log_in(client, "editor")
    upload(client, provider, image_bytes())
    upload(client, provider, image_bytes())
    assert len(list((media / "providers").iterdir())) == 2  # one logo, one thumbnail


def test_metadata_and_trailing_bytes_do_not_survive_re_encoding():
    data = image_bytes("PNG") + b"<script>alert(1)</script>"
    images = logos.process_logo(SimpleUploadedFile("logo.png", data))
    assert b"<script>" not in images.logo.read()


@pytest.mark.parametrize(
    "data,name,message",
    [
        (b"just text, not an image", "logo.png", "Upload a valid image"),
        (
            image_bytes("BMP"),
            "logo.bmp",
            "A BMP type is not accepted as a logo; use PNG, JPEG, WebP, GIF.",
        ),
        (image_bytes("TIFF"), "logo.tiff", "A TIFF type is not accepted"),
        (image_bytes("PNG")[:60], "logo.png", "Upload a valid image"),
    ],
    ids=["text", "bmp", "tiff", "truncated"],
)
def test_a_file_that_is_not_an_allowed_image_is_refused_with_a_message(client, data, name, message):
    provider = make_provider("logo.example", "Logo Co")
    log_in(client, "editor")
    page = upload(client, provider, data, name=name).content.decode()
    assert message in page
    provider.refresh_from_db()
    assert not provider.logo and not provider.logo_thumbnail


def test_too_many_pixels_is_refused_before_decoding(client):
    # 5000×5000 of one colour compresses to a few KB: small in bytes, huge in memory.
    data = image_bytes("PNG", size=(5000, 5000), mode="L")
    assert len(data) < logos.MAX_BYTES
    with pytest.raises(ValidationError) as error:
        logos.process_logo(SimpleUploadedFile("bomb.png", data))
    assert "5000×5000 pixels" in str(error.value)


def test_too_many_bytes_is_refused(client, monkeypatch):
    monkeypatch.setattr(logos, "MAX_BYTES", 1000)
    provider = make_provider("logo.example", "Logo Co")
    log_in(client, "editor")
    noisy = Image.effect_noise((200, 200), 80)
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    page = upload(client, provider, out.getvalue()).content.decode()
    assert "; the limit is 1000\xa0bytes." in page
    provider.refresh_from_db()
    assert not provider.logo


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header says it is `width`×`height` pixels (its CRC correct)."""
    data = bytearray(image_bytes("PNG", size=(1, 1)))
    # After the signature, IHDR: length, type, 13 bytes of data (width, height, depth...), CRC.
    header = struct.pack(">II", width, height) + data[24:29]
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def test_pillows_own_bomb_guard_stays_on():
    # A header claiming more pixels than Pillow's guard allows (Image.MAX_IMAGE_PIXELS, about
    # 89 million): Pillow warns as it opens the file, and the logo is refused at the warning.
    # Were the guard off, the logo's own pixel budget would refuse it, with another message.
    with pytest.raises(ValidationError) as error:
        logos.process_logo(SimpleUploadedFile("bomb.png", png_claiming(10_000, 10_000)))
    assert error.value.messages == ["The logo has too many pixels to be processed safely."]


@pytest.mark.parametrize("role", ["staff", "editor"])
def test_staff_and_editors_may_set_a_logo_but_not_the_names_that_imports_own(client, role):
    provider = make_provider("logo.example", "Logo Co")
    log_in(client, role)
    url = reverse("admin:articles_provider_change", args=[provider.pk])
    page = client.get(url).content.decode()
    assert 'name="logo"' in page and 'name="name"' not in page

    client.post(url, {"name": "Renamed", "logo": SimpleUploadedFile("l.png", image_bytes())})

    provider.refresh_from_db()
    assert provider.name == "Logo Co" and provider.logo


def test_a_user_without_the_permission_cannot_upload(client):
    provider = make_provider("logo.example", "Logo Co")
    log_in(client, "plain")
    url = reverse("admin:articles_provider_change", args=[provider.pk])
    response = client.post(url, {"logo": SimpleUploadedFile("l.png", image_bytes())})
    assert response.status_code == 403
    provider.refresh_from_db()
    assert not provider.logo
