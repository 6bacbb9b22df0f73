"""Memory measured in a fresh Python process, so that nothing the test run loaded counts."""

import subprocess
import sys

from django.conf import settings


def last_figure(probe: str, timeout: int = 60) -> float:
    """Run `probe` (Python source) in a new interpreter in the repository; the number it
    printed last (megabytes, as the probes print them)."""
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])
