"""One host for every page, and one short log line per refused one.

`CanonicalHostMiddleware` (first in settings.MIDDLEWARE) gives every reading request (GET,
HEAD) the site's one host before anything reads it: the host of `SITE_URL` when it is set,
else the request's own host normalised (lower case, no trailing dot, no default port). Every
absolute URL (canonical links, feeds, sitemaps, share links, redirects) and every cached page's
key is built from `request.get_host()`, so `Host: 127.0.0.1:1234`, `NEWS.EXAMPLE.ORG` or
`news.example.org.` no longer each make a cache entry and a canonical link of their own. The
host must still pass ALLOWED_HOSTS first. Form posts keep the host the browser used: CSRF
compares their Origin with it.

`WithoutTraceback` keeps a refused host (`DisallowedHost`, which scanners send all day) to the
one line Django writes about it, not a traceback each.
"""

import logging

from django.conf import settings
from django.http.request import split_domain_port

DEFAULT_PORTS = {"http": "80", "https": "443"}


def normalised_host(host: str, scheme: str) -> str:
    """`host` in lower case, without a trailing dot or the scheme's default port."""
    domain, port = split_domain_port(host)  # lower case, trailing dot removed
    if port == DEFAULT_PORTS.get(scheme):
        port = ""
    return f"{domain}:{port}" if port else domain


class CanonicalHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            host = request.get_host()  # DisallowedHost (a 400) for a host not allowed
            canonical = settings.SITE_HOST or normalised_host(host, request.scheme)
            request.META["HTTP_HOST"] = canonical
            request.META.pop("HTTP_X_FORWARDED_HOST", None)  # get_host() would prefer it
        return self.get_response(request)


class WithoutTraceback(logging.Filter):
    """Keeps a record to its message (settings.LOGGING: django.security.DisallowedHost, whose
    message names the host, quoted: "Invalid HTTP_HOST header: 'x.example'. ...")."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True
