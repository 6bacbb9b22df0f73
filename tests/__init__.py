"""Newsroom's tests, by layer: what a test needs tells where it goes.

- unit/     the domain and pure code, the database allowed, no HTTP
- web/      reader pages through Django's test client
- admin/    the admin and the review desk through the test client
- browser/  Chromium through Playwright (the `chromium` fixture in browser/conftest.py)
- system/   child processes, servers (gunicorn, Redis, an S3 store), the production profile
- support/  what tests share that is not a fixture: factories, seed files, helpers

Fixtures live in conftest.py files, helpers in support/. Tests import the product and
tests.support, never another test module, never bench/.
"""
