import sqlite3
import tempfile
from pathlib import Path

import pytest
from django.utils import translation


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last, after pytest-django has put transactional tests at the end.

    Playwright's sync API keeps an event loop in the main thread until the session
    ends; from then on Django hands that thread a fresh database connection, which
    lacks the serialized data that `serialized_rollback` restores (the regions of
    the data migration). The sort is stable: every other order is kept.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def threads_database():
    """Where concurrency tests' worker threads connect: the test database itself on
    PostgreSQL; on SQLite a file copy of the in-memory test database, made when the
    test calls the fixture's value after creating its data.

    SQLite's shared in-memory database fails at once on a table lock instead of
    waiting, so threads get the set-up the embedded deployment really uses: a file
    in WAL mode with IMMEDIATE transactions and a busy timeout.
    """
    from django.db import connection, connections

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield lambda: None
        return
    with tempfile.TemporaryDirectory(prefix="gelar-threads-") as directory:
        path = Path(directory) / "threads.sqlite3"
        settings = connections.settings["default"]
        original = settings["NAME"]

        def copy_to_file():
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
            target.close()
            settings["NAME"] = str(path)

        try:
            yield copy_to_file
        finally:
            settings["NAME"] = original


@pytest.fixture(autouse=True)
def indonesian():
    """Every test starts in Indonesian, whatever an earlier one left in the thread (a
    request under /en/ activates English and nothing deactivates it, and reverse()
    outside a request would then build /en/ URLs)."""
    translation.activate("id")
    yield
    translation.deactivate()
