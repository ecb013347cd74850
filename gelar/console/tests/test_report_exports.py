"""The report's exports in the console: who may ask for and download them, the progress
page that polls itself with htmx, the file, bad input.

The expo is the report fixture's (gelar/reports/tests/fixtures.py). Its organizer has an
admin and a staff member (they may), a live-stream host and a gate officer (they may
not); the outsider is the admin of another organizer, whose expo has an export too.
Tasks run inline in the tests, so a request returns with its file made.
"""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gelar.audit.models import AuditEntry
from gelar.events.models import OrganizerMember
from gelar.reports.exports import XLSX_CONTENT_TYPE
from gelar.reports.models import ReportExport
from gelar.reports.tests.fixtures import report_fixture
from gelar.testing import make_expo, make_organizer, make_organizer_member, make_user

pytestmark = pytest.mark.django_db
Status = ReportExport.Status
Role = OrganizerMember.Role


@pytest.fixture
def world():
    world = report_fixture()
    organizer = world["organizer"]
    people = world["users"]
    for role in (Role.STAFF, Role.HOST, Role.GATE):
        people[role] = make_user(email=f"{role}@dindakop.example")
        make_organizer_member(organizer=organizer, user=people[role], role=role)
    elsewhere = make_organizer(slug="dinas-lain")
    people["outsider_admin"] = make_user(email="admin@lain.example")
    make_organizer_member(organizer=elsewhere, user=people["outsider_admin"], role=Role.ADMIN)
    world["other_expo"] = make_expo(organizer=elsewhere, slug="expo-lain")
    return world


def list_url(world) -> str:
    return reverse("console:report_exports", args=[world["expo"].slug])


def detail_url(world, export) -> str:
    return reverse("console:report_export", args=[world["expo"].slug, export.pk])


def file_url(world, export) -> str:
    return reverse("console:report_export_file", args=[world["expo"].slug, export.pk])


def done_export(world, kind="xlsx") -> ReportExport:
    from gelar.reports.exporting import export_request

    return export_request(
        expo=world["expo"], kind=kind, actor=world["users"]["admin"], language="id"
    )


@pytest.mark.parametrize("who", ["admin", Role.STAFF])
def test_admin_and_staff_ask_for_an_export_and_download_it(client, world, who):
    user = world["users"][who]
    client.force_login(user)

    page = client.get(list_url(world))
    assert page.status_code == 200
    html = page.content.decode()
    for label in (_("Spreadsheet (XLSX)"), _("CSV (zip, a file per table)"), _("PDF report")):
        assert label in html
    assert _("No exports yet.") in html
    # The file's language: Indonesian unless chosen otherwise.
    assert '<option value="id" selected>' in html
    assert '<option value="en">' in html

    response = client.post(list_url(world), {"kind": "xlsx"})

    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(world, export)
    assert (export.kind, export.status, export.requested_by, export.language) == (
        "xlsx",
        Status.DONE,
        user,
        "id",
    )
    assert AuditEntry.objects.filter(action="report.export_request", actor=user).count() == 1

    progress = client.get(detail_url(world, export)).content.decode()
    assert file_url(world, export) in progress
    assert "hx-trigger" not in progress  # done: nothing to poll
    assert "htmx.min.js" not in progress

    download = client.get(file_url(world, export))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX_CONTENT_TYPE
    day = timezone.localdate(export.finished_at, world["expo"].tzinfo)
    assert download["Content-Disposition"] == (
        f'attachment; filename="gelar-phe-2021-report-{day:%Y-%m-%d}.xlsx"'
    )
    assert download["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    summary = {row[1].value: row[2].value for row in book[_("Summary")].iter_rows(min_row=2)}
    assert summary[_("Retail omzet (Rp)")] == 1585000

    listed = client.get(list_url(world)).content.decode()
    assert file_url(world, export) in listed
    assert _("Ready") in listed
    assert "<td>Bahasa Indonesia</td>" in listed


@pytest.mark.parametrize("who", [Role.HOST, Role.GATE, "outsider_admin", "owner"])
def test_others_get_404_everywhere_and_nothing_is_made(client, world, who):
    export = done_export(world)
    entries = AuditEntry.objects.count()
    client.force_login(world["users"][who])

    for target in (list_url(world), detail_url(world, export), file_url(world, export)):
        assert client.get(target).status_code == 404, target
    assert client.post(list_url(world), {"kind": "pdf"}).status_code == 404

    assert ReportExport.objects.count() == 1
    assert AuditEntry.objects.count() == entries


def test_anonymous_is_sent_to_sign_in(client, world):
    export = done_export(world)
    for target in (list_url(world), detail_url(world, export), file_url(world, export)):
        response = client.get(target)
        assert response.status_code == 302
        assert "login" in response["Location"]
    client.post(list_url(world), {"kind": "pdf"})
    assert ReportExport.objects.count() == 1


@pytest.mark.parametrize("kind", ["", "docx", "XLSX"])
def test_an_unknown_kind_is_a_400_with_a_message(client, world, kind):
    client.force_login(world["users"]["admin"])
    response = client.post(list_url(world), {"kind": kind})
    assert response.status_code == 400
    assert _("Choose XLSX, CSV or PDF for the export.") in response.content.decode()
    assert not ReportExport.objects.exists()


def test_methods(client, world):
    export = done_export(world)
    client.force_login(world["users"]["admin"])
    assert client.put(list_url(world)).status_code == 405
    assert client.post(detail_url(world, export)).status_code == 405
    assert client.post(file_url(world, export)).status_code == 405


def test_the_progress_page_polls_itself_while_the_export_is_made(client, world):
    export = ReportExport.objects.create(
        expo=world["expo"], kind="pdf", status=Status.RUNNING, progress=40
    )
    client.force_login(world["users"][Role.STAFF])

    html = client.get(detail_url(world, export)).content.decode()
    assert f'hx-get="{detail_url(world, export)}"' in html
    assert 'hx-trigger="every 2s"' in html
    assert "vendor/htmx/htmx.min.js" in html
    assert '<progress max="100" value="40"' in html
    assert file_url(world, export) not in html

    fragment = client.get(detail_url(world, export), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "<html" not in body
    assert '<progress max="100" value="40"' in body
    assert _("Running") in body
    assert client.get(file_url(world, export)).status_code == 404  # no file yet

    ReportExport.objects.filter(pk=export.pk).update(status=Status.DONE, progress=100)
    finished = client.get(detail_url(world, export), headers={"HX-Request": "true"})
    assert finished.status_code == 286  # htmx stops polling
    assert file_url(world, export) in finished.content.decode()


def test_a_failed_export_shows_why_and_offers_to_try_again_in_its_language(client, world):
    export = ReportExport.objects.create(
        expo=world["expo"],
        kind="csv",
        language="en",
        status=Status.FAILED,
        error="Ekspor gagal: disk penuh",
    )
    client.force_login(world["users"]["admin"])

    fragment = client.get(detail_url(world, export), headers={"HX-Request": "true"})
    assert fragment.status_code == 286
    body = fragment.content.decode()
    assert "Ekspor gagal: disk penuh" in body
    assert 'name="kind" value="csv"' in body
    assert '<input type="hidden" name="language" value="en">' in body
    assert client.get(file_url(world, export)).status_code == 404


def test_a_failing_export_shows_a_generic_message_with_an_error_id(
    client, world, monkeypatch, caplog
):
    def broken(kind, report, *, progress=None):
        raise OSError("[Errno 28] No space left on device: '/srv/gelar/private/reports'")

    monkeypatch.setattr("gelar.reports.exports.build", broken)
    client.force_login(world["users"]["admin"])

    response = client.post(list_url(world), {"kind": "pdf"}, follow=True)

    html = response.content.decode()
    [failure] = [r for r in caplog.records if r.name == "gelar.reports.exporting"]
    error_id = failure.args[1]
    assert "No space left" in caplog.text
    assert "No space left" not in html
    assert "/srv/gelar" not in html
    assert (
        _("The export failed; please try again. Error id: %(error_id)s") % {"error_id": error_id}
        in html
    )


def test_an_export_silent_for_2_minutes_shows_as_failed(client, world):
    export = ReportExport.objects.create(expo=world["expo"], kind="pdf", status=Status.RUNNING)
    ReportExport.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=2, seconds=5)
    )
    client.force_login(world["users"]["admin"])

    html = client.get(detail_url(world, export)).content.decode()

    assert _("Stopped: the export was interrupted. Please ask for it again.") in html
    assert "hx-trigger" not in html
    export.refresh_from_db()
    assert export.status == Status.FAILED


def test_another_expos_export_is_404_under_this_expo(client, world):
    theirs = ReportExport.objects.create(expo=world["other_expo"], kind="xlsx", status=Status.DONE)
    client.force_login(world["users"]["admin"])
    assert client.get(detail_url(world, theirs)).status_code == 404
    assert client.get(file_url(world, theirs)).status_code == 404


def test_asking_twice_while_one_runs_shows_the_running_one(client, world):
    running = ReportExport.objects.create(expo=world["expo"], kind="pdf", status=Status.RUNNING)
    client.force_login(world["users"]["admin"])
    response = client.post(list_url(world), {"kind": "pdf"})
    assert response["Location"] == detail_url(world, running)
    assert ReportExport.objects.count() == 1


def sheet_names(export: ReportExport) -> list[str]:
    with export.file.open("rb") as handle:
        return openpyxl.load_workbook(io.BytesIO(handle.read())).sheetnames


def test_an_export_is_in_indonesian_whatever_the_consoles_language(client, world):
    client.force_login(world["users"]["admin"])
    with translation.override("en"):
        url = reverse("console:report_exports", args=[world["expo"].slug])
        english = _("Exhibitors")
        page = client.get(url).content.decode()
    assert url.startswith("/en/")
    assert '<option value="id" selected>' in page  # the English console offers Indonesian

    response = client.post(url, {"kind": "xlsx"})  # no language: the default

    export = ReportExport.objects.get()
    assert export.language == "id"
    assert response["Location"].startswith("/en/console/")  # the console stays English
    with translation.override("id"):
        assert _("Exhibitors") in sheet_names(export)  # "Peserta"
    assert english not in sheet_names(export)


def test_an_export_asked_for_in_english_is_in_english(client, world):
    client.force_login(world["users"]["admin"])
    with translation.override("en"):
        english = _("Exhibitors")

    client.post(list_url(world), {"kind": "xlsx", "language": "en"})  # the Indonesian console

    export = ReportExport.objects.get()
    assert export.language == "en"
    assert english in sheet_names(export)
    listed = client.get(list_url(world)).content.decode()
    assert "<td>English</td>" in listed


@pytest.mark.parametrize("language", ["fr", "ID", "english"])
def test_an_unknown_language_is_a_400_with_a_message(client, world, language):
    client.force_login(world["users"]["admin"])
    response = client.post(list_url(world), {"kind": "xlsx", "language": language})
    assert response.status_code == 400
    assert _("Choose the language of the export.") in response.content.decode()
    assert not ReportExport.objects.exists()
