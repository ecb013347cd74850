"""Fixtures of the public site's tests; the factories are in gelar.testing."""

import pytest
from django.utils import translation

from gelar.testing import ExpoWorld, build_expo


@pytest.fixture(autouse=True)
def indonesian():
    """Each test starts in Indonesian: a request under /en/ leaves English active in the
    thread, and reverse() outside a request would then build /en/ URLs."""
    translation.activate("id")
    yield
    translation.deactivate()


@pytest.fixture
def world(db) -> ExpoWorld:
    return build_expo(slug="pekalongan-hybrid-expo-2021")
