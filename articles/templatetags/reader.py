"""Small template helpers for reader pages."""

from urllib.parse import urlsplit

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return settings.SITE_NAME


@register.filter
def http_only(url: str) -> str:
    """The URL if it is http(s), else "": an href from seed data never runs script."""
    try:
        scheme = urlsplit(url or "").scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("http", "https") else ""
