"""Product labels for the booth: a QR code and a Code 128 barcode of label_code(product),
with the name and the price, on an A4 sheet or on a 58 mm thermal roll.

Both codes hold the same short text ("GLRP.123"): the till's camera reads the QR code,
a handheld USB scanner (a keyboard "wedge", most of them 1D only) reads the barcode.
The price is printed as it is when the labels are made; the till always charges the
price in the database, so a stale label costs nothing but a reprint.

Like the tickets' PDFs (gelar/tickets/documents.py), the labels use ReportLab's
built-in Helvetica: no font files to ship; other characters print as the closest
ASCII letter or "?".
"""

import io
from collections.abc import Sequence

import qrcode
import qrcode.constants
import qrcode.image.pil
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from gelar.catalog.models import Product
from gelar.common.templatetags.gelar_format import rupiah
from gelar.pos.services import label_code
from gelar.tickets.documents import _fit, _latin1

A4_SHEET = "a4"
ROLL_58 = "58mm"
LAYOUTS = (A4_SHEET, ROLL_58)
MAX_COPIES = 20
MAX_LABELS = 2000  # 20 copies of 100 products: a few seconds of ReportLab, 84 pages

# The common A4 label sheet: 3 x 8 labels of 70 x 37 mm, no margins.
SHEET_COLUMNS, SHEET_ROWS = 3, 8
# A 58 mm roll prints about 48 mm wide; one label per page, cut after each.
ROLL_WIDTH, ROLL_HEIGHT = 58 * mm, 40 * mm
ROLL_PRINTABLE = 48 * mm
GREY = Color(0.4, 0.4, 0.4)


class LabelError(ValueError):
    """Nothing to print, or more than a printer should be sent at once."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _qr_image(text: str) -> ImageReader:
    qr = qrcode.QRCode(
        # M (15 %): a label gets scuffed on a shelf; "GLRP.123" is short either way.
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=8,
        border=2,  # half the standard quiet zone: the label's own margin adds the rest
        image_factory=qrcode.image.pil.PilImage,
    )
    qr.add_data(text)
    qr.make(fit=True)
    return ImageReader(qr.make_image().get_image().convert("L"))


def _barcode(canvas: Canvas, text: str, *, x: float, y: float, width: float, height: float):
    """Code 128 of text, centred in the box (x, y, width); bars of at least 0.19 mm."""
    bar_width = 0.33 * mm
    barcode = Code128(text, barWidth=bar_width, barHeight=height, quiet=False)
    while barcode.width > width and bar_width > 0.19 * mm:
        bar_width -= 0.02 * mm
        barcode = Code128(text, barWidth=bar_width, barHeight=height, quiet=False)
    barcode.drawOn(canvas, x + (width - barcode.width) / 2, y)


def _name_lines(canvas: Canvas, name: str, *, width: float, size: float, lines: int) -> list[str]:
    """The name wrapped on at most `lines` lines of width, the last one cut with "…"."""
    words = _latin1(name).split()
    out: list[str] = []
    while words and len(out) < lines:
        line = words.pop(0)
        while words and canvas.stringWidth(f"{line} {words[0]}", "Helvetica-Bold", size) <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words or (out and canvas.stringWidth(out[-1], "Helvetica-Bold", size) > width):
        last = out[-1]
        while last and canvas.stringWidth(f"{last}…", "Helvetica-Bold", size) > width:
            last = last[:-1]
        out[-1] = f"{last.rstrip()}…"
    return out


def _draw_label(canvas: Canvas, product: Product, *, x: float, y: float, w: float, h: float):
    """One label in the box (x, y) to (x + w, y + h): QR left, text and barcode right."""
    code = label_code(product)
    pad = 2.5 * mm
    qr_side = min(h - 2 * pad, w * 0.42)
    canvas.drawImage(_qr_image(code), x + pad, y + (h - qr_side) / 2, qr_side, qr_side)
    left = x + 2 * pad + qr_side - 1 * mm
    width = x + w - pad - left
    top = y + h - pad
    canvas.setFillColor(black)
    name_size = 8
    for line in _name_lines(canvas, product.name, width=width, size=name_size, lines=2):
        top -= name_size + 1
        canvas.setFont("Helvetica-Bold", name_size)
        canvas.drawString(left, top, line)
    price = rupiah(product.price)
    top -= 13
    canvas.setFont("Helvetica-Bold", _fit(canvas, price, "Helvetica-Bold", 12, width))
    canvas.drawString(left, top, price)
    _barcode(canvas, code, x=left, y=y + pad + 3 * mm, width=width, height=7 * mm)
    canvas.setFillColor(GREY)
    caption = f"{code}  {_latin1(product.sku)}".strip() if product.sku else code
    canvas.setFont("Helvetica", _fit(canvas, caption, "Helvetica", 6.5, width))
    canvas.drawString(left, y + pad, caption)
    canvas.setFillColor(black)


def _draw_roll_label(canvas: Canvas, product: Product):
    """One 58 mm page: name, price, the QR code and the barcode, centred in 48 mm."""
    code = label_code(product)
    left = (ROLL_WIDTH - ROLL_PRINTABLE) / 2
    top = ROLL_HEIGHT - 3 * mm
    name_size = 8
    for line in _name_lines(canvas, product.name, width=ROLL_PRINTABLE, size=name_size, lines=2):
        top -= name_size + 1
        canvas.setFont("Helvetica-Bold", name_size)
        canvas.drawCentredString(ROLL_WIDTH / 2, top, line)
    qr_side = 22 * mm
    bottom = 2.5 * mm
    canvas.drawImage(_qr_image(code), left, bottom, qr_side, qr_side)
    right = left + qr_side + 1.5 * mm
    width = left + ROLL_PRINTABLE - right
    price = rupiah(product.price)
    canvas.setFont("Helvetica-Bold", _fit(canvas, price, "Helvetica-Bold", 12, width))
    canvas.drawString(right, bottom + qr_side - 5 * mm, price)
    _barcode(canvas, code, x=right, y=bottom + 4 * mm, width=width, height=8 * mm)
    canvas.setFont("Helvetica", 6.5)
    canvas.drawString(right, bottom + 1 * mm, code)


def labels_pdf(
    *,
    products: Sequence[Product],
    layout: str = A4_SHEET,
    copies: int = 1,
    language: str | None = None,
) -> bytes:
    """The labels of `products` (in that order, each `copies` times) as a PDF.

    A4_SHEET: pages of 3 x 8 labels of 70 x 37 mm with light cut lines.
    ROLL_58: one 58 x 40 mm page per label, for the browser's print dialog on a
    thermal printer. Raises LabelError when there is nothing to print or too much.
    """
    if layout not in LAYOUTS:
        raise LabelError(_("Choose the A4 sheet or the 58 mm roll."), "layout")
    if not 1 <= copies <= MAX_COPIES:
        raise LabelError(
            _("Print between 1 and %(max)d copies of each label.") % {"max": MAX_COPIES},
            "copies",
        )
    if not products:
        raise LabelError(_("Choose at least one product."), "products")
    if len(products) * copies > MAX_LABELS:
        raise LabelError(
            _("At most %(max)d labels at once: choose fewer products or copies.")
            % {"max": MAX_LABELS},
            "too_many",
        )
    with translation.override(language or translation.get_language()):
        buffer = io.BytesIO()
        size = A4 if layout == A4_SHEET else (ROLL_WIDTH, ROLL_HEIGHT)
        canvas = Canvas(buffer, pagesize=size, pageCompression=1)
        canvas.setTitle(_latin1(_("Product labels")))
        canvas.setAuthor("Gelar")
        labels = [product for product in products for _copy in range(copies)]
        if layout == ROLL_58:
            for product in labels:
                _draw_roll_label(canvas, product)
                canvas.showPage()
        else:
            page_width, page_height = A4
            w, h = page_width / SHEET_COLUMNS, page_height / SHEET_ROWS
            per_page = SHEET_COLUMNS * SHEET_ROWS
            for index, product in enumerate(labels):
                spot = index % per_page
                if index and spot == 0:
                    canvas.showPage()
                if spot == 0:
                    _cut_lines(canvas, page_width, page_height)
                column, row = spot % SHEET_COLUMNS, spot // SHEET_COLUMNS
                _draw_label(canvas, product, x=column * w, y=page_height - (row + 1) * h, w=w, h=h)
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()


def _cut_lines(canvas: Canvas, width: float, height: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(Color(0.85, 0.85, 0.85))
    canvas.setLineWidth(0.3)
    canvas.setDash(2, 3)
    for column in range(1, SHEET_COLUMNS):
        canvas.line(width * column / SHEET_COLUMNS, 0, width * column / SHEET_COLUMNS, height)
    for row in range(1, SHEET_ROWS):
        canvas.line(0, height * row / SHEET_ROWS, width, height * row / SHEET_ROWS)
    canvas.restoreState()
