"""No server-side request forgery: a webhook's host must resolve to public addresses only, when
the endpoint is saved and again before each delivery (DNS can change), unless
WEBHOOK_ALLOW_PRIVATE_NETWORKS is on (development and tests). The address checked is the one
connected to (`sending` pins it), so a second lookup cannot swap it."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class RefusedDestination(Exception):
    pass


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to (the one place DNS is asked: tests replace it)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def forbidden(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) for `url`, or RefusedDestination."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedDestination("only http and https URLs with a host")
    if parts.username or parts.password:
        raise RefusedDestination("no credentials in the URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise RefusedDestination("the port is not a number") from error
    host = parts.hostname
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise RefusedDestination(f"{host} does not resolve") from error
    if not addresses:
        raise RefusedDestination(f"{host} does not resolve")
    if not settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        refused = [a for a in addresses if forbidden(a)]
        if refused:
            raise RefusedDestination(
                f"{host} resolves to {refused[0]}, a loopback, private, link-local or "
                f"multicast address (WEBHOOK_ALLOW_PRIVATE_NETWORKS is off)"
            )
    return parts.scheme, host, port, addresses[0]
