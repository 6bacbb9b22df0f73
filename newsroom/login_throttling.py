"""Login throttling (django-axes): the client's address behind the proxy, and the lockout page."""

import ipaddress

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


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


def lockout_page(request, original_response=None, credentials=None):
    """The admin's own page (its header and styles) saying why the login was refused: 429."""
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
