"""Exports beside the expo's other work, with real threads and connections (a file
database on SQLite, as the embedded set-up; the test database on PostgreSQL):

- requests at once make one export (the partial unique constraint, not a lock);
- a request does not wait for locks on the expo row, which every order and sale of
  the expo takes (an order's insert holds FOR KEY SHARE on it until commit);
- the report is read outside any transaction of the export's, so on SQLite a till
  sale or a visitor's beacon is written while a long export is being made.
"""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from gelar.audit.models import AuditEntry
from gelar.events.models import Expo
from gelar.reports import exporting
from gelar.reports.models import ReportExport, Visit
from gelar.reports.tests.fixtures import report_fixture
from gelar.testing import run_together

Status = ReportExport.Status


def in_a_thread(function):
    """function() with the threads' connection: on SQLite the test's own in-memory
    database does not see what the threads wrote to the file."""
    [outcome] = run_together(1, lambda _i: function())
    return outcome


@pytest.fixture
def no_runs(monkeypatch) -> list[dict]:
    """The exports are asked for, not made: the runs are noted."""
    runs: list[dict] = []
    monkeypatch.setattr(exporting, "enqueue", lambda task, **kwargs: runs.append(kwargs))
    return runs


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_requests_at_once_make_one_export(monkeypatch, threads_database, no_runs):
    world = report_fixture()
    threads_database()
    # Every request finds none under way (as when they all look at the same moment),
    # so each tries to insert one: the database lets one through.
    looked = threading.local()
    real_working = exporting._working

    def first_look_finds_none(expo, kind):
        if not getattr(looked, "once", False):
            looked.once = True
            return None
        return real_working(expo, kind)

    monkeypatch.setattr(exporting, "_working", first_look_finds_none)

    def ask(_i: int) -> str:
        export = exporting.export_request(
            expo=world["expo"], kind="pdf", actor=world["users"]["admin"], language="id"
        )
        return f"{export.pk} {export.status}"

    outcomes = run_together(5, ask)

    exports, entries = in_a_thread(
        lambda: (
            list(ReportExport.objects.values_list("pk", "kind", "status")),
            AuditEntry.objects.filter(action="report.export_request").count(),
        )
    )
    [(pk, kind, status)] = exports
    assert (kind, status) == ("pdf", Status.QUEUED)
    assert outcomes == [f"{pk} queued"] * 5
    assert no_runs == [{"export_id": pk}]
    assert entries == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "hold",
    [
        # An order or a till sale of the expo being committed (its foreign key check).
        "SELECT id FROM {table} WHERE id = %s FOR KEY SHARE",
        # The organizer saving the expo.
        "UPDATE {table} SET name = name WHERE id = %s",
    ],
)
def test_a_request_does_not_wait_for_locks_on_the_expo_row(hold, no_runs):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite has one write lock for the database)")
    world = report_fixture()
    expo = world["expo"]
    held, released = threading.Event(), threading.Event()

    def work(i: int) -> str:
        if i == 0:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(hold.format(table=Expo._meta.db_table), [expo.pk])
                held.set()
                released.wait(timeout=10)
            return "holder"
        assert held.wait(timeout=10)
        start = time.monotonic()
        try:
            export = exporting.export_request(
                expo=expo, kind="xlsx", actor=world["users"]["admin"], language="id"
            )
        finally:
            released.set()
        waited = time.monotonic() - start
        return f"{export.status} after {'under 2 s' if waited < 2 else f'{waited:.0f} s'}"

    assert run_together(2, work) == ["holder", "queued after under 2 s"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_visitor_is_written_while_the_report_is_read(monkeypatch, threads_database):
    world = report_fixture()
    expo = world["expo"]
    export = ReportExport.objects.create(expo=expo, kind="csv")
    threads_database()
    real_report = exporting.selectors.expo_report
    seen: dict = {}

    def arrive(_i: int) -> str:
        start = time.monotonic()
        with transaction.atomic():  # BEGIN IMMEDIATE on SQLite: the write lock
            Visit.objects.create(
                expo=expo,
                visitor="b" * 64,
                day=datetime.date(2021, 11, 25),
                first_seen=timezone.now(),
            )
        waited = time.monotonic() - start
        return f"written after {'under 2 s' if waited < 2 else f'{waited:.0f} s'}"

    def report_with_a_visitor(*, expo, now=None):
        seen["in_transaction"] = transaction.get_connection().in_atomic_block
        seen["visitor"] = run_together(1, arrive)
        return real_report(expo=expo, now=now)

    monkeypatch.setattr(exporting.selectors, "expo_report", report_with_a_visitor)

    def run() -> tuple:
        exporting.export_run(export_id=export.pk)
        return (
            ReportExport.objects.get(pk=export.pk).status,
            Visit.objects.filter(visitor="b" * 64).count(),
        )

    assert in_a_thread(run) == (Status.DONE, 1)
    assert seen == {"in_transaction": False, "visitor": ["written after under 2 s"]}
