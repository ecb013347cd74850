"""Reading products from a spreadsheet (XLSX or CSV), and what people type as prices.

Everything is checked before anything is written: `read_products` returns
either every row, cleaned, or every problem with its row number, so the
service can import all rows in one transaction or none.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
MAX_PRICE = 1_000_000_000_000  # Rp1 trillion: anything above is a typo
MAX_STOCK = 1_000_000

# The template's columns, in its order; Indonesian like the people who fill it in.
COLUMNS = ("nama", "deskripsi", "harga", "sku", "stok", "aktif")
REQUIRED_COLUMNS = ("nama", "harga", "stok")
EXAMPLE_ROWS = (
    ("Kemeja Batik Tulis", "Katun primisima, lengan panjang", 150000, "BTK-001", 12, "ya"),
    ("Amplang Ikan Tenggiri 250 g", "Renyah, tanpa pengawet", 25000, "AMP-250", 40, "ya"),
    ("Selendang Sutra", "", 325000, "", 0, "tidak"),
)
_YES = {"", "ya", "y", "yes", "1", "true", "aktif"}
_NO = {"tidak", "t", "no", "n", "0", "false", "nonaktif"}

_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DIGITS = re.compile(r"^\d+$")


def parse_rupiah(raw) -> int:
    """Whole Rupiah from what a person types: '150.000', '150000', 'Rp150.000', 'Rp 150.000,-'.

    The dot groups thousands (Indonesian style); a comma starts decimals, which
    Rupiah prices do not have, so '12,5' is refused rather than guessed at.
    Raises ValidationError with code price_decimal, price_negative or price_invalid.
    """
    if isinstance(raw, bool):
        raise ValidationError(_price_invalid(), code="price_invalid")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise ValidationError(_price_decimal(), code="price_decimal")
        value = int(raw)
    else:
        text = re.sub(r"\s+", "", str(raw or ""))
        text = re.sub(r"^(rp\.?|idr)", "", text, flags=re.IGNORECASE)
        if text.startswith("-"):
            raise ValidationError(
                gettext_lazy("The price cannot be negative."), code="price_negative"
            )
        # "150.000,-" and "150.000,00" are common ways of writing a whole amount.
        text = re.sub(r",(-|0+)$", "", text)
        if "," in text or re.fullmatch(r"\d+\.\d{1,2}", text):
            raise ValidationError(_price_decimal(), code="price_decimal")
        if _THOUSANDS.match(text):
            text = text.replace(".", "")
        if not _DIGITS.match(text):
            raise ValidationError(_price_invalid(), code="price_invalid")
        value = int(text)
    if value < 0:
        raise ValidationError(gettext_lazy("The price cannot be negative."), code="price_negative")
    if value > MAX_PRICE:
        raise ValidationError(_price_invalid(), code="price_invalid")
    return value


def _price_decimal():
    return gettext_lazy("Enter the price in whole Rupiah without decimals, e.g. 150.000.")


def _price_invalid():
    return gettext_lazy("Enter the price in whole Rupiah, e.g. 150.000.")


@dataclass(frozen=True)
class ProductRow:
    row: int  # the spreadsheet's row number (the header is row 1)
    name: str
    description: str
    price: int
    sku: str
    stock: int
    is_active: bool


@dataclass(frozen=True)
class RowError:
    row: int | None  # None: the file as a whole (wrong columns, too big, unreadable)
    message: str
    code: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass(frozen=True)
class ReadResult:
    rows: list[ProductRow]
    errors: list[RowError]


def read_products(upload) -> ReadResult:
    """All the rows of an uploaded XLSX or CSV file, or all that is wrong with it."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        return _file_error(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_FILE_BYTES // 2**20},
            "file_too_large",
        )
    upload.seek(0)
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return _file_error(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_FILE_BYTES // 2**20},
            "file_too_large",
        )
    # Decided by content: an XLSX file is a ZIP archive; anything else is read as CSV.
    if data[:4] == b"PK\x03\x04":
        table = _xlsx_rows(data)
    else:
        table = _csv_rows(data)
    if isinstance(table, RowError):
        return ReadResult(rows=[], errors=[table])
    return _check(table)


def _file_error(message: str, code: str) -> ReadResult:
    return ReadResult(rows=[], errors=[RowError(row=None, message=message, code=code)])


def _xlsx_rows(data: bytes) -> list[tuple] | RowError:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        return RowError(
            row=None,
            message=_("The file cannot be read as an XLSX spreadsheet."),
            code="file_unreadable",
        )
    try:
        sheet = workbook.worksheets[0]
        rows = []
        # One more than allowed (plus the header) is enough to know it is too many.
        for values in sheet.iter_rows(values_only=True):
            rows.append(values)
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> list[tuple] | RowError:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Spreadsheet programs on Windows still save CSV in this code page.
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = None
    if text is None or "\x00" in text:
        return RowError(
            row=None,
            message=_("The file is neither an XLSX spreadsheet nor a CSV text file."),
            code="file_unreadable",
        )
    try:
        # Indonesian Excel saves CSV with semicolons (the comma is the decimal mark).
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = []
    for values in csv.reader(io.StringIO(text), delimiter=delimiter):
        rows.append(tuple(values))
        if len(rows) > MAX_ROWS + 1:
            break
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check(table: list[tuple]) -> ReadResult:
    if not table:
        return _file_error(_("The file is empty."), "file_empty")
    header = [_cell_text(value).lower() for value in table[0]]
    # Trailing empty header cells are common in spreadsheets; ignore them.
    while header and header[-1] == "":
        header.pop()
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if unknown or missing or duplicated:
        parts = []
        if missing:
            parts.append(_("missing: %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(
                _("unknown: %(columns)s") % {"columns": ", ".join(c or "(empty)" for c in unknown)}
            )
        if duplicated:
            parts.append(_("twice: %(columns)s") % {"columns": ", ".join(duplicated)})
        return _file_error(
            _(
                "The columns do not match the template (%(problems)s). "
                "The first row must name the columns: %(columns)s."
            )
            % {"problems": "; ".join(parts), "columns": ", ".join(COLUMNS)},
            "wrong_columns",
        )
    body = table[1:]
    if len(body) > MAX_ROWS:
        return _file_error(
            _("The file has more than %(limit)s rows; split it into smaller files.")
            % {"limit": MAX_ROWS},
            "too_many_rows",
        )
    index = {name: header.index(name) for name in header}
    rows: list[ProductRow] = []
    errors: list[RowError] = []
    seen_skus: dict[str, int] = {}
    for offset, values in enumerate(body):
        number = offset + 2
        cells = {name: (values[i] if i < len(values) else None) for name, i in index.items()}
        if all(_cell_text(value) == "" for value in cells.values()):
            continue  # blank lines between products are harmless
        row_errors: list[RowError] = []

        def fail(message: str, code: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(RowError(row=number, message=message, code=code))

        name = _cell_text(cells.get("nama"))
        if not name:
            fail(_("the name (nama) is empty"), "name_missing")
        elif len(name) > 200:
            fail(_("the name (nama) is longer than 200 characters"), "name_too_long")
        description = _cell_text(cells.get("deskripsi"))
        price = None
        raw_price = cells.get("harga")
        if _cell_text(raw_price) == "":
            fail(_("the price (harga) is empty"), "price_missing")
        else:
            try:
                price = parse_rupiah(raw_price)
            except ValidationError as error:
                message = {
                    "price_decimal": _("the price (harga) must be a whole number of Rupiah"),
                    "price_negative": _("the price (harga) cannot be negative"),
                }.get(error.code, _("the price (harga) is not a number of Rupiah"))
                fail(message, error.code)
        stock = _stock(cells.get("stok"))
        if stock is None:
            fail(_("the stock (stok) must be a whole number of 0 or more"), "stock_invalid")
        sku = _cell_text(cells.get("sku"))
        if len(sku) > 64:
            fail(_("the SKU is longer than 64 characters"), "sku_too_long")
        elif sku and sku in seen_skus:
            fail(
                _("the SKU %(sku)s is also on row %(other)s")
                % {"sku": sku, "other": seen_skus[sku]},
                "sku_repeated",
            )
        elif sku:
            seen_skus[sku] = number
        active_text = _cell_text(cells.get("aktif")).lower()
        if active_text not in _YES | _NO:
            fail(_("active (aktif) must be “ya” or “tidak”"), "active_invalid")
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            ProductRow(
                row=number,
                name=name,
                description=description,
                price=price,
                sku=sku,
                stock=stock,
                is_active=active_text not in _NO,
            )
        )
    if not rows and not errors:
        return _file_error(_("The file has no product rows."), "file_empty")
    return ReadResult(rows=rows if not errors else [], errors=errors)


def _stock(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            return None
        number = int(value)
    else:
        text = _cell_text(value)
        if _THOUSANDS.match(text):
            text = text.replace(".", "")
        if not _DIGITS.match(text):
            return None
        number = int(text)
    if number < 0 or number > MAX_STOCK:
        return None
    return number


# --- The template people download ---


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(EXAMPLE_ROWS)
    # With a BOM, Excel opens the file as UTF-8 and keeps "é" and "—" intact.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Produk"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in EXAMPLE_ROWS:
        sheet.append(row)
    for letter, width in zip("ABCDEF", (32, 40, 12, 14, 8, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
