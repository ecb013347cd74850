"""gelar.common.tasks.enqueue, which runs the exports: after commit in a daemon thread
(inline with GELAR_TASKS_SYNC, as in the tests); a crash is logged, never raised into
the request; the thread closes its database connections."""

import io
import threading
import time

import openpyxl
import pytest

from gelar.common import tasks
from gelar.reports import exporting
from gelar.reports.models import ReportExport
from gelar.reports.tests.fixtures import report_fixture
from gelar.testing import run_together

calls: list[dict] = []
done = threading.Event()


def record(**kwargs) -> None:
    """A task: note who ran it, and where."""
    thread = threading.current_thread()
    calls.append({**kwargs, "thread": thread.name, "daemon": thread.daemon})
    done.set()


def explode(**kwargs) -> None:
    raise RuntimeError(f"boom {kwargs['n']}")


@pytest.fixture(autouse=True)
def clean():
    calls.clear()
    done.clear()
    yield
    calls.clear()


def test_inline_when_tasks_are_sync(settings):
    settings.GELAR_TASKS_SYNC = True
    tasks.enqueue("gelar.reports.tests.test_exports_tasks.record", export_id=7)
    assert calls == [{"export_id": 7, "thread": threading.current_thread().name, "daemon": False}]


@pytest.mark.django_db
def test_in_a_daemon_thread_after_commit(settings, django_capture_on_commit_callbacks):
    settings.GELAR_TASKS_SYNC = False
    with django_capture_on_commit_callbacks() as callbacks:
        tasks.enqueue("gelar.reports.tests.test_exports_tasks.record", export_id=8)
        assert calls == []  # nothing before the commit
    assert len(callbacks) == 1
    assert calls == []

    callbacks[0]()  # the commit
    assert done.wait(timeout=10)
    assert calls == [
        {
            "export_id": 8,
            "thread": "task gelar.reports.tests.test_exports_tasks.record",
            "daemon": True,
        }
    ]


def test_a_crash_is_logged_not_raised(settings, caplog):
    settings.GELAR_TASKS_SYNC = True
    tasks.enqueue("gelar.reports.tests.test_exports_tasks.explode", n=3)
    assert [record.getMessage() for record in caplog.records] == [
        "Task gelar.reports.tests.test_exports_tasks.explode({'n': 3}) failed"
    ]
    assert "RuntimeError: boom 3" in caplog.text


def test_a_thread_closes_its_connections_even_after_a_crash(monkeypatch):
    closed = []
    monkeypatch.setattr(tasks.connections, "close_all", lambda: closed.append(True))
    tasks._run_in_thread("explode", explode, {"n": 1})
    assert closed == [True]


def test_a_wrong_path_fails_in_the_caller():
    with pytest.raises(ImportError):
        tasks.enqueue("gelar.reports.tests.test_exports_tasks.nothing_here")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_export_made_by_a_real_background_thread(settings, threads_database):
    """Committed rows, a daemon thread with its own connection, progress seen from outside."""
    settings.GELAR_TASKS_SYNC = False
    world = report_fixture()
    threads_database()

    def ask_and_wait(_i: int) -> str:
        export = exporting.export_request(
            expo=world["expo"], kind="xlsx", actor=world["users"]["admin"], language="en"
        )
        deadline = time.monotonic() + 60
        while export.status not in (ReportExport.Status.DONE, ReportExport.Status.FAILED):
            assert time.monotonic() < deadline, "the export never finished"
            time.sleep(0.05)
            export.refresh_from_db()
        with export.file.open("rb") as handle:
            book = openpyxl.load_workbook(io.BytesIO(handle.read()))
        omzet = book["Channels"]["D2"].value  # English: the export's language
        return f"{export.status} {export.progress} {omzet} {export.error}".strip()

    assert run_together(1, ask_and_wait) == ["done 100 1105000"]
