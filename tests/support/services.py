"""Helpers for tests that use real servers (PostgreSQL, Redis, an S3-compatible store) and
child processes. Whether a server is there is checked before the test runs, from its markers
(`redis`, `postgres`, `requires(...)`): see tests/support/requirements.py.
"""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack

from django.conf import settings

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def reachable(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def redis_cache(location: str, prefix: str | None = None) -> dict:
    """A CACHES setting on Django's own Redis backend, with keys no other test run shares."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix or f"newsroom-test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def free_ports(count: int = 1) -> list[int]:
    """Free loopback ports; NEWSROOM_TEST_PORTS=8500-8549 keeps test servers in a range."""
    first, _, last = os.environ.get("NEWSROOM_TEST_PORTS", "0-0").partition("-")
    candidates = range(int(first), int(last) + 1) if int(first) else [0] * count
    with ExitStack() as held:  # keep each port bound until all are chosen, so they differ
        ports = []
        for port in candidates:
            probe = held.enter_context(socket.socket())
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            ports.append(probe.getsockname()[1])
            if len(ports) == count:
                return ports
    raise RuntimeError(f"fewer than {count} free ports in {candidates}")


def free_port() -> int:
    return free_ports(1)[0]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        if reachable("127.0.0.1", port, timeout=0.2):
            return
        time.sleep(0.1)  # polling the port until the deadline, not waiting out a time
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds}s")


def manage(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run `manage.py` in a fresh process with `env` on top of this one's environment."""
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        **kwargs,
    )


def gunicorn_settings(env: dict, *names: str) -> list:
    """The values gunicorn.conf.py gives `names` under `env` alone (read in a fresh process, as
    gunicorn reads it); a name the file does not set is None."""
    code = (
        "import json, runpy, sys; c = runpy.run_path('gunicorn.conf.py');"
        " print(json.dumps([c.get(name) for name in sys.argv[1:]]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *names],
        env={"PATH": "", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
