"""A constant view for bench/pages.py: the ceiling a page is measured against.

Only routed when the BENCHMARK_VIEWS setting is on (never in production).
"""

from django.http import HttpResponse


def constant(request):
    return HttpResponse(b"ok", content_type="text/plain")
