"""The exhibitors of an expo as a spreadsheet: CSV (for anything) and XLSX (for Excel).

One row per participation. Dates are real dates in the expo's time zone
(Excel has no time zones, so the XLSX gets naive local times), so a
spreadsheet sorts and filters them as dates.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from gelar.common.text import formula_safe
from gelar.events.models import Expo
from gelar.exhibitors.models import ExhibitorMember, Participation

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    title: str
    width: int


def columns() -> list[Column]:
    return [
        Column(_("Business name"), 32),
        Column(_("Owner"), 24),
        Column(_("NIB"), 16),
        Column(_("Category"), 20),
        Column(_("Province"), 20),
        Column(_("Regency or city"), 24),
        Column(_("Mode"), 14),
        Column(_("Status"), 18),
        Column(_("Booth"), 10),
        Column(_("WhatsApp"), 16),
        Column(_("Owner's email"), 30),
        Column(_("Products"), 10),
        Column(_("Applied"), 18),
        Column(_("Decided"), 18),
    ]


def export_participations(*, expo: Expo, status: str = "") -> QuerySet[Participation]:
    participations = (
        Participation.objects.filter(expo=expo)
        .select_related("exhibitor__category", "exhibitor__region__province", "booth")
        .annotate(products_count=Count("exhibitor__products", distinct=True))
        .prefetch_related(
            Prefetch(
                "exhibitor__members",
                queryset=ExhibitorMember.objects.filter(role=ExhibitorMember.Role.OWNER)
                .select_related("user")
                .order_by("pk"),
                to_attr="owners",
            )
        )
        .order_by("exhibitor__name", "pk")
    )
    if status:
        participations = participations.filter(status=status)
    return participations


def _local(value: datetime.datetime | None, expo: Expo) -> datetime.datetime | None:
    if value is None:
        return None
    return value.astimezone(expo.tzinfo).replace(tzinfo=None, microsecond=0)


def rows(*, expo: Expo, status: str = "") -> list[list]:
    result = []
    for p in export_participations(expo=expo, status=status):
        exhibitor = p.exhibitor
        owner = exhibitor.owners[0].user if exhibitor.owners else None
        result.append(
            [
                exhibitor.name,
                exhibitor.owner_name,
                exhibitor.nib,
                exhibitor.category.display_name,
                exhibitor.region.province.name,
                exhibitor.region.name,
                p.get_mode_display(),
                p.get_status_display(),
                p.booth.code if p.booth_id else "",
                exhibitor.whatsapp,
                owner.email if owner else "",
                p.products_count,
                _local(p.applied_at, expo),
                _local(p.decided_at, expo),
            ]
        )
    return result


def _csv_cell(value) -> str | int:
    if isinstance(value, str):
        return formula_safe(value)  # a typed name must not run as a formula
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return "" if value is None else value


def as_csv(*, expo: Expo, status: str = "") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.title for c in columns()])
    for row in rows(expo=expo, status=status):
        writer.writerow([_csv_cell(v) for v in row])
    # The byte-order mark makes Excel read the file as UTF-8 (names like "Café").
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(*, expo: Expo, status: str = "") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Exhibitors")[:31]
    cols = columns()
    sheet.append([c.title for c in cols])
    for row in rows(expo=expo, status=status):
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":  # openpyxl takes "=..." for a formula: stays text
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for index, column in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter in ("M", "N"):
        for cell in sheet[letter][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
    # NIB and WhatsApp are identifiers, not numbers: keep them text (no 9.12E+12).
    for letter in ("C", "J"):
        for cell in sheet[letter][1:]:
            cell.number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(*, expo: Expo, extension: str, today: datetime.date) -> str:
    return f"gelar-{expo.slug}-exhibitors-{today:%Y-%m-%d}.{extension}"
