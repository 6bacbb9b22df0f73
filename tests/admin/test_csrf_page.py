"""The page a form without its CSRF token meets keeps to the CSP: no inline style (Django's
own page has one, which `style-src 'self'` blocks), the site's stylesheet instead."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_csrf_failure_page_has_no_inline_style_and_says_what_to_do():
    client = Client(enforce_csrf_checks=True)
    answer = client.post(reverse("admin:login"), {"username": "editor", "password": "x"})
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "<style" not in page and "style=" not in page
    assert 'rel="stylesheet"' in page and "/css/site" in page
    assert "reload the page and send the form again" in page
    assert "style-src 'self'" in answer["Content-Security-Policy"]
