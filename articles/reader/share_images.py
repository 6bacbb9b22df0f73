"""Share images (og:image): a 1200x630 PNG per article, drawn from its title, provider and date.

Each is drawn once and remembered in the cache (see `share_image_png`).
"""

import hashlib
import io
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from articles.page_cache import remembered

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND = (16, 36, 58)
ACCENT = (255, 196, 61)
TEXT = (255, 255, 255)
MUTED = (201, 214, 227)
FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {True: "DejaVuSans-Bold.ttf", False: "DejaVuSans.ttf"}
IMAGE_LIFE = 7 * 24 * 3600  # seconds in the cache; drawing one again takes about 50 ms
TITLE_TOP = 140
TITLE_HEIGHT = 370  # from TITLE_TOP to above the byline
LINE_SPACING = 1.25


def share_image_png(article) -> bytes:
    """The article's share image, drawn once and remembered in the cache under a digest of what
    it shows, so a new title (or provider name, or date) gets a new image on its next request.

    Never stored at a public address (media storage): the only way to it is the share image
    view, which answers only while readers may see the article, so an unpublished, expired or
    deleted article's image is gone at once, from S3 storage too.
    """
    shown = "\n".join(
        [article.headline, article.provider.name, article.source_published_at.date().isoformat()]
    )
    digest = hashlib.sha256(shown.encode()).hexdigest()[:16]
    return remembered(
        f"newsroom:share-image:{article.pk}:{digest}",
        lambda: draw_share_image(article),
        timeout=IMAGE_LIFE,
    )


def story_share_image_png(story, coverage) -> bytes:
    """A story's share image: its title, how many sources, the latest date; remembered as an
    article's is (`coverage`: the articles readers may see, newest first)."""
    sources = len({article.provider_id for article in coverage})
    shown = SimpleNamespace(
        headline=story.title,
        provider=SimpleNamespace(name=f"{sources} source{'s' if sources != 1 else ''}"),
        source_published_at=coverage[0].source_published_at,
    )
    digest = hashlib.sha256(
        "\n".join(
            [shown.headline, shown.provider.name, shown.source_published_at.isoformat()]
        ).encode()
    ).hexdigest()[:16]
    return remembered(
        f"newsroom:story-share-image:{story.pk}:{digest}",
        lambda: draw_share_image(shown),
        timeout=IMAGE_LIFE,
    )


def draw_share_image(article) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 12), fill=ACCENT)
    draw.text((MARGIN, 56), settings.SITE_NAME, font=_font(True, 36), fill=ACCENT)

    size, lines = _fit_title(article.headline, draw)
    font = _font(True, size)
    y = TITLE_TOP
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=TEXT)
        y += int(size * LINE_SPACING)

    byline = f"{article.provider.name} · {article.source_published_at:%-d %B %Y}"
    draw.text((MARGIN, HEIGHT - 96), byline, font=_font(False, 34), fill=MUTED)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _fit_title(title: str, draw) -> tuple[int, list[str]]:
    """The largest font size at which the title fits above the byline (else cut with "…")."""
    room = WIDTH - 2 * MARGIN
    for size in (68, 60, 52, 46):
        font = _font(True, size)
        lines = _wrap(title, font, draw, room)
        most = TITLE_HEIGHT // int(size * LINE_SPACING)
        if len(lines) <= most:
            return size, lines
    lines = lines[:most]
    last = lines[-1]
    while last and draw.textlength(last + " …", font=font) > room:
        last = last[:-1]
    lines[-1] = last.rstrip() + " …"
    return size, lines


def _wrap(text: str, font, draw, room: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= room:
            line = candidate
            continue
        if line:
            lines.append(line)
        # A word wider than the line (a long URL, CJK text without spaces) is cut by characters.
        while draw.textlength(word, font=font) > room:
            cut = len(word)
            while cut > 1 and draw.textlength(word[:cut], font=font) > room:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


@lru_cache(maxsize=16)
def _font(bold: bool, size: int):
    try:
        return ImageFont.truetype(str(FONT_FOLDER / FONT_FILES[bold]), size)
    except OSError:
        # No DejaVu on this machine: Pillow's own scalable font still draws readable text.
        return ImageFont.load_default(size=size)
