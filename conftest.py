"""Fixtures every test gets.

(Here, at the project root, this file also puts the root on sys.path, so tests can use bench.)
"""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Reader pages and admin filter choices are cached: no test sees what another stored."""
    cache.clear()
    yield
    cache.clear()
