"""CSV and XLSX export of an expo's exhibitors, read back and compared value by value."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from gelar.console import exports
from gelar.console.tests.intake_world import (
    build_intake,
    snapshot,
)
from gelar.exhibitors.models import Participation

pytestmark = pytest.mark.django_db

APPLIED = datetime.datetime(2021, 10, 1, 2, 30, tzinfo=datetime.UTC)  # 09:30 WIB
DECIDED = datetime.datetime(2021, 10, 5, 7, 15, tzinfo=datetime.UTC)  # 14:15 WIB


@pytest.fixture
def w():
    world = build_intake()
    Participation.objects.filter(expo=world.expo).update(applied_at=APPLIED)
    Participation.objects.filter(pk=world.batik.pk).update(decided_at=DECIDED)
    return world


def _url(w, fmt: str, **params) -> str:
    url = reverse("console:export", args=[w.expo.slug, fmt])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _labels():
    with translation.override("id"):
        return {
            "header": [c.title for c in exports.columns()],
            "venue": str(Participation.Mode.VENUE.label),
            "online": str(Participation.Mode.ONLINE.label),
            "accepted": str(Participation.Status.ACCEPTED.label),
            "applied": str(Participation.Status.APPLIED.label),
        }


def _expected(w) -> list[list]:
    labels = _labels()
    applied = datetime.datetime(2021, 10, 1, 9, 30)
    return [
        # Sorted by name.
        [
            "Amplang Café Banjarbaru",
            w.amplang.exhibitor.owner_name,
            "",
            "Makanan",
            "Kalimantan Selatan",
            "Kota Banjarbaru",
            labels["online"],
            labels["accepted"],
            "",
            "6285712345678",
            "",
            1,
            applied,
            None,
        ],
        [
            "Batik Sekar Jagad",
            "Siti Rahmawati",
            "9120001234567",
            "Batik & Fesyen",
            "Jawa Tengah",
            "Kota Pekalongan",
            labels["venue"],
            labels["accepted"],
            "A-01",
            "6281234567890",
            "",
            3,
            applied,
            datetime.datetime(2021, 10, 5, 14, 15),
        ],
        [
            "Kopi Owa Menunggu",
            w.waiting.exhibitor.owner_name,
            "9120001112223",
            "Batik & Fesyen",
            "Jawa Tengah",
            "Kota Pekalongan",
            labels["venue"],
            labels["accepted"],
            "",
            "6281234567890",
            "",
            1,
            applied,
            None,
        ],
        [
            "Tenun Belum Diterima",
            w.applicant.exhibitor.owner_name,
            "9120009876543",
            "Batik & Fesyen",
            "Jawa Tengah",
            "Kota Pekalongan",
            labels["online"],
            labels["applied"],
            "",
            "6281234567890",
            "pemilik@tenun.id",
            1,
            applied,
            None,
        ],
    ]


def _as_csv_text(row: list) -> list[str]:
    return [
        value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, datetime.datetime)
        else ("" if value is None else str(value))
        for value in row
    ]


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_csv(client, w, who):
    client.force_login(getattr(w, who))

    response = client.get(_url(w, "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="gelar-{w.expo.slug}-exhibitors-{today:%Y-%m-%d}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [_labels()["header"]] + [_as_csv_text(row) for row in _expected(w)]


def test_xlsx(client, w):
    client.force_login(w.admin)

    response = client.get(_url(w, "xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    expected = [[v if v != "" else None for v in row] for row in _expected(w)]
    assert rows == [_labels()["header"]] + expected
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 32
    assert isinstance(sheet["M2"].value, datetime.datetime)
    assert sheet["C3"].number_format == "@"


def test_status_filter(client, w):
    client.force_login(w.staff)

    response = client.get(_url(w, "csv", status="applied"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Tenun Belum Diterima"]
    # An unknown status exports everything rather than failing.
    response = client.get(_url(w, "csv", status="bogus"))
    assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) == 5


def test_unknown_format_is_404(client, w):
    client.force_login(w.staff)

    assert client.get(_url(w, "pdf")).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_outsider_gets_404(client, w, fmt):
    client.force_login(w.outsider)
    before = snapshot(w.expo)

    assert client.get(_url(w, fmt)).status_code == 404
    assert snapshot(w.expo) == before


def test_a_name_typed_as_a_formula_stays_text(client, w):
    """CSV injection: an exhibitor named "=HYPERLINK(...)" must not run in the spreadsheet."""
    exhibitor = w.applicant.exhibitor
    exhibitor.name = '=HYPERLINK("http://evil.example","klik")'
    exhibitor.save(update_fields=["name"])
    client.force_login(w.admin)

    text = client.get(_url(w, "csv")).content.decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(text))]
    assert "'" + exhibitor.name in names

    sheet = load_workbook(io.BytesIO(client.get(_url(w, "xlsx")).content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    typed = next(cell for cell in cells if cell.value == exhibitor.name)
    assert typed.data_type == "s"
