"""Fixtures of the public site's tests; the factories are in gelar.testing."""

import pytest

from gelar.testing import ExpoWorld, build_expo


@pytest.fixture
def world(db) -> ExpoWorld:
    return build_expo(slug="pekalongan-hybrid-expo-2021")
