"""Exports made in the background (reports.exporting): requested once, run, progress,
done with a private file or failed with the reason, never left running.

Tasks run inline in the tests (settings_test.GELAR_TASKS_SYNC), so a request returns
with its export already made; gelar/reports/tests/test_exports_tasks.py tests the
threads themselves.
"""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gelar.audit.models import AuditEntry
from gelar.events.models import Expo
from gelar.reports import exporting, exports
from gelar.reports.models import ReportExport
from gelar.reports.tests.fixtures import report_fixture
from gelar.testing import make_expo

pytestmark = pytest.mark.django_db
Status = ReportExport.Status


@pytest.fixture
def world():
    return report_fixture()


def request(world, kind="xlsx", language="id") -> ReportExport:
    return exporting.export_request(
        expo=world["expo"], kind=kind, actor=world["users"]["admin"], language=language
    )


def stored_files() -> set[str]:
    """The names in the private storage's reports/ (shared by the tests of a run)."""
    storage = ReportExport._meta.get_field("file").storage
    return (
        {f"reports/{name}" for name in storage.listdir("reports")[1]}
        if storage.exists("reports")
        else set()
    )


def test_a_request_makes_the_xlsx_with_the_figures(world):
    export = request(world)

    assert export.status == Status.DONE
    assert export.progress == 100
    assert export.error == ""
    assert export.finished_at is not None
    # The storage adds a suffix when a name is taken (by an earlier test's file).
    assert export.file.name.startswith(f"reports/gelar-phe-2021-report-{export.pk}")
    assert export.file.name.endswith(".xlsx")
    with export.file.open("rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    assert book[_("Channels")]["D2"].value == 1105000
    assert book[_("Channels")]["D3"].value == 480000
    entry = AuditEntry.objects.get(action="report.export_request")
    assert entry.actor == world["users"]["admin"]
    assert entry.organizer == world["organizer"]
    assert entry.object_id == str(export.pk)
    assert entry.changes == {"kind": "xlsx", "language": "id"}


def test_csv_and_pdf_exports(world):
    csv_export = request(world, "csv")
    pdf_export = request(world, "pdf")

    assert (csv_export.status, pdf_export.status) == (Status.DONE, Status.DONE)
    with csv_export.file.open("rb") as handle:
        assert len(zipfile.ZipFile(io.BytesIO(handle.read())).namelist()) == 11
    with pdf_export.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert pdf_export.file.name.endswith(".pdf")
    assert csv_export.file.name.endswith(".zip")


def test_the_export_is_made_in_its_own_language(world):
    with translation.override("en"):
        english = _("Exhibitors")
    assert english != _("Exhibitors")  # "Peserta": the sheets' names tell the languages apart

    export = request(world, language="en")

    with export.file.open("rb") as handle:
        names = openpyxl.load_workbook(io.BytesIO(handle.read())).sheetnames
    assert english in names
    assert _("Exhibitors") not in names
    assert translation.get_language() == "id"


def test_a_second_request_while_one_is_under_way_returns_it(world):
    queued = ReportExport.objects.create(expo=world["expo"], kind="pdf", status=Status.QUEUED)
    running = ReportExport.objects.create(expo=world["expo"], kind="csv", status=Status.RUNNING)

    assert request(world, "pdf") == queued
    assert request(world, "csv") == running
    assert ReportExport.objects.count() == 2
    assert not AuditEntry.objects.filter(action="report.export_request").exists()
    queued.refresh_from_db()
    assert queued.status == Status.QUEUED  # not run twice

    other = request(world, "xlsx")  # another kind: a new one
    assert other not in (queued, running)
    assert other.status == Status.DONE


def test_a_finished_export_does_not_hold_back_a_new_one(world):
    first = request(world)
    second = request(world)
    assert first != second
    assert second.status == Status.DONE


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(ValueError):
        request(world, "docx")
    assert not ReportExport.objects.exists()


def test_a_failing_build_leaves_failed_with_a_generic_message_and_no_file(
    world, monkeypatch, caplog
):
    def broken(kind, report, *, progress=None):
        progress(50)
        raise ValueError("no ink at /srv/gelar/private")

    monkeypatch.setattr(exports, "build", broken)
    before = stored_files()
    export = request(world, "pdf")

    assert export.status == Status.FAILED
    # The reason is for the log only: the id ties the message to it.
    [logged] = [record for record in caplog.records if record.name == "gelar.reports.exporting"]
    error_id = logged.args[1]
    assert logged.getMessage() == f"Report export {export.pk} failed (error id {error_id})"
    assert "ValueError: no ink at /srv/gelar/private" in logged.exc_text
    assert re.fullmatch(r"[0-9a-f]{8}", error_id)
    assert export.error == _("The export failed; please try again. Error id: %(error_id)s") % {
        "error_id": error_id
    }
    assert "no ink" not in export.error
    assert export.progress == 15 + 50 * 80 // 100
    assert export.finished_at is not None
    assert not export.file
    assert stored_files() == before


def test_a_failing_report_query_leaves_failed(world, monkeypatch, caplog):
    def broken(*, expo, now=None):
        raise RuntimeError("database gone")

    monkeypatch.setattr(exporting.selectors, "expo_report", broken)
    export = request(world)

    assert export.status == Status.FAILED
    error_id = caplog.records[-1].args[1]
    assert export.error == _("The export failed; please try again. Error id: %(error_id)s") % {
        "error_id": error_id
    }
    assert "RuntimeError: database gone" in caplog.text
    # The caller's transaction is still usable: the failure was written in it.
    assert ReportExport.objects.filter(status=Status.FAILED).count() == 1


def test_a_failure_is_written_in_the_exports_language(world, monkeypatch, caplog):
    monkeypatch.setattr(exports, "build", lambda *args, **kwargs: 1 / 0)
    export = request(world, "xlsx", language="en")
    error_id = caplog.records[-1].args[1]
    assert export.error == f"The export failed; please try again. Error id: {error_id}"


def test_progress_is_written_as_the_file_is_made(world, monkeypatch):
    seen = []
    real_build = exports.build

    def watched(kind, report, *, progress=None):
        def tell(percent):
            progress(percent)
            seen.append(ReportExport.objects.values_list("progress", flat=True).get())

        return real_build(kind, report, progress=tell)

    monkeypatch.setattr(exports, "build", watched)
    export = request(world, "xlsx")

    assert seen == sorted(seen)
    assert seen[0] >= 15
    assert seen[-1] == 95  # 15 + 100 * 80 // 100; 100 once the file is stored
    assert len(set(seen)) >= 5
    assert export.progress == 100


def test_running_an_export_twice_does_nothing_the_second_time(world):
    export = request(world)
    name, finished = export.file.name, export.finished_at

    before = stored_files()

    exporting.export_run(export_id=export.pk)

    export.refresh_from_db()
    assert (export.status, export.file.name, export.finished_at) == (Status.DONE, name, finished)
    assert name in before
    assert stored_files() == before


def _silent(export: ReportExport, minutes: float, *, requested: float | None = None) -> None:
    """Its last sign of life `minutes` ago (and its request `requested` minutes ago)."""
    now = timezone.now()
    changes = {"heartbeat_at": now - datetime.timedelta(minutes=minutes)}
    if requested is not None:
        changes["created_at"] = now - datetime.timedelta(minutes=requested)
    ReportExport.objects.filter(pk=export.pk).update(**changes)


def test_an_export_silent_for_2_minutes_is_failed_when_listed(world):
    expo = world["expo"]
    stuck = ReportExport.objects.create(expo=expo, kind="pdf", status=Status.RUNNING, progress=40)
    lost = ReportExport.objects.create(expo=expo, kind="csv", status=Status.QUEUED)
    # Asked for 20 minutes ago, still writing its progress: long, but alive.
    slow = ReportExport.objects.create(expo=expo, kind="xlsx", status=Status.RUNNING, progress=70)
    _silent(stuck, 2.5, requested=3)
    _silent(lost, 30.1, requested=30.1)  # queued, never claimed
    _silent(slow, 1.5, requested=20)

    listed = list(exporting.exports_for_expo(expo=expo))

    assert listed == [stuck, slow, lost]  # newest request first
    for export in (stuck, lost, slow):
        export.refresh_from_db()
    assert (stuck.status, lost.status, slow.status) == (
        Status.FAILED,
        Status.FAILED,
        Status.RUNNING,
    )
    assert stuck.error == _("Stopped: the export was interrupted. Please ask for it again.")
    assert lost.error == stuck.error
    assert stuck.finished_at is not None
    assert (slow.error, slow.finished_at) == ("", None)


def test_a_queued_export_waits_30_minutes_for_a_worker(world):
    # With a task queue a busy or restarting worker may take a while to claim it.
    waiting = ReportExport.objects.create(expo=world["expo"], kind="pdf")
    _silent(waiting, 29.9, requested=29.9)
    assert exporting.exports_expire_stale(expo=world["expo"]) == 0
    _silent(waiting, 30.1, requested=30.1)
    assert exporting.exports_expire_stale(expo=world["expo"]) == 1


def test_a_stale_export_does_not_hold_back_a_new_request(world):
    stuck = ReportExport.objects.create(expo=world["expo"], kind="pdf", status=Status.RUNNING)
    _silent(stuck, 3)

    fresh = request(world, "pdf")

    assert fresh != stuck
    assert fresh.status == Status.DONE
    stuck.refresh_from_db()
    assert stuck.status == Status.FAILED


def test_a_queued_export_failed_as_stale_is_never_run(world):
    lost = ReportExport.objects.create(expo=world["expo"], kind="csv")
    _silent(lost, 31)
    exporting.exports_expire_stale(expo=world["expo"])

    exporting.export_run(export_id=lost.pk)  # the thread starts at last

    lost.refresh_from_db()
    assert (lost.status, lost.progress, bool(lost.file)) == (Status.FAILED, 0, False)


def test_the_claim_and_each_progress_update_are_signs_of_life(world, monkeypatch):
    """The heartbeat moves with the claim and the progress: an export working for long
    is never taken as stale, however long ago it was asked for."""
    export = ReportExport.objects.create(expo=world["expo"], kind="xlsx")
    _silent(export, 1.9, requested=30)
    started = timezone.now()
    beats = []
    real_build = exports.build

    def watched(kind, report, *, progress=None):
        beats.append(ReportExport.objects.values_list("heartbeat_at", flat=True).get())
        # Time passes: the last sign of life is now 3 minutes old ...
        _silent(export, 3)
        progress(50)
        # ... until this progress update.
        beats.append(ReportExport.objects.values_list("heartbeat_at", flat=True).get())
        assert exporting.exports_expire_stale(expo=world["expo"]) == 0
        return real_build(kind, report, progress=progress)

    monkeypatch.setattr(exports, "build", watched)
    exporting.export_run(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == Status.DONE
    assert all(beat >= started for beat in beats)
    assert export.heartbeat_at >= beats[-1]


def test_progress_beats_even_when_the_percentage_stands_still(world):
    export = ReportExport.objects.create(expo=world["expo"], kind="pdf", status=Status.RUNNING)
    clock = [1000.0]
    progress = exporting._Progress(export.pk, clock=lambda: clock[0])

    def heartbeat():
        return ReportExport.objects.values_list("progress", "heartbeat_at").get(pk=export.pk)

    progress(30)
    percent, first = heartbeat()
    assert percent == 30
    _silent(export, 1)
    clock[0] += exporting.HEARTBEAT_EVERY - 1
    progress(30)  # the same percentage, soon after: no write
    assert heartbeat()[1] < first
    clock[0] += 1
    progress(20)  # HEARTBEAT_EVERY seconds since the last write: a beat, the bar stays
    percent, beat = heartbeat()
    assert percent == 30
    assert beat >= first


def test_a_run_overtaken_by_the_stale_check_drops_its_file(world, monkeypatch):
    real_build = exports.build

    def slow(kind, report, *, progress=None):
        content = real_build(kind, report, progress=progress)
        # Meanwhile another request saw it silent for too long.
        ReportExport.objects.update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=3))
        exporting.exports_expire_stale(expo=world["expo"])
        return content

    monkeypatch.setattr(exports, "build", slow)
    before = stored_files()
    export = request(world, "xlsx")

    assert export.status == Status.FAILED
    assert not export.file
    assert stored_files() == before


def test_exports_of_another_expo_are_not_listed_or_expired(world):
    other = ReportExport.objects.create(expo=world["earlier"], kind="pdf", status=Status.RUNNING)
    _silent(other, 60)

    assert list(exporting.exports_for_expo(expo=world["expo"])) == []
    other.refresh_from_db()
    assert other.status == Status.RUNNING


# --- language ---


def test_an_export_asked_for_in_indonesian_is_indonesian_whatever_is_active(world):
    with translation.override("en"):
        english = _("Exhibitors")
        export = request(world, language="id")

    with export.file.open("rb") as handle:
        names = openpyxl.load_workbook(io.BytesIO(handle.read())).sheetnames
    assert _("Exhibitors") in names  # "Peserta"
    assert english not in names


def test_an_unknown_language_is_refused(world):
    with pytest.raises(ValueError):
        request(world, language="fr")
    assert not ReportExport.objects.exists()


def test_the_languages_offered_put_indonesian_first():
    assert [code for code, _name in exporting.export_languages()] == ["id", "en"]


# --- retention ---


def test_only_the_latest_5_finished_exports_of_a_kind_are_kept_with_their_files(
    world, django_capture_on_commit_callbacks
):
    expo = world["expo"]
    long_ago = timezone.now() - datetime.timedelta(days=1)
    failed = ReportExport.objects.create(expo=expo, kind="xlsx", status=Status.FAILED)
    ReportExport.objects.filter(pk=failed.pk).update(created_at=long_ago)
    pdf = request(world, "pdf")
    with django_capture_on_commit_callbacks(execute=True):
        made = [request(world, "xlsx") for _i in range(5)]

    # Six finished spreadsheets: the oldest (the failed one) went.
    assert list(ReportExport.objects.filter(kind="xlsx")) == made[::-1]
    assert ReportExport.objects.filter(pk=pdf.pk).exists()  # another kind: untouched
    files = stored_files()
    assert {export.file.name for export in made} <= files

    with django_capture_on_commit_callbacks(execute=True):
        newest = request(world, "xlsx")

    assert list(ReportExport.objects.filter(kind="xlsx")) == [newest, *made[:0:-1]]
    assert made[0].file.name not in stored_files()
    assert {export.file.name for export in [newest, *made[1:]]} <= stored_files()
    assert pdf.file.name in stored_files()


def test_an_export_under_way_is_never_pruned(world):
    expo = world["expo"]
    running = ReportExport.objects.create(expo=expo, kind="csv", status=Status.RUNNING)
    for _i in range(6):
        ReportExport.objects.create(expo=expo, kind="csv", status=Status.DONE)
    ReportExport.objects.filter(pk=running.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )

    assert exporting.exports_prune(expo_id=expo.pk, kind="csv") == 1

    assert ReportExport.objects.filter(pk=running.pk).exists()
    assert ReportExport.objects.filter(kind="csv", status=Status.DONE).count() == 5


def test_a_deleted_export_takes_its_file_after_commit(world, django_capture_on_commit_callbacks):
    kept = request(world, "pdf")
    name = kept.file.name

    with pytest.raises(RuntimeError):  # rolled back: the file stays
        with transaction.atomic():
            ReportExport.objects.get(pk=kept.pk).delete()
            raise RuntimeError("changed my mind")
    assert name in stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        kept.delete()
    assert name not in stored_files()


def test_deleting_an_expo_deletes_its_export_files(world, django_capture_on_commit_callbacks):
    expo = make_expo(organizer=world["organizer"], slug="pameran-kosong")
    files = [
        exporting.export_request(
            expo=expo, kind=kind, actor=world["users"]["admin"], language="id"
        ).file.name
        for kind in ("xlsx", "pdf")
    ]
    other = request(world, "csv").file.name
    assert set(files) <= stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        Expo.objects.get(pk=expo.pk).delete()

    assert not set(files) & stored_files()
    assert other in stored_files()
