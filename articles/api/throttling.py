"""Rate limits on the API, per client address, before the page cache answers (a cached answer
is cheap, but a client asking thousands a second is still refused): DRF's throttle (counts kept
in Django's cache), run as a middleware for /api/ paths. Over the limit: 429 with Retry-After.

The client's address is the one login throttling counts (`newsroom.login_throttling`: the
proxy's X-Forwarded-For entry only from trusted proxies). The limit is settings.API_RATE_LIMIT
("120/min": requests per second, minute, hour or day), read on each request.
"""

import math

from django.conf import settings
from django.http import JsonResponse
from rest_framework.throttling import SimpleRateThrottle

from newsroom.login_throttling import client_ip_address


class ClientRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip_address(request)}


class ApiThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/api/"

    def __call__(self, request):
        if request.path_info.startswith(self.prefix) and settings.API_RATE_LIMIT:
            throttle = ClientRateThrottle()
            if not throttle.allow_request(request, None):
                wait = max(1, math.ceil(throttle.wait() or 1))
                response = JsonResponse(
                    {"detail": f"Too many requests: try again in {wait} seconds."}, status=429
                )
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)
