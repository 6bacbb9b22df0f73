"""Login throttling (django-axes): the client's address behind the proxy, and the lockout page.

settings.py imports this module (trusted_proxies, to check FORWARDED_ALLOW_IPS at start-up),
before Django is set up: django-axes and the admin are imported inside the functions that use
them, as they read the settings when imported.
"""

import functools
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class TrustedProxies:
    """The proxies of FORWARDED_ALLOW_IPS: any address ("*"), or these networks (a single
    address is a network of one)."""

    any: bool
    networks: tuple[IPNetwork, ...]

    def __contains__(self, address: str) -> bool:
        if self.any:
            return True
        try:
            ip = _unmapped(ipaddress.ip_address(address))
        except ValueError:
            return False
        return any(ip in network for network in self.networks)


def trusted_proxies(entries) -> TrustedProxies:
    """FORWARDED_ALLOW_IPS parsed as gunicorn does: each entry an address ("10.0.0.2", "::1"),
    a network ("10.0.0.0/8") or "*". An entry that is none of these is ImproperlyConfigured."""
    return _parse_trusted_proxies(tuple(entries))


@functools.lru_cache(maxsize=8)
def _parse_trusted_proxies(entries: tuple[str, ...]) -> TrustedProxies:
    entries = [entry.strip() for entry in entries]
    networks = []
    for entry in entries:
        if entry in ("", "*"):
            continue
        try:
            networks.append(ipaddress.ip_network(entry))  # strict: "10.0.0.1/8" is a mistake
        except ValueError as error:
            raise ImproperlyConfigured(
                f"FORWARDED_ALLOW_IPS: {entry!r} is not an IP address or network ({error}). "
                "Give the reverse proxy's addresses or networks, comma-separated (for example "
                "10.0.0.2 or 10.0.0.0/24), or * for any."
            ) from None
    return TrustedProxies(any="*" in entries, networks=tuple(networks))


def _unmapped(ip: ipaddress.IPv4Address | ipaddress.IPv6Address):
    """An IPv4-mapped IPv6 address ("::ffff:203.0.113.7", as a dual-stack socket reports an IPv4
    client) as the IPv4 address it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def client_ip_address(request) -> str | None:
    """The client's address as throttling counts it (throttled_address): REMOTE_ADDR, or, when
    the request came from a trusted proxy, the address that proxy appended to X-Forwarded-For
    (the last entry: anything before it was sent by the client and can be forged). The proxies
    are those of FORWARDED_ALLOW_IPS, the variable gunicorn uses: addresses or networks."""
    remote = request.META.get("REMOTE_ADDR")
    if remote and remote in trusted_proxies(settings.FORWARDED_ALLOW_IPS):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        address = throttled_address(forwarded[-1].strip())
        if address:
            return address
        # no header, or not an address: the proxy did not set it
    return throttled_address(remote) or remote


def throttled_address(address: str | None) -> str | None:
    """An IPv4 address as itself ("203.0.113.7", also when written IPv4-mapped,
    "::ffff:203.0.113.7"); an IPv6 address as its /64 network, since one IPv6 host or home
    usually has a whole /64 to pick addresses from. The network is written as its first address
    ("2001:db8:1:2::" for 2001:db8:1:2::/64): django-axes stores a plain address (on PostgreSQL
    an inet column, which Django fills from an address, not a network). None if not an address."""
    try:
        ip = _unmapped(ipaddress.ip_address(address))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Address(int(ip) >> 64 << 64))  # int(): without any %scope
    return str(ip)


def lockout_page(request, original_response=None, credentials=None):
    """The admin's own page (its header and styles) saying why the login was refused: 429."""
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit
    from django.contrib import admin

    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60) if cool_off else None
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "is_nav_sidebar_enabled": False,  # as on the login page: nothing to navigate to
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cool_off_minutes": minutes,
    }
    return render(request, "admin/login_locked.html", context, status=429)
