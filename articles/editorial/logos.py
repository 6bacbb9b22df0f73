"""Provider logos: an uploaded file is checked with Pillow, re-encoded and thumbnailed.

An upload is untrusted input. It must be a real image of an allowed type, within a byte and a
pixel budget (checked from the header before any pixels are decoded), and is stored only as our
own PNG re-encoding (no metadata, no trailing bytes), next to a small thumbnail.

`Provider` inherits `ProviderLogo` (`set_logo`), the one write that puts a logo in place.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

from articles.editorial.writes import readers_see_changes

ALLOWED_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP", "GIF": "GIF"}
MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 4096 * 4096
MAX_SIDE = 1024  # stored logos are scaled down to fit
THUMBNAIL_SIDE = 64


@dataclass
class LogoImages:
    logo: ContentFile
    thumbnail: ContentFile
    digest: str


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def process_logo(upload) -> LogoImages:
    """Check an uploaded logo and return its PNG re-encoding and thumbnail.

    Raises ValidationError with a message an editor can act on.
    """
    allowed = ", ".join(ALLOWED_FORMATS.values())
    limit = filesizeformat(MAX_BYTES)
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(f"The logo is {filesizeformat(upload.size)}; the limit is {limit}.")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(f"The logo is larger than {limit}, the limit.")
    if not data:
        raise ValidationError("The logo file is empty.")
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, on decompression bombs; refuse at the warning.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        f"A {probe.format or 'file of this'} type is not accepted as a logo; "
                        f"use {allowed}."
                    )
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(
                        f"The logo is {width}×{height} pixels; the limit is "
                        f"{MAX_PIXELS:,} pixels (e.g. 4096×4096)."
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.seek(0)  # the first frame of an animation
                image.load()
                has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
                clean = image.convert("RGBA" if has_alpha else "RGB")
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError("The logo has too many pixels to be processed safely.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            f"The file is not an image Newsroom can read, or it is damaged; use {allowed}."
        ) from None

    clean.thumbnail((MAX_SIDE, MAX_SIDE))
    logo_bytes = _png(clean)
    thumbnail = clean.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    digest = hashlib.sha256(logo_bytes).hexdigest()[:16]
    return LogoImages(ContentFile(logo_bytes), ContentFile(_png(thumbnail)), digest)


def store_logo(provider, images: LogoImages) -> None:
    """Save both files through the default storage, named by content so that the same logo is
    stored once however often it is uploaded; sets the provider's fields (caller saves)."""
    base = f"providers/{provider.domain.replace('/', '_')}-{images.digest}"
    for field, content, name in (
        ("logo", images.logo, f"{base}.png"),
        ("logo_thumbnail", images.thumbnail, f"{base}-{THUMBNAIL_SIDE}.png"),
    ):
        if not default_storage.exists(name):
            name = default_storage.save(name, content)
        setattr(provider, field, name)


class ProviderLogo:
    """`set_logo`, for `Provider`."""

    def set_logo(self, images: LogoImages | None) -> None:
        """The newsroom's logo for this provider, from images `process_logo` has checked, or
        None to remove it. Reader pages show it, so they are rebuilt."""
        with transaction.atomic():
            if images:
                store_logo(self, images)
            else:
                self.logo = self.logo_thumbnail = ""
            self.save(update_fields=["logo", "logo_thumbnail"])
            readers_see_changes()
