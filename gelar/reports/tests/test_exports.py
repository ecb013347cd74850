"""The report's files opened back -- the XLSX with openpyxl, the CSVs with csv, the PDF
with poppler's pdftotext -- against the figures computed by hand in fixtures.py.

The report is taken at the fixture's NOW (25 November 2021, 10.00 WIB), in Indonesian
unless a test says otherwise; labels are compared through gettext.
"""

import copy
import csv
import datetime
import io
import os
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gelar.reports import exports
from gelar.reports.selectors import expo_report
from gelar.reports.tests.fixtures import EXPECTED, NOW, report_fixture

pytestmark = [pytest.mark.django_db]

RUPIAH = '"Rp"#,##0'
PERCENT = '0.0"%"'


@pytest.fixture
def world():
    return report_fixture()


@pytest.fixture
def report(world):
    return expo_report(expo=world["expo"], now=NOW)


def sheet_names() -> list[str]:
    return [
        _("Summary"),
        _("Channels"),
        _("Categories"),
        _("Regions"),
        _("Exhibitors"),
        _("Daily"),
        _("Hourly"),
        _("Top products"),
        _("Live"),
        _("B2B"),
        _("Self-reported"),
    ]


def values(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def exhibitor_rows(world) -> list[list]:
    """The Exhibitors sheet's rows by hand: fixtures.EXPECTED, labels through gettext."""
    names = {e.slug: e.name for e in world["exhibitors"].values()}
    modes = {"venue": _("At the venue"), "online": _("Online")}
    channels = {
        "marketplace": _("Marketplace (Shopee, Tokopedia, ...)"),
        "reseller": _("Resellers or agents"),
        "social": _("Social commerce (Instagram, TikTok Shop, ...)"),
    }
    licences = {"halal": _("Halal certificate"), "pirt": _("P-IRT")}
    previous = {"phe-2020": "Pekalongan Hybrid Expo 2020", None: ""}
    rows = []
    for slug, online, venue, omzet, orders, items in EXPECTED["by_exhibitor_omzet"]:
        row = EXPECTED["by_exhibitor"][slug]
        rows.append(
            [
                names[slug],
                row["category"],
                row["province"],
                row["regency"],
                modes[row["mode"]],
                row["booth"] or None,
                online,
                venue,
                omzet,
                orders,
                items,
                row["booth_visits"],
                row["inquiries"],
                row["bulk_won"],
                row["self_reported"],
                row["turnover_before"],
                row["turnover_after"],
                None if row["growth"] is None else float(row["growth"]),
                None if row["expo_vs_month"] is None else float(row["expo_vs_month"]),
                previous[row["previous_expo"]] or None,
                row["previous_omzet"],
                None if row["vs_previous"] is None else float(row["vs_previous"]),
                ", ".join(channels[code] for code in row["new_channels"]) or None,
                ", ".join(licences[code] for code in row["licences_new"]) or None,
            ]
        )
    return rows


# --- XLSX ---


def test_xlsx_has_a_sheet_per_table_with_frozen_headers_and_filters(report):
    book = openpyxl.load_workbook(io.BytesIO(exports.export_xlsx(report)))

    assert book.sheetnames == sheet_names()
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" + (
            f"{max(sheet.max_row, 2)}"
        ), sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title
    assert book[_("Exhibitors")].column_dimensions["A"].width == 30


def test_xlsx_summary_holds_the_key_figures_as_numbers_and_dates(report):
    sheet = openpyxl.load_workbook(io.BytesIO(exports.export_xlsx(report)))[_("Summary")]
    cells = {row[1].value: row[2] for row in sheet.iter_rows(min_row=2)}

    def value(label):
        return cells[label].value

    assert value(_("Expo")) == "Pekalongan Hybrid Expo 2021"
    assert value(_("First day")) == datetime.datetime(2021, 11, 24)
    assert cells[_("First day")].is_date
    assert cells[_("First day")].number_format == "yyyy-mm-dd"
    assert value(_("Time zone")) == "Asia/Jakarta (WIB)"
    generated = cells[f"{_('Generated at')} (WIB)"]
    assert generated.value == datetime.datetime(2021, 11, 25, 10, 0)
    assert generated.is_date and generated.number_format == "yyyy-mm-dd hh:mm"
    assert value(_("Unique online visitors")) == 4
    assert value(_("Online visitor-days")) == 5
    assert value(_("Peak concurrent stream viewers")) == 150
    assert value(f"{_('Peak viewers at')} (WIB)") == datetime.datetime(2021, 11, 25, 13, 10)
    assert value(_("Venue tickets issued")) == 5
    assert value(_("Visitors admitted at the venue")) == 4
    assert value(_("Inside the venue now")) == 1
    assert value(_("Capacity of the current slot")) == 200
    assert value(_("Admitted today")) == 1
    assert value(_("Retail omzet (Rp)")) == 1585000
    assert cells[_("Retail omzet (Rp)")].number_format == RUPIAH
    assert value(_("Retail orders")) == 10
    assert value(_("Retail items sold")) == 20
    assert value(_("Online omzet (Rp)")) == 1105000
    assert value(_("Online share (%)")) == 69.7
    assert cells[_("Online share (%)")].number_format == PERCENT
    assert value(_("Online share planned (%)")) == 70
    assert value(_("Venue omzet (Rp)")) == 480000
    assert value(_("Venue share (%)")) == 30.3
    assert value(_("Inquiries")) == 7
    assert value(_("Quoted value (Rp)")) == 5000000
    assert value(_("Won value (Rp)")) == 5500000
    assert value(_("Sales by WhatsApp (Rp)")) == 500000
    assert value(_("Sales on marketplaces (Rp)")) == 550000
    assert value(_("Other sales after the expo (Rp)")) == 200000
    assert value(_("Self-reported sales (Rp)")) == 1250000
    assert value(_("Provinces")) == 3
    assert value(_("Products on sale")) == 6
    assert value(_("Median turnover growth (%)")) == 7.5
    assert value(_("Took part in an earlier expo")) == 2
    assert value(_("Sold more than at their previous expo")) == 2


def test_xlsx_tables_hold_the_hand_figures(report, world):
    book = openpyxl.load_workbook(io.BytesIO(exports.export_xlsx(report)))

    channels = book[_("Channels")]
    assert values(channels)[1:] == [
        [_("Online"), 6, 14, 1105000, 69.7, 70, -0.3],
        [_("At the venue"), 4, 6, 480000, 30.3, 30, 0.3],
    ]
    assert [cell.number_format for cell in channels[2][3:]] == [
        RUPIAH,
        PERCENT,
        PERCENT,
        "+0.0;-0.0;0.0",
    ]

    def sales(rows):
        return [
            [r["name"], r["exhibitors"], r["online"], r["venue"], r["omzet"], r["orders"]]
            + [float(r["share"])]
            for r in rows
        ]

    assert values(book[_("Categories")])[1:] == sales(EXPECTED["by_category"])
    assert values(book[_("Regions")])[1:] == sales(EXPECTED["by_region"])

    exhibitors = book[_("Exhibitors")]
    assert values(exhibitors)[1:] == exhibitor_rows(world)
    assert exhibitors["I2"].number_format == RUPIAH  # omzet
    assert exhibitors["R2"].number_format == PERCENT  # growth

    daily = book[_("Daily")]
    assert values(daily)[1:] == [
        [datetime.datetime.combine(row["day"], datetime.time())]
        + [row[key] for key in ("online", "venue", "omzet", "orders", "visitors", "admitted")]
        for row in EXPECTED["by_day"]
    ]
    assert daily["A2"].is_date and daily["A2"].number_format == "yyyy-mm-dd"

    hourly = book[_("Hourly")]
    assert hourly["A1"].value == f"{_('Hour')} (WIB)"
    assert values(hourly)[1:] == [
        [row["hour"], row["online"], row["venue"], row["omzet"], row["orders"]]
        for row in EXPECTED["by_hour"]
    ]
    assert hourly["A11"].value == 9 and hourly["A11"].number_format == '00":00"'

    assert values(book[_("Top products")])[1:] == [
        [rank, r["name"], r["exhibitor"], r["quantity"], r["online"], r["venue"], r["omzet"]]
        for rank, r in enumerate(EXPECTED["top_products"], start=1)
    ]

    live = book[_("Live")]
    assert live["B1"].value == f"{_('Starts')} (WIB)"
    assert values(live)[1:] == [
        [
            "Promosi Produk UMKM",
            datetime.datetime(2021, 11, 24, 10, 0),
            120,
            85,
            2,
            16,
            6,
            1,
            300000,
            "Kemeja Batik Tulis, Amplang Tenggiri",
        ],
        [
            "Talkshow Batik Naik Kelas",
            datetime.datetime(2021, 11, 25, 13, 0),
            150,
            93,
            1,
            3,
            0,
            0,
            0,
            "Kain Batik Tasik",
        ],
    ]
    assert live["B2"].is_date

    assert values(book[_("B2B")])[1:] == [
        [_("New"), 2, None],
        [_("Answered"), 1, None],
        [_("Quoted"), 1, 5000000],
        [_("Won"), 2, 5500000],
        [_("Lost"), 1, None],
    ]
    assert values(book[_("Self-reported")])[1:] == [
        ["Batik Sekar Jagad", "Batik & Fesyen", 960000, 800000, 1760000, 4000000, 5000000, 25],
        ["Batik Tasik Indah", "Batik & Fesyen", 200000, 300000, 500000, 8000000, None, None],
        ["Amplang Banjarbaru", "Makanan", 125000, 150000, 275000, 2000000, 1800000, -10],
    ]


def test_a_name_that_looks_like_a_formula_stays_text(world):
    shop = world["exhibitors"]["C"]
    shop.name = '=HYPERLINK("https://evil.example","Klik")'
    shop.save()
    report = expo_report(expo=world["expo"], now=NOW)

    sheet = openpyxl.load_workbook(io.BytesIO(exports.export_xlsx(report)))[_("Exhibitors")]
    cell = next(row[0] for row in sheet.iter_rows(min_row=2) if "HYPERLINK" in row[0].value)
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("https://evil.example","Klik")'

    archive = zipfile.ZipFile(io.BytesIO(exports.export_csv_zip(report)))
    rows = list(csv.reader(io.StringIO(archive.read(csv_names()[4]).decode("utf-8-sig"))))
    assert rows[3][0] == "'" + '=HYPERLINK("https://evil.example","Klik")'
    # A negative figure is a number, not a formula: no apostrophe.
    assert rows[4][17] == "-10.0"


def test_control_characters_in_names_do_not_break_any_export(world, tmp_path):
    """A vertical tab pasted into a name: openpyxl refuses it (IllegalCharacterError), so
    the XLSX drops it; the CSV keeps the data as typed; the PDF prints it as a space."""
    shop = world["exhibitors"]["A"]
    shop.name = "Batik\x0bSekar"
    shop.save()
    shirt = world["products"]["kemeja"]
    shirt.name = "Kemeja\x01Batik\x1fTulis"
    shirt.save()
    report = expo_report(expo=world["expo"], now=NOW)

    book = openpyxl.load_workbook(io.BytesIO(exports.export_xlsx(report)))
    names = [row[0] for row in values(book[_("Exhibitors")])[1:]]
    assert "BatikSekar" in names
    assert values(book[_("Top products")])[1][1:3] == ["KemejaBatikTulis", "BatikSekar"]

    archive = zipfile.ZipFile(io.BytesIO(exports.export_csv_zip(report)))
    assert read_csv(archive, 7)[1][1:3] == ["Kemeja\x01Batik\x1fTulis", "Batik\x0bSekar"]

    text = " ".join(pdf_text(exports.export_pdf(report), tmp_path))
    assert "Batik Sekar" in text
    assert "Kemeja Batik Tulis" in text


# --- CSV ---


def csv_names() -> list[str]:
    return [f"{i:02d}-{slugify(title)}.csv" for i, title in enumerate(sheet_names(), start=1)]


def read_csv(archive: zipfile.ZipFile, index: int) -> list[list[str]]:
    raw = archive.read(csv_names()[index])
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark: Excel reads UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_zip_has_a_file_per_table_with_the_hand_figures(report, world):
    archive = zipfile.ZipFile(io.BytesIO(exports.export_csv_zip(report)))

    assert archive.namelist() == csv_names()
    summary = {row[1]: row[2] for row in read_csv(archive, 0)[1:]}
    assert summary[_("Retail omzet (Rp)")] == "1585000"
    assert summary[_("First day")] == "2021-11-24"
    assert summary[f"{_('Generated at')} (WIB)"] == "2021-11-25 10:00"
    assert summary[_("Online share (%)")] == "69.7"
    assert summary[_("Median turnover growth (%)")] == "7.5"

    assert read_csv(archive, 1) == [
        [
            _("Channel"),
            _("Orders"),
            _("Items"),
            _("Omzet (Rp)"),
            _("Share (%)"),
            _("Planned (%)"),
            _("Against plan (points)"),
        ],
        [_("Online"), "6", "14", "1105000", "69.7", "70", "-0.3"],
        [_("At the venue"), "4", "6", "480000", "30.3", "30", "0.3"],
    ]

    def text(value):
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:.1f}"
        return str(value)

    assert read_csv(archive, 4)[1:] == [
        [text(value) for value in row] for row in exhibitor_rows(world)
    ]
    assert read_csv(archive, 5)[1:] == [
        [row["day"].isoformat()]
        + [str(row[key]) for key in ("online", "venue", "omzet", "orders", "visitors", "admitted")]
        for row in EXPECTED["by_day"]
    ]
    assert read_csv(archive, 6)[10] == ["09:00", "330000", "50000", "380000", "2"]
    assert read_csv(archive, 8)[1][:3] == ["Promosi Produk UMKM", "2021-11-24 10:00", "120"]
    assert read_csv(archive, 9)[3:5] == [[_("Quoted"), "1", "5000000"], [_("Won"), "2", "5500000"]]


# --- PDF ---


def pdf_text(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page (poppler's pdftotext), whitespace runs made one space."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing; install Debian's poppler-utils")
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return [re.sub(r"\s+", " ", page) for page in result.stdout.split("\f")[:-1]]


def test_pdf_has_the_cover_key_figures_tables_and_definitions(report, tmp_path):
    pages = pdf_text(exports.export_pdf(report), tmp_path)
    text = " ".join(pages)

    cover = pages[0]
    assert _("Expo results report") in cover
    assert "Pekalongan Hybrid Expo 2021" in cover
    assert "24–25 November 2021" in cover
    assert "Gedung HA Djunaid Convention Center, Kota Pekalongan" in cover
    assert "Dinas Perdagangan, Koperasi dan UKM Kota Pekalongan" in cover
    assert (
        _("Generated on %(date)s at %(time)s")
        % {
            "date": "Kamis, 25 November 2021",
            "time": "10.00 WIB",
        }
        in cover
    )

    key = pages[1]
    assert _("Key figures") in key
    for figure in ["Rp1.585.000", "Rp1.105.000", "Rp480.000", "Rp5.500.000", "Rp1.250.000"]:
        assert figure in key
    # Indonesian decimals: a comma.
    assert (
        _("%(share)s of retail, %(planned)s planned")
        % {
            "share": "69,7%",
            "planned": "70,0%",
        }
        in key
    )
    assert (
        _("of %(reports)s who reported; median growth %(median)s")
        % {
            "reports": "3",
            "median": "7,5%",
        }
        in key
    )
    assert _("Channel split against the plan (%)") in key

    for name in [
        "Batik Sekar Jagad",
        "Kopi Petungkriyono",
        "Batik Tasik Indah",
        "Amplang Banjarbaru",
        "Anyaman Pandan Ayu",
        "Kemeja Batik Tulis",
        "Promosi Produk UMKM",
    ]:
        assert name in text
    assert "Rp1.160.000" in text  # Batik & Fesyen
    assert "Rp1.260.000" in text  # Jawa Tengah
    assert "Tenun Belum Diterima" not in text  # not accepted
    # Per day: the expo's days and the 27th (a sale); not the empty 26th after the expo.
    assert "Rab, 24 Nov 2021 Rp500.000 Rp250.000 Rp750.000" in text
    assert "Sab, 27 Nov 2021 Rp25.000 Rp0 Rp25.000" in text
    assert "26 Nov 2021" not in text
    # by_day itself leaves out the empty days outside the expo: the PDF shows all of it.
    assert (
        _(
            "Days outside the expo's dates without a sale or a visitor are left out; the "
            "spreadsheet has every day."
        )
        not in text
    )
    assert _("What the figures mean") in pages[-1]
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):
        assert _("Page %(page)s of %(pages)s") % {"page": number, "pages": total} in page
    assert _("Page %(page)s of %(pages)s") % {"page": 1, "pages": total} not in pages[0]


def test_pdf_in_english_writes_decimals_with_a_point(world, tmp_path):
    with translation.override("en"):
        report = expo_report(expo=world["expo"], now=NOW)
        pages = pdf_text(exports.export_pdf(report), tmp_path)
    assert "69.7% of retail, 70.0% planned" in pages[1]
    assert "Generated on Thursday, 25 November 2021 at 10:00 WIB" in pages[0]


def test_pdf_long_exhibitor_table_repeats_its_header_on_every_page(report, tmp_path):
    many = copy.copy(report)
    row = report["by_exhibitor"][0]
    many["by_exhibitor"] = [{**row, "name": f"UMKM Nomor {i:03d}"} for i in range(150)]
    pages = pdf_text(exports.export_pdf(many), tmp_path)

    header = _("Bulk won (Rp)")  # a column of "Sales per exhibitor" only
    holding = [i for i, page in enumerate(pages) if "UMKM Nomor" in page and header in page]
    assert len(holding) >= 3
    assert holding == list(range(holding[0], holding[0] + len(holding)))
    assert "UMKM Nomor 149" in " ".join(pages)


# --- progress ---


@pytest.mark.parametrize("kind", ["xlsx", "csv", "pdf"])
def test_progress_moves_forward_to_100(report, kind):
    seen = []
    exports.build(kind, report, progress=seen.append)
    assert seen[-1] == 100
    assert seen == sorted(seen)
    assert len(seen) >= 5
    assert all(0 <= percent <= 100 for percent in seen)


def test_an_expo_with_nothing_yet_exports_empty_tables(tmp_path):
    from gelar.testing import make_expo

    report = expo_report(expo=make_expo(slug="kosong"), now=NOW)

    book = openpyxl.load_workbook(io.BytesIO(exports.export_xlsx(report)))
    assert values(book[_("Exhibitors")])[1:] == []
    assert book[_("Exhibitors")].auto_filter.ref == "A1:X2"
    assert values(book[_("Channels")])[1:] == [
        [_("Online"), 0, 0, 0, None, 70, None],
        [_("At the venue"), 0, 0, 0, None, 30, None],
    ]
    archive = zipfile.ZipFile(io.BytesIO(exports.export_csv_zip(report)))
    assert read_csv(archive, 1)[1] == [_("Online"), "0", "0", "0", "", "70", ""]
    text = " ".join(pdf_text(exports.export_pdf(report), tmp_path))
    assert _("Nothing to show.") in text
    assert "Rp0" in text
    assert _("Omzet per day (Rp)") not in text  # no chart of nothing
