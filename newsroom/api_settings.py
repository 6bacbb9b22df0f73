"""The read API's settings (/api/v1/, articles/api/), from environment variables like the rest;
newsroom/settings.py imports them."""

import environ

env = environ.Env()
# Requests per client address ("120/min"; /s, /min, /hour, /day), 429 with Retry-After past it
# (articles.api.throttling). Empty: no limit.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/min")
REST_FRAMEWORK = {
    # Read-only and anonymous: no session, no user, the same answer for everyone.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    # JSON only: the page cache keys an answer on its URL, not on the Accept header.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{env.str('SITE_NAME', default='Newsroom')} read API",
    "DESCRIPTION": (
        "What readers may see: published articles, stories, topics and providers. Read-only, "
        "anonymous, JSON. Lists are `{results, next}`, paged by cursor; every answer has an "
        "ETag (send If-None-Match for a 304) and Last-Modified; requests are rate-limited per "
        "client (429 with Retry-After)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the site's own static files (no CDN): the CSP allows 'self' only.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
