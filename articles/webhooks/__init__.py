"""Webhooks: telling other systems when an article goes live, comes down or changes, signed per
Standard Webhooks. `events` (what the editorial writes and the importer call: a task enqueued
once the transaction commits), `announcing` (which transitions happened since last announced;
the deliveries they owe), `addresses` (no request to a private network), `sending` (one signed
POST, pinned to the address checked).

May import: Django, `articles.models` at call time through `django.apps` (the editorial mixins
import `events` while the models load), `articles.api.representation`, standardwebhooks, urllib3.
"""
