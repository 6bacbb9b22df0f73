"""What every browser test needs: Debian's Chromium, the flags it runs with on our machines
(no sandbox as root, no calls home on a closed network), and where screenshots go."""

from pathlib import Path

from django.conf import settings

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
