"""bench/two_servers.py as a test: two gunicorn servers on one PostgreSQL and one Redis."""

import subprocess
import sys

import pytest
from django.conf import settings

from tests.support.services import REDIS_URL, free_ports

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_a_decision_on_one_app_server_is_served_by_the_other_at_once():
    ports = ",".join(str(port) for port in free_ports(2))
    result = subprocess.run(
        [
            sys.executable,
            str(settings.BASE_DIR / "bench" / "two_servers.py"),
            "--cache-url",
            REDIS_URL,
            "--ports",
            ports,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    seen = [line.strip() for line in result.stdout.splitlines() if line.startswith("  B ")]
    assert seen[0].startswith("B home page 200: article not listed; article page 404")
    assert seen[1].startswith("B home page 200: article listed; article page 200")
    assert seen[2].startswith("B home page 200: article not listed; article page 404")
