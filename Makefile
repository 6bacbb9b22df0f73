# Newsroom: `make run` to try it (`make demo` with a demo newsroom in it), `make test` to check it.
# All can be run again safely.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run demo serve worker test test-fast lint format

$(PY):
	$(PYTHON) -c 'import sys; sys.exit("Newsroom needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# Outside checkers for the tests (axe-core, the Nu HTML validator, Lighthouse); tests that need
# them skip with a reason when npm is missing (and fail under CI=true).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: browser, HTML-validity and Lighthouse checks will be skipped (under CI=true they fail)"; fi

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# The development profile: DEBUG on (Django's debug pages, the public development key), on
# loopback. DEBUG is off unless asked for, so a server started any other way never shows them.
run: export DEBUG ?= true
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_seeds seeds/ || test $$? -eq 1
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py runserver $(HOST):$(PORT)

# `make run` with a living newsroom in it: about 2,000 generated articles, the better half
# published, and a demo editor whose new password is printed. It refuses a database that holds
# real articles; `make demo DEMO_ARGS=--force` runs it anyway (articles/ingest/demo.py).
demo: export DEBUG ?= true
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_newsroom $(DEMO_ARGS)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py runserver $(HOST):$(PORT)

# The background worker in the foreground (webhooks, periodic checks); Ctrl-C or SIGTERM stops
# it after the task in hand. TASKS_BACKEND=redis (with TASKS_REDIS_URL) to use Redis.
worker: export DEBUG ?= true
worker: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py run_worker

# A secret key for `make serve` on this machine, made once, readable by you only, never committed.
.secret_key:
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# The production profile on this machine: DEBUG off, hashed static files, gunicorn. Plain HTTP
# on loopback, so HTTPS redirect, HSTS and secure cookies stay off (docs/DEPLOYMENT.md).
serve: export DEBUG = false
serve: export SECRET_KEY ?= $(shell cat .secret_key)
serve: install .secret_key
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_seeds seeds/ || test $$? -eq 1
	$(PY) manage.py collectstatic --noinput --verbosity 0
	GUNICORN_BIND="$${GUNICORN_BIND:-$(HOST):$(PORT)}" WEB_CONCURRENCY="$${WEB_CONCURRENCY:-2}" \
	  $(VENV)/bin/gunicorn --config gunicorn.conf.py

test: install-dev node_modules/.installed
	$(PY) -m pytest

# While developing: everything but the browser, PostgreSQL, Redis and slow (child process and
# server) tests. `make test` runs them all, and CI runs `make test`.
test-fast: install-dev
	$(PY) -m pytest -m "not (browser or postgres or redis or slow)"

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .
