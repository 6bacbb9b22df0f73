"""One delivery attempt: a POST signed per Standard Webhooks (the `standardwebhooks` library),
to the address `addresses.check_url` approved (connected to by IP; the Host header and TLS name
stay the URL's), WEBHOOK_TIMEOUT seconds in all, no redirects followed, at most a few KB of the
answer read."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from standardwebhooks.webhooks import Webhook

from articles.webhooks.addresses import RefusedDestination, check_url

BODY_CAP = 4096


@dataclass
class Outcome:
    ok: bool
    status: int | None = None
    error: str = ""


def signed_headers(secret: str, message_id: str, at: datetime, body: str) -> dict:
    return {
        "content-type": "application/json",
        "user-agent": "Newsroom-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


def send(url: str, secret: str, message_id: str, body: str, at: datetime) -> Outcome:
    try:
        scheme, host, port, address = check_url(url)
    except RefusedDestination as refused:
        return Outcome(False, error=f"refused: {refused}")
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = signed_headers(secret, message_id, at, body)
    default_port = 443 if scheme == "https" else 80
    headers["host"] = host if port == default_port else f"{host}:{port}"
    timeout = urllib3.Timeout(total=settings.WEBHOOK_TIMEOUT)
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, port, timeout=timeout, retries=False, server_hostname=host,
            assert_hostname=host,
        )  # fmt: skip
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    try:
        response = pool.urlopen(
            "POST", path, body=body.encode(), headers=headers, redirect=False,
            preload_content=False, assert_same_host=False,
        )  # fmt: skip
        try:
            response.read(BODY_CAP)
        finally:
            response.release_conn()
    except urllib3.exceptions.HTTPError as error:
        return Outcome(False, error=f"{type(error).__name__}: {error}"[:500])
    finally:
        pool.close()
    ok = 200 <= response.status < 300
    return Outcome(ok, response.status, "" if ok else f"answered {response.status}")
