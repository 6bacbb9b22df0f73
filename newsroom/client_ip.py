"""The client's address, for login throttling, behind the reverse proxy of docs/DEPLOYMENT.md."""

import ipaddress

from django.conf import settings


def client_ip_address(request) -> str | None:
    """REMOTE_ADDR, or, when the request came from a trusted proxy, the address that proxy
    appended to X-Forwarded-For (the last entry: anything before it was sent by the client and
    can be forged). The proxies are those of FORWARDED_ALLOW_IPS, the variable gunicorn uses."""
    remote = request.META.get("REMOTE_ADDR")
    trusted = settings.FORWARDED_ALLOW_IPS
    if remote and ("*" in trusted or remote in trusted):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        last = forwarded[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            pass  # no header, or not an address: the proxy did not set it
    return remote
