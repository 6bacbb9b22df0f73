"""Login throttling (django-axes): the client's address behind the proxy, the per-account
delay, and the lockout page.

django-axes refuses one username from one address after AXES_FAILURE_LIMIT failures. On top of
that, AccountThrottlingHandler (AXES_HANDLER) slows guessing at one username from many
addresses: after LOGIN_ACCOUNT_FAILURE_LIMIT failures for that username from any addresses,
each further attempt must wait after the previous one, 1 minute, doubling with each failure up
to LOGIN_ACCOUNT_MAX_DELAY minutes; attempts made during the wait are refused without being
recorded, so they cannot prolong it. An address where that user has logged in before is never
delayed, so a guesser cannot keep an editor out of the addresses they use.

settings.py imports this module (trusted_proxies, to check FORWARDED_ALLOW_IPS at start-up),
before Django is set up: django-axes and the admin are imported inside the functions that use
them, as they read the settings or the models when imported.
"""

import datetime as dt
import functools
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Max, Sum
from django.shortcuts import render
from django.utils import timezone

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


# --- Per account --------------------------------------------------------------------------------

# The per-account count is kept in django-axes' own table, beside the per-address ones, so that
# every app server shares it, the admin shows it ("Access attempts") and `axes_reset_username`
# and the cool-off clear it: a row for the username with no address and this user agent.
ACCOUNT_ROW_AGENT = "(per-account count: all addresses)"
FIRST_DELAY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class AccountWait:
    """A login refused by the per-account delay: the failures counted, and when to try again."""

    failures: int
    until: dt.datetime


def account_delay(failures: int) -> dt.timedelta | None:
    """How long after the last failure the next attempt must wait, after `failures` failures for
    one username: nothing below LOGIN_ACCOUNT_FAILURE_LIMIT; then 1 minute, doubling with each
    further failure, up to LOGIN_ACCOUNT_MAX_DELAY minutes."""
    doublings = failures - settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    if doublings < 0:
        return None
    longest = dt.timedelta(minutes=settings.LOGIN_ACCOUNT_MAX_DELAY)
    return longest if doublings > 30 else min(FIRST_DELAY * 2**doublings, longest)


def _account_rows(request, username: str):
    """The per-account row(s) of `username` within the cool-off (more than one only if two
    servers created it at the same moment: they are summed)."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    rows = AccessAttempt.objects.filter(
        username=username, ip_address__isnull=True, user_agent=ACCOUNT_ROW_AGENT
    )
    cool_off = get_cool_off(request)
    if cool_off is not None:
        rows = rows.filter(attempt_time__gte=request.axes_attempt_time - cool_off)
    return rows


def account_wait(request, username: str) -> AccountWait | None:
    """None if this login attempt for `username` may go ahead, else the wait it must respect."""
    from axes.models import AccessLog

    rows = _account_rows(request, username)
    counted = rows.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    delay = account_delay(counted["failures"] or 0)
    if delay is None:
        return None
    # An address where this user has logged in before (django-axes' access log) is not delayed.
    ip_address = request.axes_ip_address
    if ip_address and AccessLog.objects.filter(username=username, ip_address=ip_address).exists():
        return None
    now = request.axes_attempt_time
    if now < counted["last"] + delay:
        return AccountWait(counted["failures"], counted["last"] + delay)
    # The wait is over. This attempt takes the turn by moving the last attempt's time to now, if
    # no other request has moved it since it was read: of requests arriving together (on several
    # servers, before any of them is recorded), one goes ahead and the others wait again.
    if rows.filter(attempt_time=counted["last"]).update(attempt_time=now):
        return None
    return AccountWait(counted["failures"], now + delay)


def record_account_failure(request, username: str) -> None:
    """Count a failed login (its password checked and wrong) for `username`."""
    from axes.models import AccessAttempt

    rows = _account_rows(request, username)
    first = rows.order_by("pk").values_list("pk", flat=True).first()
    counted = first is not None and rows.filter(pk=first).update(
        failures_since_start=F("failures_since_start") + 1,
        attempt_time=request.axes_attempt_time,
    )
    if not counted:
        AccessAttempt.objects.create(
            username=username,
            ip_address=None,
            user_agent=ACCOUNT_ROW_AGENT,
            http_accept="",
            path_info=request.axes_path_info,
            get_data="",
            post_data="",
            failures_since_start=1,
        )


def throttling_handler():
    """AXES_HANDLER: django-axes' database handler with the per-account delay."""
    return _throttling_handler_class()()


@functools.cache
def _throttling_handler_class():
    # Defined on first use, not when this module is imported (see the module's docstring).
    from axes.handlers.database import AxesDatabaseHandler
    from axes.helpers import get_client_username
    from axes.signals import user_locked_out

    class AccountThrottlingHandler(AxesDatabaseHandler):
        """Refuses a login when its username and address are locked out (django-axes), or when
        the username must wait (account_wait); counts each checked failure for the username."""

        def is_locked(self, request, credentials=None) -> bool:
            if super().is_locked(request, credentials):
                request.throttling_refused_by_address = True
                return True
            # Decided once per request: deciding takes the turn when a wait is over.
            if not hasattr(request, "throttling_account_wait"):
                username = get_client_username(request, credentials)
                request.throttling_account_wait = username and account_wait(request, username)
            return bool(request.throttling_account_wait)

        def user_login_failed(self, sender, credentials, request=None, **kwargs):
            if request is not None and getattr(request, "throttling_account_wait", None):
                # Refused by the per-account delay before the password was checked: not a
                # failure, and recording it would let a guesser prolong the wait.
                request.axes_locked_out = True
                request.axes_credentials = credentials
                user_locked_out.send(
                    "axes",
                    request=request,
                    username=get_client_username(request, credentials),
                    ip_address=request.axes_ip_address,
                )
                return
            super().user_login_failed(sender, credentials, request, **kwargs)
            if request is None or getattr(request, "throttling_refused_by_address", False):
                return  # not checked either: refused by the address's lockout
            username = get_client_username(request, credentials)
            if username:
                record_account_failure(request, username)

    return AccountThrottlingHandler


# --- The lockout page -----------------------------------------------------------------------------


def lockout_page(request, original_response=None, credentials=None):
    """The admin's own page (its header and styles) saying why the login was refused: 429. For
    the per-account delay it says when to try again, and so does its Retry-After header."""
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
    wait = getattr(request, "throttling_account_wait", None)
    if not wait:
        return render(request, "admin/login_locked.html", context, status=429)
    seconds = max(1, math.ceil((wait.until - timezone.now()).total_seconds()))
    context |= {
        "account_failures": wait.failures,
        "retry_minutes": math.ceil(seconds / 60),
        "longest_wait_minutes": round(settings.LOGIN_ACCOUNT_MAX_DELAY),
    }
    response = render(request, "admin/login_locked.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
