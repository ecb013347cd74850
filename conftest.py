import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last, after pytest-django has put transactional tests at the end.

    Playwright's sync API keeps an event loop in the main thread until the session
    ends; from then on Django hands that thread a fresh database connection, which
    lacks the serialized data that `serialized_rollback` restores (the regions of
    the data migration). The sort is stable: every other order is kept.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
