"""The organizer's report (selectors.expo_report) as files: XLSX, a zip of CSVs, a PDF.

All three are made from the same tables (report_tables), so they cannot disagree.
A cell's kind is its Python type: `Rupiah` (whole Rupiah), `Percent` (a Decimal
percentage, 12.3 = 12.3 %), `Points` (a difference of percentages), `Hour` (0..23),
`date`, naive `datetime` (already in the expo's zone: Excel has no zones, so the zone
is named in the column's title), `int`, `str`. Each writer turns a kind into its own
format:

- XLSX: numbers stay numbers -- Rupiah with the format "Rp"#,##0, percentages as
  12.3 with 0.0"%", dates and times as real date cells; a sheet per table with a
  frozen header row, column widths and an autofilter. A name starting with "=" is
  stored as text, never as a formula; control characters (which XML forbids and
  openpyxl refuses) are dropped from every text.
- CSV: a zip with one file per table, comma-separated, UTF-8 with a byte-order mark
  (Excel then reads "Café" right), Rupiah as plain integers, percentages with a
  decimal point, dates ISO (2021-11-24, 2021-11-24 09:30). Names come from anyone who
  signs up, so a text cell a spreadsheet would run as a formula gets a leading
  apostrophe (OWASP's advice, as console.exports_orders does).
- PDF (ReportLab): a report to hand over -- cover, key figures, charts, the tables,
  the definitions of the figures; A4 with page numbers. Built-in Helvetica, as the
  tickets' PDFs: text outside WinAnsi is printed without accents (tickets.documents),
  a control character as a space.

Strings come from gettext: the background job activates the export's language.
`progress(percent)` is called as the work advances, 100 last.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import dateformat, formats
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from gelar.common.templatetags.gelar_format import (
    ZONE_ABBREVIATIONS,
    date_range,
    jam,
    rupiah,
    tanggal,
)
from gelar.common.text import formula_safe
from gelar.exhibitors.models import Participation
from gelar.reports.models import Outcome, ReportExport
from gelar.tickets.documents import _latin1 as _winansi

Progress = Callable[[int], None] | None

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    ReportExport.Kind.XLSX: XLSX_CONTENT_TYPE,
    ReportExport.Kind.CSV: "application/zip",
    ReportExport.Kind.PDF: "application/pdf",
}
EXTENSIONS = {
    ReportExport.Kind.XLSX: "xlsx",
    ReportExport.Kind.CSV: "zip",
    ReportExport.Kind.PDF: "pdf",
}


# --- cell kinds ---


class Rupiah(int):
    """Whole Rupiah."""


class Hour(int):
    """An hour of the day, 0..23, in the expo's zone."""


class Percent(Decimal):
    """A percentage: Percent("12.3") is 12.3 %."""


class Points(Decimal):
    """A difference of two percentages, in percentage points: Points("-0.3")."""


def _rupiah(value: int | None) -> Rupiah | None:
    return None if value is None else Rupiah(value)


def _percent(value: Decimal | int | None) -> Percent | None:
    return None if value is None else Percent(value)


# --- the tables ---


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int  # characters, in the spreadsheet


@dataclass
class Table:
    key: str  # stable, for file names: "summary", "channels", ...
    title: str  # the sheet's name, translated (at most 31 characters)
    columns: list[Column]
    rows: list[list] = field(default_factory=list)

    def only(self, keys: list[str]) -> "Table":
        """The same table with the columns of these keys, in that order (the PDF's)."""
        index = {column.key: i for i, column in enumerate(self.columns)}
        picked = [index[key] for key in keys]
        return replace(
            self,
            columns=[self.columns[i] for i in picked],
            rows=[[row[i] for i in picked] for row in self.rows],
        )


def zone_label(report: dict) -> str:
    """ "WIB" for Asia/Jakarta, else the zone's name."""
    name = report["time_zone"]
    return ZONE_ABBREVIATIONS.get(name, name)


def _local(value: datetime.datetime | None, report: dict) -> datetime.datetime | None:
    """An aware instant as a naive time in the expo's zone (seconds kept)."""
    if value is None:
        return None
    zone = report["expo"].tzinfo
    return value.astimezone(zone).replace(tzinfo=None, microsecond=0)


def _in_zone(title: str, report: dict) -> str:
    return f"{title} ({zone_label(report)})"


def _mode(code: str) -> str:
    try:
        return str(Participation.Mode(code).label)
    except ValueError:
        return code


def _choices(codes: list[str], choices) -> str:
    labels = []
    for code in codes:
        try:
            labels.append(str(choices(code).label))
        except ValueError:
            labels.append(code)
    return ", ".join(labels)


def _against_plan(share: Decimal | None, planned: int) -> Points | None:
    # Exact in Decimal, one decimal place like the share.
    return None if share is None else Points(share - planned)


def report_tables(report: dict) -> list[Table]:
    """Every table of the report, in the order of the sheets."""
    return [
        _summary(report),
        _channels(report),
        _categories(report),
        _regions(report),
        _exhibitors(report),
        _days(report),
        _hours(report),
        _top_products(report),
        _live(report),
        _bulk(report),
        _self_reported(report),
    ]


def _venue_line(expo) -> str:
    """ "Gedung Kesenian, Kota Pekalongan": the venue and its region, either may be blank."""
    venue_region = expo.venue_region.name if expo.venue_region_id else ""
    return ", ".join(filter(None, [expo.venue_name, venue_region]))


def _section(title: str, *figures: tuple) -> list[list]:
    """The summary's rows of one section: (figure, value) pairs under its title."""
    return [[title, figure, value] for figure, value in figures]


def _summary(report: dict) -> Table:
    expo = report["expo"]
    visitors = report["visitors"]
    retail = report["retail"]
    bulk = report["bulk"]
    own = report["self_reported"]
    exhibitors = report["exhibitors"]
    naik = report["naik_kelas"]
    channels = {row["code"]: row for row in report["channels"]}
    online, venue = channels["online"], channels["venue"]
    rows = [
        *_section(
            _("Expo"),
            (_("Expo"), expo.name),
            (_("Organizer"), expo.organizer.name),
            (_("Venue"), _venue_line(expo)),
            (_("First day"), expo.start_date),
            (_("Last day"), expo.end_date),
            (_("Time zone"), f"{report['time_zone']} ({zone_label(report)})"),
            (_in_zone(_("Generated at"), report), _local(report["generated_at"], report)),
        ),
        *_section(
            _("Visitors"),
            (_("Unique online visitors"), visitors["online_unique"]),
            (_("Online visitor-days"), visitors["online_visits"]),
            (_("Peak concurrent stream viewers"), visitors["peak_viewers"]),
            (_in_zone(_("Peak viewers at"), report), _local(visitors["peak_viewers_at"], report)),
            (_("Venue tickets issued"), visitors["venue_tickets"]),
            (_("Visitors admitted at the venue"), visitors["venue_admitted"]),
            (_("Inside the venue now"), visitors["venue_inside"]),
            (_("Capacity of the current slot"), visitors["venue_capacity_now"]),
            (_("Admitted today"), visitors["venue_admitted_today"]),
        ),
        *_section(
            _("Sales on the platform (retail)"),
            (_("Retail omzet (Rp)"), Rupiah(retail["omzet"])),
            (_("Retail orders"), retail["orders"]),
            (_("Retail items sold"), retail["items"]),
            (_("Online omzet (Rp)"), Rupiah(online["omzet"])),
            (_("Online share (%)"), _percent(online["share"])),
            (_("Online share planned (%)"), Percent(online["planned"])),
            (_("Venue omzet (Rp)"), Rupiah(venue["omzet"])),
            (_("Venue share (%)"), _percent(venue["share"])),
            (_("Venue share planned (%)"), Percent(venue["planned"])),
        ),
        *_section(
            _("Bulk inquiries (B2B)"),
            (_("Inquiries"), bulk["inquiries"]),
            (_("New"), bulk["new"]),
            (_("Answered"), bulk["answered"]),
            (_("Quoted"), bulk["quoted"]),
            (_("Won"), bulk["won"]),
            (_("Lost"), bulk["lost"]),
            (_("Quoted value (Rp)"), Rupiah(bulk["quoted_value"])),
            (_("Won value (Rp)"), Rupiah(bulk["won_value"])),
        ),
        *_section(
            _("Self-reported by exhibitors"),
            (_("Exhibitors who reported"), own["reports"]),
            (_("Sales by WhatsApp (Rp)"), Rupiah(own["whatsapp"])),
            (_("Sales on marketplaces (Rp)"), Rupiah(own["marketplace"])),
            (_("Other sales after the expo (Rp)"), Rupiah(own["after"])),
            (_("Self-reported sales (Rp)"), Rupiah(own["total"])),
        ),
        *_section(
            _("Exhibitors"),
            (_("Exhibitors"), exhibitors["total"]),
            (_("At the venue"), exhibitors["venue"]),
            (_("Online only"), exhibitors["online"]),
            (_("Provinces"), exhibitors["provinces"]),
            (_("Products on sale"), exhibitors["products"]),
        ),
        *_section(
            _("Naik kelas"),
            (_("Exhibitors who reported"), naik["reports"]),
            (_("Grew against their usual month"), naik["grew"]),
            (_("Median turnover growth (%)"), _percent(naik["growth_median"])),
            (_("Opened a new sales channel"), naik["new_channels"]),
            (_("Obtained a new licence"), naik["licences_new"]),
            (_("Took part in an earlier expo"), naik["returning"]),
            (_("Sold more than at their previous expo"), naik["grew_vs_previous"]),
        ),
    ]
    return Table(
        "summary",
        _("Summary"),
        [
            Column("section", _("Section"), 30),
            Column("figure", _("Figure"), 42),
            Column("value", _("Value"), 24),
        ],
        rows,
    )


def _channels(report: dict) -> Table:
    rows = [
        [
            str(row["label"]),
            row["orders"],
            row["items"],
            Rupiah(row["omzet"]),
            _percent(row["share"]),
            Percent(row["planned"]),
            _against_plan(row["share"], row["planned"]),
        ]
        for row in report["channels"]
    ]
    return Table(
        "channels",
        _("Channels"),
        [
            Column("channel", _("Channel"), 24),
            Column("orders", _("Orders"), 10),
            Column("items", _("Items"), 10),
            Column("omzet", _("Omzet (Rp)"), 18),
            Column("share", _("Share (%)"), 12),
            Column("planned", _("Planned (%)"), 12),
            Column("against_plan", _("Against plan (points)"), 16),
        ],
        rows,
    )


def _split_columns(width: int) -> list[Column]:
    """Online, venue and their sum, in Rupiah."""
    return [
        Column("online", _("Online (Rp)"), width),
        Column("venue", _("Venue (Rp)"), width),
        Column("omzet", _("Omzet (Rp)"), width),
    ]


def _split_cells(row: dict) -> list:
    return [Rupiah(row["online"]), Rupiah(row["venue"]), Rupiah(row["omzet"])]


def _turnover_columns() -> list[Column]:
    """The exhibitor's own turnover before and since the expo, and its growth."""
    return [
        Column("turnover_before", _("Usual monthly turnover (Rp)"), 18),
        Column("turnover_after", _("Monthly turnover since (Rp)"), 18),
        Column("growth", _("Turnover growth (%)"), 12),
    ]


def _turnover_cells(row: dict) -> list:
    return [
        _rupiah(row["turnover_before"]),
        _rupiah(row["turnover_after"]),
        _percent(row["growth"]),
    ]


def _group_table(key: str, title: str, name: str, rows: list[dict]) -> Table:
    """Sales by a group of exhibitors (a category, a province)."""
    return Table(
        key,
        title,
        [
            Column("name", name, 28),
            Column("exhibitors", _("Exhibitors"), 12),
            *_split_columns(18),
            Column("orders", _("Orders"), 10),
            Column("share", _("Share (%)"), 12),
        ],
        [
            [
                row["name"],
                row["exhibitors"],
                *_split_cells(row),
                row["orders"],
                _percent(row["share"]),
            ]
            for row in rows
        ],
    )


def _categories(report: dict) -> Table:
    return _group_table("categories", _("Categories"), _("Category"), report["by_category"])


def _regions(report: dict) -> Table:
    return _group_table("regions", _("Regions"), _("Province"), report["by_region"])


def _exhibitors(report: dict) -> Table:
    rows = []
    for row in report["by_exhibitor"]:
        previous = row["previous_expo"]
        rows.append(
            [
                row["name"],
                row["category"],
                row["province"],
                row["regency"],
                _mode(row["mode"]),
                row["booth"],
                *_split_cells(row),
                row["orders"],
                row["items"],
                row["booth_visits"],
                row["inquiries"],
                Rupiah(row["bulk_won"]),
                _rupiah(row["self_reported"]),
                *_turnover_cells(row),
                _percent(row["expo_vs_month"]),
                previous.name if previous is not None else "",
                _rupiah(row["previous_omzet"]),
                _percent(row["vs_previous"]),
                _choices(row["new_channels"], Outcome.Channel),
                _choices(row["licences_new"], Outcome.Licence),
            ]
        )
    return Table(
        "exhibitors",
        _("Exhibitors"),
        [
            Column("name", _("Exhibitor"), 30),
            Column("category", _("Category"), 20),
            Column("province", _("Province"), 20),
            Column("regency", _("Regency or city"), 22),
            Column("mode", _("Mode"), 14),
            Column("booth", _("Booth"), 8),
            *_split_columns(16),
            Column("orders", _("Orders"), 9),
            Column("items", _("Items"), 9),
            Column("booth_visits", _("Booth visits"), 11),
            Column("inquiries", _("Bulk inquiries"), 11),
            Column("bulk_won", _("Bulk won (Rp)"), 16),
            Column("self_reported", _("Self-reported (Rp)"), 16),
            *_turnover_columns(),
            Column("expo_vs_month", _("Expo against a usual month (%)"), 14),
            Column("previous_expo", _("Previous expo"), 28),
            Column("previous_omzet", _("At the previous expo (Rp)"), 18),
            Column("vs_previous", _("Against the previous expo (%)"), 14),
            Column("new_channels", _("New sales channels"), 28),
            Column("licences_new", _("New licences"), 20),
        ],
        rows,
    )


def _days(report: dict, days: list[dict] | None = None) -> Table:
    return Table(
        "days",
        _("Daily"),
        [
            Column("day", _("Day"), 12),
            *_split_columns(18),
            Column("orders", _("Orders"), 10),
            Column("visitors", _("Online visitors"), 14),
            Column("admitted", _("Admitted at the venue"), 14),
        ],
        [
            [
                row["day"],
                *_split_cells(row),
                row["orders"],
                row["visitors"],
                row["admitted"],
            ]
            for row in (report["by_day"] if days is None else days)
        ],
    )


def _hours(report: dict) -> Table:
    return Table(
        "hours",
        _("Hourly"),
        [
            Column("hour", _in_zone(_("Hour"), report), 12),
            *_split_columns(18),
            Column("orders", _("Orders"), 10),
        ],
        [[Hour(row["hour"]), *_split_cells(row), row["orders"]] for row in report["by_hour"]],
    )


def _top_products(report: dict) -> Table:
    return Table(
        "top_products",
        _("Top products"),
        [
            Column("rank", _("Rank"), 7),
            Column("product", _("Product"), 34),
            Column("exhibitor", _("Exhibitor"), 28),
            Column("quantity", _("Quantity"), 10),
            *_split_columns(16),
        ],
        [
            [rank, row["name"], row["exhibitor"], row["quantity"], *_split_cells(row)]
            for rank, row in enumerate(report["top_products"], start=1)
        ],
    )


def _live(report: dict) -> Table:
    return Table(
        "live",
        _("Live"),
        [
            Column("title", _("Session"), 34),
            Column("starts_at", _in_zone(_("Starts"), report), 17),
            Column("peak_viewers", _("Peak viewers"), 11),
            Column("average_viewers", _("Average viewers"), 11),
            Column("pins", _("Pins"), 7),
            Column("clicks", _("Clicks"), 8),
            Column("add_to_carts", _("Added to cart"), 11),
            Column("orders", _("Paid orders"), 10),
            Column("omzet", _("Omzet (Rp)"), 16),
            Column("products", _("Products pinned"), 40),
        ],
        [
            [
                row["title"],
                _local(row["starts_at"], report),
                row["peak_viewers"],
                row["average_viewers"],
                len(row["pins"]),
                row["clicks"],
                row["add_to_carts"],
                row["orders"],
                Rupiah(row["omzet"]),
                ", ".join(pin["product"].name for pin in row["pins"]),
            ]
            for row in report["live"]
        ],
    )


def _bulk(report: dict) -> Table:
    bulk = report["bulk"]
    return Table(
        "bulk",
        _("B2B"),
        [
            Column("status", _("Status"), 18),
            Column("inquiries", _("Inquiries"), 11),
            Column("value", _("Value (Rp)"), 18),
        ],
        [
            [_("New"), bulk["new"], None],
            [_("Answered"), bulk["answered"], None],
            [_("Quoted"), bulk["quoted"], Rupiah(bulk["quoted_value"])],
            [_("Won"), bulk["won"], Rupiah(bulk["won_value"])],
            [_("Lost"), bulk["lost"], None],
        ],
    )


def _self_reported(report: dict) -> Table:
    rows = [
        [
            row["name"],
            row["category"],
            Rupiah(row["omzet"]),
            Rupiah(row["self_reported"]),
            Rupiah(row["omzet"] + row["self_reported"]),
            *_turnover_cells(row),
        ]
        for row in report["by_exhibitor"]
        if row["self_reported"] is not None
    ]
    return Table(
        "self_reported",
        _("Self-reported"),
        [
            Column("name", _("Exhibitor"), 30),
            Column("category", _("Category"), 20),
            Column("platform", _("On the platform (Rp)"), 18),
            Column("self_reported", _("Self-reported (Rp)"), 18),
            Column("together", _("Together (Rp)"), 18),
            *_turnover_columns(),
        ],
        rows,
    )


def _tell(progress: Progress, percent: int) -> None:
    if progress is not None:
        progress(max(0, min(100, percent)))


# --- XLSX ---

RUPIAH_FORMAT = '"Rp"#,##0'
PERCENT_FORMAT = '0.0"%"'
POINTS_FORMAT = "+0.0;-0.0;0.0"
INTEGER_FORMAT = "#,##0"
HOUR_FORMAT = '00":00"'
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _xlsx_text(text: str) -> str:
    """Text openpyxl accepts: without the control characters XML 1.0 forbids (a vertical
    tab pasted into a name would otherwise fail the whole export)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _xlsx_value(value):
    """(the cell's value, its number format or None)."""
    if isinstance(value, str):
        return _xlsx_text(value), None
    if isinstance(value, Rupiah):
        return int(value), RUPIAH_FORMAT
    if isinstance(value, Hour):
        return int(value), HOUR_FORMAT
    if isinstance(value, Percent):
        return Decimal(value), PERCENT_FORMAT
    if isinstance(value, Points):
        return Decimal(value), POINTS_FORMAT
    if isinstance(value, datetime.datetime):
        return value, DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return value, DATE_FORMAT
    if isinstance(value, bool):
        return str(value), None
    if isinstance(value, int):
        return value, INTEGER_FORMAT
    return value, None


def _sheet_title(title: str) -> str:
    # Excel's rules: at most 31 characters, none of []:*?/\.
    title = _xlsx_text(title)
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31]


def export_xlsx(report: dict, *, progress: Progress = None) -> bytes:
    tables = report_tables(report)
    _tell(progress, 5)
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E8E8E8")
    for index, table in enumerate(tables, start=1):
        sheet = book.create_sheet(_sheet_title(table.title))
        sheet.append([_xlsx_text(column.title) for column in table.columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row_number, row in enumerate(table.rows, start=2):
            for column_number, value in enumerate(row, start=1):
                value, number_format = _xlsx_value(value)
                cell = sheet.cell(row=row_number, column=column_number, value=value)
                if cell.data_type == "f":
                    # openpyxl takes "=..." for a formula: a name typed so stays text.
                    cell.data_type = "s"
                if number_format:
                    cell.number_format = number_format
        for column_number, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(column_number)].width = column.width
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{max(1, len(table.rows)) + 1}"
        _tell(progress, 5 + 85 * index // len(tables))
    out = io.BytesIO()
    book.save(out)
    _tell(progress, 100)
    return out.getvalue()


# --- CSV ---


def _csv_value(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, Hour):
        return f"{int(value):02d}:00"
    if isinstance(value, Percent | Points):
        return str(Decimal(value))
    if isinstance(value, int):  # Rupiah too
        return int(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return formula_safe(str(value))


def csv_name(index: int, table: Table) -> str:
    """ "01-ringkasan.csv": the order of the sheets, then the table's title."""
    return f"{index:02d}-{slugify(table.title) or table.key}.csv"


def export_csv_zip(report: dict, *, progress: Progress = None) -> bytes:
    tables = report_tables(report)
    _tell(progress, 5)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, table in enumerate(tables, start=1):
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow([column.title for column in table.columns])
            for row in table.rows:
                writer.writerow([_csv_value(value) for value in row])
            archive.writestr(csv_name(index, table), text.getvalue().encode("utf-8-sig"))
            _tell(progress, 5 + 90 * index // len(tables))
    _tell(progress, 100)
    return out.getvalue()


# --- PDF ---


def _pdf_text(value) -> str:
    """A cell as the PDF shows it, in the active language's number format."""
    if value is None:
        return "–"
    if isinstance(value, Rupiah):
        return rupiah(int(value))
    if isinstance(value, Hour):
        return f"{int(value):02d}.00"
    if isinstance(value, Percent):
        return f"{formats.number_format(Decimal(value), 1)}%"
    if isinstance(value, Points):
        sign = "+" if value > 0 else ""
        return f"{sign}{formats.number_format(Decimal(value), 1)}"
    if isinstance(value, int):
        return formats.number_format(value, 0, force_grouping=True)
    if isinstance(value, datetime.datetime):
        return dateformat.format(value, "j M Y, H.i")
    if isinstance(value, datetime.date):
        return dateformat.format(value, "D, j M Y")
    return _latin1(str(value))


def _latin1(text: str) -> str:
    """Text for Helvetica (tickets.documents), a control character (a tab or a vertical
    tab pasted into a name) printed as a space rather than as a missing glyph."""
    return ILLEGAL_CHARACTERS_RE.sub(" ", _winansi(text))


def _is_number(value) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
ONLINE_COLOUR = colors.HexColor("#1f6f8b")
VENUE_COLOUR = colors.HexColor("#e0a526")
PLANNED_COLOUR = colors.HexColor("#b9b9b9")
RULE_COLOUR = colors.HexColor("#c8c8c8")
HEADER_COLOUR = colors.HexColor("#ececec")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=9.5, leading=12.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9),
        "head": ParagraphStyle(
            "head", parent=base, fontName="Helvetica-Bold", fontSize=7.5, leading=9
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName="Helvetica-Bold",
            fontSize=16,
            leading=20,
            spaceBefore=4,
            spaceAfter=8,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName="Helvetica-Bold",
            fontSize=12,
            leading=15,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "cover_kicker": ParagraphStyle(
            "cover_kicker",
            parent=base,
            fontSize=13,
            leading=17,
            textColor=colors.HexColor("#555555"),
        ),
        "cover_title": ParagraphStyle(
            "cover_title",
            parent=base,
            fontName="Helvetica-Bold",
            fontSize=26,
            leading=31,
            spaceAfter=14,
        ),
        "cover_line": ParagraphStyle("cover_line", parent=base, fontSize=12, leading=17),
        "figure_label": ParagraphStyle(
            "figure_label",
            parent=base,
            fontSize=8,
            leading=10,
            textColor=colors.HexColor("#555555"),
        ),
        "figure_value": ParagraphStyle(
            "figure_value", parent=base, fontName="Helvetica-Bold", fontSize=13, leading=16
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(_latin1(text)), style)


def _pdf_table(table: Table, styles: dict, *, empty: str) -> list:
    """The table as a ReportLab table (header repeated on every page), or a line saying
    there is nothing to show. Number columns get the width of their widest figure, and
    never wrap (a figure stays whole for whoever copies it); text columns share the rest."""
    if not table.rows:
        return [_p(empty, styles["small"])]
    size = 7.5
    numeric = [
        any(_is_number(row[i]) or isinstance(row[i], datetime.date) for row in table.rows)
        for i in range(len(table.columns))
    ]
    while True:
        widths: list[float | None] = []
        for i, column in enumerate(table.columns):
            if not numeric[i]:
                widths.append(None)
                continue
            texts = [_pdf_text(row[i]) for row in table.rows]
            longest_word = max(
                stringWidth(word, "Helvetica-Bold", size) for word in column.title.split()
            )
            widest = max(stringWidth(text, "Helvetica", size) for text in texts)
            widths.append(max(widest, longest_word) + 8)
        fixed = sum(w for w in widths if w is not None)
        text_columns = [i for i, w in enumerate(widths) if w is None]
        room = CONTENT_WIDTH - fixed
        if room >= 22 * mm * len(text_columns) or size <= 6:
            break
        size -= 0.5
    weights = sum(table.columns[i].width for i in text_columns) or 1
    for i in text_columns:
        widths[i] = max(room, 0) * table.columns[i].width / weights
    cell = ParagraphStyle("cell_sized", parent=styles["cell"], fontSize=size, leading=size + 1.5)
    head = ParagraphStyle("head_sized", parent=styles["head"], fontSize=size, leading=size + 1.5)
    data = [[_p(column.title, head) for column in table.columns]]
    for row in table.rows:
        data.append(
            [
                _pdf_text(value) if numeric[i] else Paragraph(escape(_pdf_text(value)), cell)
                for i, value in enumerate(row)
            ]
        )
    pdf_table = PdfTable(data, colWidths=widths, repeatRows=1)
    commands = [
        ("FONT", (0, 1), (-1, -1), "Helvetica", size),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_COLOUR),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE_COLOUR),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for i, is_number in enumerate(numeric):
        if is_number:
            commands.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    pdf_table.setStyle(TableStyle(commands))
    return [pdf_table]


def _axis_rupiah(value: float) -> str:
    return rupiah(int(value))


def _legend(x: float, y: float, items: list[tuple]) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.boxAnchor = "ne"
    legend.fontName, legend.fontSize = "Helvetica", 7.5
    legend.dx = legend.dy = 7
    legend.deltax = 90
    legend.colorNamePairs = [(colour, _latin1(name)) for colour, name in items]
    return legend


def _chart_title(drawing: Drawing, text: str) -> None:
    drawing.add(
        String(0, drawing.height - 11, _latin1(text), fontName="Helvetica-Bold", fontSize=10)
    )


def _channel_legend(report: dict) -> list[tuple]:
    labels = {row["code"]: str(row["label"]) for row in report["channels"]}
    return [(ONLINE_COLOUR, labels["online"]), (VENUE_COLOUR, labels["venue"])]


def _font(labels, size: float) -> None:
    labels.fontName = "Helvetica"
    labels.fontSize = size


def _add_chart(drawing: Drawing, chart, bars: tuple, legend: list[tuple]) -> Drawing:
    """The chart with its bars in these colours, and the legend at the top right."""
    for index, colour in enumerate(bars):
        chart.bars[index].fillColor = colour
    chart.bars.strokeColor = None
    drawing.add(chart)
    drawing.add(_legend(CONTENT_WIDTH, drawing.height - 8, legend))
    return drawing


def _add_split_chart(
    drawing: Drawing, chart, report: dict, rows: list[dict], *, names: list[str], sizes: tuple
) -> Drawing:
    """Online and venue omzet of each row stacked in a bar; sizes: of the names, the
    values."""
    chart.data = [[row["online"] for row in rows], [row["venue"] for row in rows]]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.style = "stacked"
    _font(chart.categoryAxis.labels, sizes[0])
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = _axis_rupiah
    _font(chart.valueAxis.labels, sizes[1])
    return _add_chart(drawing, chart, (ONLINE_COLOUR, VENUE_COLOUR), _channel_legend(report))


def _pdf_days(report: dict) -> list[dict]:
    """The days the PDF shows: the expo's own, and any other with a sale, a visitor or an
    admission. A closed expo stays open as a virtual mall, so a late order would otherwise
    stretch the table over months of empty days; the spreadsheet keeps every day."""
    expo = report["expo"]
    return [
        row
        for row in report["by_day"]
        if expo.start_date <= row["day"] <= expo.end_date
        or row["omzet"]
        or row["orders"]
        or row["visitors"]
        or row["admitted"]
    ]


def _days_chart(report: dict) -> Drawing | None:
    days = _pdf_days(report)
    if not days or not any(row["omzet"] for row in days):
        return None
    drawing = Drawing(CONTENT_WIDTH, 215)
    _chart_title(drawing, _("Omzet per day (Rp)"))
    chart = VerticalBarChart()
    chart.x, chart.y = 72, 45
    chart.width, chart.height = CONTENT_WIDTH - 82, 130
    if len(days) > 10:
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
    # The year only when the days span more than one (a late order at a closed expo).
    label = "j M" if len({row["day"].year for row in days}) == 1 else "j M Y"
    names = [dateformat.format(row["day"], label) for row in days]
    return _add_split_chart(drawing, chart, report, days, names=names, sizes=(7, 7))


def _channels_chart(report: dict) -> Drawing:
    channels = list(reversed(report["channels"]))  # drawn bottom up: online on top
    drawing = Drawing(CONTENT_WIDTH, 150)
    _chart_title(drawing, _("Channel split against the plan (%)"))
    chart = HorizontalBarChart()
    chart.x, chart.y = 80, 25
    chart.width, chart.height = CONTENT_WIDTH - 100, 95
    # Drawn bottom up: the plan first so that the actual share sits on top of each pair.
    chart.data = [
        [float(row["planned"]) for row in channels],
        [float(row["share"] or 0) for row in channels],
    ]
    chart.categoryAxis.categoryNames = [_latin1(str(row["label"])) for row in channels]
    _font(chart.categoryAxis.labels, 8)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labelTextFormat = "%d%%"
    _font(chart.valueAxis.labels, 7)
    chart.barLabelFormat = lambda value: f"{formats.number_format(Decimal(str(value)), 1)}%"
    _font(chart.barLabels, 7)
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    legend = [(ONLINE_COLOUR, _("Actual")), (PLANNED_COLOUR, _("Planned"))]
    return _add_chart(drawing, chart, (PLANNED_COLOUR, ONLINE_COLOUR), legend)


def _ranking_chart(report: dict, rows: list[dict], title: str) -> Drawing | None:
    """Omzet of the first ten rows (the selectors sort them by omzet), largest on top."""
    rows = [row for row in rows if row["omzet"]][:10]
    if not rows:
        return None
    bar = 16
    drawing = Drawing(CONTENT_WIDTH, 45 + bar * len(rows))
    _chart_title(drawing, title)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 20
    chart.width, chart.height = CONTENT_WIDTH - 160, bar * len(rows)
    rows = list(reversed(rows))
    names = [_latin1(row["name"])[:34] for row in rows]
    return _add_split_chart(drawing, chart, report, rows, names=names, sizes=(7.5, 6.5))


def key_figures(report: dict) -> list[tuple[str, str, str]]:
    """(label, value, note) of the PDF's key figures page, formatted."""
    visitors = report["visitors"]
    retail = report["retail"]
    channels = {row["code"]: row for row in report["channels"]}
    bulk = report["bulk"]
    own = report["self_reported"]
    exhibitors = report["exhibitors"]
    naik = report["naik_kelas"]

    def share(row: dict) -> str:
        return _("%(share)s of retail, %(planned)s planned") % {
            "share": _pdf_text(_percent(row["share"])),
            "planned": _pdf_text(Percent(row["planned"])),
        }

    return [
        (
            _("Retail omzet"),
            rupiah(retail["omzet"]),
            _("%(orders)s orders, %(items)s items")
            % {"orders": _pdf_text(retail["orders"]), "items": _pdf_text(retail["items"])},
        ),
        (_("Online omzet"), rupiah(channels["online"]["omzet"]), share(channels["online"])),
        (_("Venue omzet"), rupiah(channels["venue"]["omzet"]), share(channels["venue"])),
        (
            _("Bulk deals won (B2B)"),
            rupiah(bulk["won_value"]),
            _("%(won)s won of %(inquiries)s inquiries; not in retail omzet")
            % {"won": _pdf_text(bulk["won"]), "inquiries": _pdf_text(bulk["inquiries"])},
        ),
        (
            _("Self-reported sales"),
            rupiah(own["total"]),
            _("by %(reports)s exhibitors; not recorded by the platform")
            % {"reports": _pdf_text(own["reports"])},
        ),
        (
            _("Unique online visitors"),
            _pdf_text(visitors["online_unique"]),
            _("peak %(peak)s concurrent stream viewers")
            % {"peak": _pdf_text(visitors["peak_viewers"])},
        ),
        (
            _("Visitors admitted at the venue"),
            _pdf_text(visitors["venue_admitted"]),
            _("of %(tickets)s tickets issued") % {"tickets": _pdf_text(visitors["venue_tickets"])},
        ),
        (
            _("Exhibitors"),
            _pdf_text(exhibitors["total"]),
            _("%(venue)s at the venue, %(online)s online, from %(provinces)s provinces")
            % {
                "venue": _pdf_text(exhibitors["venue"]),
                "online": _pdf_text(exhibitors["online"]),
                "provinces": _pdf_text(exhibitors["provinces"]),
            },
        ),
        (
            _("Exhibitors who grew"),
            _pdf_text(naik["grew"]),
            _("of %(reports)s who reported; median growth %(median)s")
            % {
                "reports": _pdf_text(naik["reports"]),
                "median": _pdf_text(_percent(naik["growth_median"])),
            },
        ),
    ]


def _key_figures_table(report: dict, styles: dict) -> PdfTable:
    cells = []
    for label, value, note in key_figures(report):
        cells.append(
            [
                _p(label, styles["figure_label"]),
                _p(value, styles["figure_value"]),
                _p(note, styles["figure_label"]),
            ]
        )
    table = PdfTable(
        cells, colWidths=[0.3 * CONTENT_WIDTH, 0.27 * CONTENT_WIDTH, 0.43 * CONTENT_WIDTH]
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE_COLOUR),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def definitions(*, zone: str) -> list[tuple[str, str]]:
    """(term, what it means) at the end of the PDF; zone: "Asia/Jakarta, WIB"."""
    return [
        (
            _("Recorded by the platform"),
            _(
                "Online: orders paid through Gelar and not cancelled; omzet is the value of "
                "the goods, without shipping and without the unique code of a bank transfer; "
                "a sale counts on the day and hour it was paid. Venue: every sale at the "
                "booths' till (POS). Partial refunds of an order that stands are not taken off."
            ),
        ),
        (
            _("Retail and bulk"),
            _(
                "Retail is online plus venue. Bulk (B2B) are the inquiries buyers sent to "
                "exhibitors; the value of the deals won is counted apart and never added to "
                "the retail omzet."
            ),
        ),
        (
            _("Self-reported"),
            _(
                "What exhibitors reported themselves after the expo: sales closed by WhatsApp, "
                "on marketplaces and after the expo, and their usual monthly turnover. The "
                "platform cannot check these figures: they are shown beside the recorded "
                "ones and never added to them."
            ),
        ),
        (
            _("Naik kelas"),
            _(
                "Turnover growth compares the monthly turnover since the expo with the usual "
                "month before it. The expo against a usual month sets the recorded and "
                "self-reported sales of the expo against that usual month. Against the "
                "previous expo compares those totals with the exhibitor's previous expo in "
                "Gelar. New channels and licences are those the exhibitor reported; a licence "
                "counts as new when it was not in their report of the previous expo."
            ),
        ),
        (
            _("Visitors"),
            _(
                "Online visitors are counted once a day per browser; the peak of stream "
                "viewers is the highest number watching at once. At the venue, a ticket "
                "counts as admitted from its first scan at the gate."
            ),
        ),
        (
            _("Shares, growth, times"),
            _(
                "Percentages are rounded half up to one decimal place; a dash means there is "
                "nothing to compare with. Days and hours are in the expo's time zone "
                "(%(zone)s)."
            )
            % {"zone": zone},
        ),
    ]


class _Document(BaseDocTemplate):
    """A4 with a footer (expo, page n of m) on every page but the cover; `on_page` is
    told each page as it is laid out (the export's progress)."""

    def __init__(self, buffer, *, on_page: Callable[[int], None], **kwargs):
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 6 * mm,
            **kwargs,
        )
        frame = Frame(
            MARGIN,
            MARGIN + 6 * mm,
            CONTENT_WIDTH,
            PAGE_HEIGHT - 2 * MARGIN - 6 * mm,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._on_page = on_page

    def afterPage(self):
        self._on_page(self.page)


def _numbered_canvas(footer: str):
    """A canvas class that writes "page n of m" once it knows m (ReportLab's recipe:
    keep every page's state, draw the footers at save)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._page_states = []

        def showPage(self):
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                if self._pageNumber > 1:
                    self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.saveState()
            self.setFont("Helvetica", 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(MARGIN, MARGIN, footer)
            self.drawRightString(
                PAGE_WIDTH - MARGIN,
                MARGIN,
                _latin1(
                    _("Page %(page)s of %(pages)s") % {"page": self._pageNumber, "pages": total}
                ),
            )
            self.restoreState()

    return NumberedCanvas


def export_pdf(report: dict, *, progress: Progress = None) -> bytes:
    styles = _styles()
    tables = {table.key: table for table in report_tables(report)}
    _tell(progress, 5)
    cover = cover_lines(report)
    story: list = [
        Spacer(1, 55 * mm),
        _p(cover["title"], styles["cover_kicker"]),
        Spacer(1, 4 * mm),
        _p(cover["expo"], styles["cover_title"]),
        _p(cover["dates"], styles["cover_line"]),
        _p(cover["venue"], styles["cover_line"]),
        Spacer(1, 12 * mm),
        _p(cover["organizer"], styles["cover_line"]),
        Spacer(1, 40 * mm),
        _p(cover["generated"], styles["small"]),
        _p(
            _("Figures recorded by Gelar and, kept apart, figures reported by the exhibitors."),
            styles["small"],
        ),
        PageBreak(),
        _p(_("Key figures"), styles["h1"]),
        _key_figures_table(report, styles),
        Spacer(1, 6 * mm),
        _channels_chart(report),
    ]
    _tell(progress, 10)
    charts = [
        _days_chart(report),
        _ranking_chart(report, report["by_category"], _("Omzet per category (Rp)")),
        _ranking_chart(report, report["by_region"], _("Omzet per province of origin (Rp)")),
    ]
    for chart in charts:
        if chart is not None:
            story += [Spacer(1, 6 * mm), KeepTogether([chart])]
    _tell(progress, 20)
    exhibitors = tables["exhibitors"]
    sections = [
        (_("Channels"), tables["channels"]),
        (_("Categories"), tables["categories"]),
        (_("Provinces of origin"), tables["regions"]),
        (
            _("Sales per exhibitor"),
            exhibitors.only(
                [
                    "name",
                    "category",
                    "province",
                    "mode",
                    "online",
                    "venue",
                    "omzet",
                    "orders",
                    "booth_visits",
                    "inquiries",
                    "bulk_won",
                ]
            ),
        ),
        (
            _("Naik kelas per exhibitor"),
            exhibitors.only(
                [
                    "name",
                    "self_reported",
                    "turnover_before",
                    "turnover_after",
                    "growth",
                    "expo_vs_month",
                    "previous_omzet",
                    "vs_previous",
                    "new_channels",
                    "licences_new",
                ]
            ),
        ),
        (_("Per day"), _days(report, _pdf_days(report))),
        (_("Per hour"), tables["hours"]),
        (_("Top products"), tables["top_products"]),
        (_("Live sessions"), tables["live"]),
        (_("Bulk inquiries (B2B)"), tables["bulk"]),
        (_("Self-reported by exhibitors"), tables["self_reported"]),
    ]
    for title, table in sections:
        story.append(_p(title, styles["h2"]))
        story += _pdf_table(table, styles, empty=_("Nothing to show."))
        if table.key == "days" and len(table.rows) < len(report["by_day"]):
            story.append(
                _p(
                    _(
                        "Days outside the expo's dates without a sale or a visitor are left "
                        "out; the spreadsheet has every day."
                    ),
                    styles["small"],
                )
            )
    story.append(PageBreak())
    story.append(_p(_("What the figures mean"), styles["h1"]))
    for term, meaning in definitions(zone=f"{report['time_zone']}, {zone_label(report)}"):
        story.append(_p(term, styles["h2"]))
        story.append(_p(meaning, styles["body"]))
    _tell(progress, 30)

    # Laying out pages is most of the time: estimate the pages to move the bar along.
    rows = sum(len(table.rows) for _title, table in sections)
    expected_pages = 4 + rows / 30

    def on_page(page: int) -> None:
        _tell(progress, 30 + int(65 * min(1, page / expected_pages)))

    expo = report["expo"]
    buffer = io.BytesIO()
    document = _Document(
        buffer,
        on_page=on_page,
        title=_latin1(f"{cover['title']}: {expo.name}"),
        author=_latin1(expo.organizer.name),
        creator="Gelar",
    )
    footer = _latin1(f"{expo.name} · {cover['title']}")
    document.build(story, canvasmaker=_numbered_canvas(footer))
    _tell(progress, 100)
    return buffer.getvalue()


def cover_lines(report: dict) -> dict:
    """What the PDF's cover says (also a test's reference)."""
    expo = report["expo"]
    zone = report["time_zone"]
    generated = report["generated_at"]
    return {
        "title": _("Expo results report"),
        "expo": expo.name,
        "dates": date_range(expo.start_date, expo.end_date),
        "venue": _venue_line(expo),
        "organizer": expo.organizer.name,
        "generated": _("Generated on %(date)s at %(time)s")
        % {"date": tanggal(generated, zone), "time": jam(generated, zone)},
    }


def build(kind: str, report: dict, *, progress: Progress = None) -> bytes:
    """The file of this kind (ReportExport.Kind)."""
    builders = {
        ReportExport.Kind.XLSX: export_xlsx,
        ReportExport.Kind.CSV: export_csv_zip,
        ReportExport.Kind.PDF: export_pdf,
    }
    return builders[kind](report, progress=progress)
