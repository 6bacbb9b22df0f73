"""Newsroom settings, read from environment variables. Every value has a default that is safe
for a developer's machine (SQLite in the project folder, a file cache, media on the local disk),
and DEBUG is off unless asked for (`make run` and the tests ask). Production sets the variables
listed in docs/DEPLOYMENT.md; a production value that must not be guessed (SECRET_KEY) fails
loudly."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from newsroom.api_settings import API_RATE_LIMIT, REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: F401
from newsroom.background import task_settings
from newsroom.import_settings import import_settings

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Off unless asked for: a server started without DEBUG set must never show debug pages (they
# show settings and the request to whoever sends an odd Host header). `make run` and the test
# suite ask for it.
DEBUG = env.bool("DEBUG", default=False)

# Public (it is in this file): only ever used with DEBUG on, on a developer's machine.
_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not DEBUG and SECRET_KEY in ("", _DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        ("SECRET_KEY is not set. " if not SECRET_KEY else "SECRET_KEY is the development key. ")
        + "With DEBUG off, Newsroom refuses to start without a real secret key: set the "
        "SECRET_KEY environment variable (docs/DEPLOYMENT.md). On your own machine, for "
        "development, set DEBUG=true instead (make run does)."
    )
SECRET_KEY = SECRET_KEY or _DEVELOPMENT_SECRET_KEY

# Debug pages hide credentials in connection URLs too (CACHE_URL, DATABASE_URL, ...).
DEFAULT_EXCEPTION_REPORTER_FILTER = "newsroom.debug_pages.CredentialsFilter"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# The site's public address (https://news.example.org). Every page is built and cached for its
# host, whatever allowed Host a request came with (newsroom/hosts.py); it is allowed itself.
# Unset, a request's own host is used, normalised (case, trailing dot, default port).
SITE_URL = env.str("SITE_URL", default="")
SITE_HOST = ""
if SITE_URL:
    _site = urlsplit(SITE_URL)
    try:
        _site_port = _site.port
    except ValueError:
        _site_port = -1
    if (
        _site.scheme not in ("http", "https")
        or not _site.hostname
        or _site_port == -1
        or _site.username
        or _site.path not in ("", "/")
        or _site.query
        or _site.fragment
    ):
        raise ImproperlyConfigured(
            f"SITE_URL must be the site's address alone, such as https://news.example.org "
            f"(got {SITE_URL!r})."
        )
    _site_domain = _site.hostname.removesuffix(".")
    _site_domain = f"[{_site_domain}]" if ":" in _site_domain else _site_domain
    _default_port = 443 if _site.scheme == "https" else 80
    SITE_HOST = (
        _site_domain if _site_port in (None, _default_port) else f"{_site_domain}:{_site_port}"
    )
    if _site_domain not in ALLOWED_HOSTS:
        ALLOWED_HOSTS.append(_site_domain)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "csp",
    "newsroom.admin.NewsroomAdminConfig",  # django.contrib.admin with the review queue
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "taggit",
    "articles",
    "axes",  # login throttling (below)
]

MIDDLEWARE = [
    # First: one host for every page built (absolute URLs, cache keys); refuses foreign hosts.
    "newsroom.hosts.CanonicalHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files (hashed names, far-future caching, gzip/brotli) from the app.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A request that gave up waiting for the database's write lock answers 503, Retry-After.
    "newsroom.database_busy.DatabaseBusyMiddleware",
    # Answers from the cache before the session, CSRF and login layers below (articles.page_cache).
    "articles.api.throttling.ApiThrottleMiddleware",  # per client, before the cache answers
    "articles.page_cache.ReaderPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# Login throttling against password guessing (django-axes). AxesStandaloneBackend comes first
# and refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    # Reader pages (templates/jinja2/): Jinja2 renders them several times faster.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "articles.reader.templating.environment",
        },
    },
    # The admin (templates/django/: Django's template language) and Django's own apps.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates" / "django"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# Database: DATABASE_URL, default a SQLite file beside manage.py.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers keep reading while an import writes; IMMEDIATE makes a writer wait
            # for the lock at the start of its transaction instead of failing half-way through.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
        }
    )
POSTGRESQL = DATABASES["default"]["ENGINE"].endswith("postgresql")
if POSTGRESQL and env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
    # Server-side parameters, and a statement run five times on a connection is prepared:
    # PostgreSQL then skips planning it again, which cost more than running the article page's
    # small queries (docs/PERFORMANCE.md). Turn off behind a pooler that cannot keep prepared
    # statements (PgBouncer before 1.21 in transaction mode).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
if POSTGRESQL and env.bool("DATABASE_POOL", default=False):
    # psycopg's connection pool, one per worker process: for threaded or async workers, where
    # several requests of one process need connections at once. Django requires CONN_MAX_AGE=0.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=4),
        "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
    }
else:
    # Reuse connections between requests: a new PostgreSQL connection per request costs more
    # than the page itself (about 110 against 400 pages/s measured here), and a new SQLite
    # connection re-reads the schema and re-registers Django's SQL functions every time.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Cache: CACHE_URL. Reader pages are cached, and a publish or an import must refresh them in
# every process that serves them (gunicorn's workers; an import run from cron is a process of
# its own), so the default is a cache all processes on this machine share: files under
# CACHE_DIR. Several machines need one shared cache: Redis (docs/DEPLOYMENT.md). (The test suite
# sets its own in-memory cache: tests/conftest.py.)
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL:
    CACHES = {"default": env.cache_url_config(CACHE_URL)}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.str("CACHE_DIR", default=str(BASE_DIR / ".cache")),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
if urlsplit(CACHE_URL).scheme in ("redis", "rediss"):
    # Django's own Redis backend, whatever else is installed; a stalled Redis must not hang
    # every request, so connections and reads give up after a few seconds.
    CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
        **CACHES["default"].get("OPTIONS", {}),
    }
# Keeps Newsroom's keys apart from other users of the same Redis database.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="newsroom")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Dates typed in the admin: ISO first (newsroom/formats/).
FORMAT_MODULE_PATH = ["newsroom.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Media (provider logos, share images): the local file system, or an S3-compatible bucket when
# AWS_STORAGE_BUCKET_NAME is set. Credentials come from boto3's usual sources
# (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's role), never from this file.
MEDIA_BUCKET = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if MEDIA_BUCKET:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            # Logos and share images are public, and cached reader pages (and social networks
            # fetching a share image later) must not hold URLs that expire: plain URLs, with
            # the bucket (or a CDN) granting public read. True signs them instead.
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# Static files: whitenoise serves them compressed under content-hashed names, which need
# `collectstatic` first. (The test suite sets plain storage, to run without it: tests/conftest.py.)
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS. Each is its own setting, on in the production profile (docs/DEPLOYMENT.md) and off by
# default, so the same build also runs on plain HTTP on loopback or behind a TLS proxy.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Load balancers probe over plain HTTP; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
# Behind a TLS-terminating proxy: "HTTP_X_FORWARDED_PROTO,https" trusts that header (only set
# it when the proxy always overwrites the header the client sent).
_proxy_header = env.list("SECURE_PROXY_SSL_HEADER", default=[])
if _proxy_header:
    if len(_proxy_header) != 2:
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must be a header and a value, "
            "e.g. HTTP_X_FORWARDED_PROTO,https"
        )
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_header)


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# Content-Security-Policy: the site's own resources only, on every page including the admin;
# no inline scripts or styles, no plugins, no framing. Media on a bucket is the one other
# origin allowed, for images only.
_media_origins = []
if MEDIA_BUCKET:
    _custom_domain = env.str("AWS_S3_CUSTOM_DOMAIN", default="")
    _media_origin = (
        f"https://{_custom_domain}"
        if _custom_domain
        else _origin(env.str("AWS_S3_ENDPOINT_URL", default=""))
        or f"https://{MEDIA_BUCKET}.s3.amazonaws.com"
    )
    _media_origins = [_media_origin]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *_media_origins],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    },
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from
# one client address, that pair is refused (429 and a lockout page, even with the right
# password) for AXES_COOLOFF_TIME hours. Other users, and the same user from elsewhere, are
# not locked out, so a guesser cannot lock an editor out from everywhere (guesses from many
# addresses meet the per-account delay below). Failures are kept in the database, shared by
# every app server; `manage.py axes_reset` lifts all lockouts.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=1.0)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.login_throttling.lockout_page"
# Behind the reverse proxy every request comes from the proxy's address: the client's is the
# last X-Forwarded-For entry, believed only from the proxies gunicorn trusts (FORWARDED_ALLOW_IPS).
AXES_CLIENT_IP_CALLABLE = "newsroom.login_throttling.client_ip_address"
# No banner on every start: staff running import_seeds should see the import, not this.
AXES_VERBOSE = False
# Per account, from any addresses (newsroom.login_throttling): after LOGIN_ACCOUNT_FAILURE_LIMIT
# failed logins for one username, each further attempt waits after the previous one, 1 minute
# doubling with each failure up to LOGIN_ACCOUNT_MAX_DELAY minutes (429 meanwhile, not counted).
# An address where that user has logged in before is never delayed. The count is forgotten
# AXES_COOLOFF_TIME after the last failure, so the longest wait must be shorter than that.
AXES_HANDLER = "newsroom.login_throttling.throttling_handler"
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=10)
LOGIN_ACCOUNT_MAX_DELAY = env.float("LOGIN_ACCOUNT_MAX_DELAY", default=15.0)  # minutes
if not 1 <= LOGIN_ACCOUNT_MAX_DELAY < AXES_COOLOFF_TIME * 60:
    raise ImproperlyConfigured(
        f"LOGIN_ACCOUNT_MAX_DELAY ({LOGIN_ACCOUNT_MAX_DELAY:g} minutes) must be at least 1 and "
        f"less than AXES_COOLOFF_TIME ({AXES_COOLOFF_TIME * 60:g} minutes), after which the "
        "per-account count is forgotten."
    )
# Addresses or networks ("10.0.0.0/8"), or "*", as gunicorn takes them. Parsed here, so that an
# entry that is neither stops start-up (ImproperlyConfigured) instead of matching no proxy.
FORWARDED_ALLOW_IPS = env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"])
from newsroom.login_throttling import trusted_proxies  # noqa: E402 (with the setting it checks)

trusted_proxies(FORWARDED_ALLOW_IPS)

# Topics: a seed's topic names become tags; keep their case as the source wrote it.
TAGGIT_CASE_INSENSITIVE = False

# The importer refuses a seed file larger than this before reading it (bytes).
SEED_MAX_BYTES = env.int("SEED_MAX_BYTES", default=1024 * 1024)

# Hold every new article unpublished until an editor decides, whatever its seed's `published`
# says (the suggestion is still stored and shown on the review desk). Off: the seed decides at
# creation, as docs/SEED_FORMAT.md promises.
HOLD_NEW_ARTICLES = env.bool("HOLD_NEW_ARTICLES", default=False)

# Routes the constant view that bench/pages.py measures pages against. Off in production.
BENCHMARK_VIEWS = env.bool("BENCHMARK_VIEWS", default=False)

# --- Reader site (issue 4): the name readers see in page titles, feeds and share images ------
SITE_NAME = env.str("SITE_NAME", default="Newsroom")
# Background work (TASKS_BACKEND=database, the default, or redis: newsroom/background.py) and
# imports from the admin and from watched sources (newsroom/import_settings.py).
globals().update(task_settings(env), **import_settings(env, BASE_DIR))
INSTALLED_APPS += [
    *TASK_APPS,  # noqa: F821 (set by the line above)
    "django.contrib.postgres",  # full-text search on PostgreSQL (SQLite has a fallback)
    "django.contrib.sitemaps",
    *["rest_framework", "drf_spectacular", "drf_spectacular_sidecar"],  # newsroom/api_settings
]

# Logs go to standard error, where gunicorn and the service manager collect them; with DEBUG
# off Django would otherwise only e-mail errors to ADMINS, which we do not configure.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_traceback": {"()": "newsroom.hosts.WithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        # A refused Host header (scanners send them all day): one line naming it, no traceback.
        "django.security.DisallowedHost": {"filters": ["without_traceback"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
