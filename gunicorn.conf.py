"""gunicorn settings for Newsroom: `gunicorn -c gunicorn.conf.py` (what `make serve` runs).

Every value comes from an environment variable so one file serves a laptop and a fleet; see
docs/DEPLOYMENT.md. Put a reverse proxy (TLS, slow clients, buffering) in front: sync workers
must not talk to the internet directly.
"""

import multiprocessing
import os

wsgi_app = "newsroom.wsgi:application"

# Loopback by default; a server behind a proxy on another machine binds its private address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# WEB_CONCURRENCY is the name hosting platforms set; 2 per core plus one is gunicorn's advice.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# Restart workers now and then so a slow leak cannot grow without bound; jitter keeps them
# from all restarting at once. Not too often: a worker that loads Django itself costs about
# 0.8 s of CPU, which at 2,000 requests a worker was a tenth of a busy server's time.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10
# Django is loaded once, in the master, and each worker is forked from it: a worker replaced
# after max_requests starts in milliseconds instead of booting Django while its requests
# queue. Booting each worker itself made the 99th percentile ~0.9 s under a publish storm at
# 100,000 articles on PostgreSQL (docs/PERFORMANCE.md). Loading opens no database connection
# and starts no thread (tests/system/test_gunicorn_preload.py), so nothing is shared by the forks.
# Off (GUNICORN_PRELOAD=false) to reload code with `kill -HUP` instead of a restart.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() not in ("false", "0", "no")

# Access log to standard output by default ("-"), with the time each request took (%(M)s ms)
# and the client address the proxy forwarded.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The proxies whose X-Forwarded-* headers gunicorn believes (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn's control socket (for `gunicornc`) is off: its default path, $XDG_RUNTIME_DIR or
# ~/.gunicorn/gunicorn.ctl, is the same for every instance one user runs, so a second instance
# took the first one's over. GUNICORN_CONTROL_SOCKET=/run/newsroom/gunicorn.ctl turns it on at
# a path of this instance's own.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not _control_socket
if _control_socket:
    control_socket = _control_socket
