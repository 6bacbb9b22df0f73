"""Checkers from npm (`npm ci`) that tests run: axe-core in a page, the Nu HTML checker with
Java. A test that needs one says so with `@pytest.mark.requires("axe-core")` or ("vnu"): it is
skipped when the checker is missing, and fails under CI=true (tests/support/requirements.py)."""

from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
