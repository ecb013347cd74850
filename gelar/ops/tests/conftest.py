import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def no_language_left_behind():
    """A request to /en/ leaves English active in the test's thread (LocaleMiddleware
    activates, nothing deactivates): the tests after these must start from the default."""
    yield
    translation.deactivate()
