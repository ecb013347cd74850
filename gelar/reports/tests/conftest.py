import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Budgets (gelar.common.throttle) and the team's email window live in the cache,
    which outlives a test; each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()
