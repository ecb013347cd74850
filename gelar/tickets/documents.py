"""What a ticket looks like outside the database: its QR code, its PDF, name badges.

The QR code holds ticket_code(secret), and the secret exists only in the link the
holder got: every function here takes the secret from its caller and never reads
or writes it anywhere. The PDFs use ReportLab's built-in Helvetica (no font files
to ship), which covers WinAnsi (Latin-1, dashes, quotes); other characters are
printed as their closest ASCII letter or "?" so a name never breaks a PDF.
"""

import io
import unicodedata
from collections.abc import Iterable, Mapping
from xml.etree import ElementTree

import qrcode
import qrcode.constants
import qrcode.image.pil
import qrcode.image.svg
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from gelar.common.templatetags.gelar_format import jam_range, tanggal
from gelar.tickets.models import Invitation, Ticket
from gelar.tickets.services import ticket_code

GREY = Color(0.45, 0.45, 0.45)


def _qr(code: str, image_factory, box_size: int = 10) -> qrcode.QRCode:
    qr = qrcode.QRCode(
        # M (15 %) survives a scuffed print or a cracked phone screen; the code is short.
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=4,  # the quiet zone the QR standard asks for
        image_factory=image_factory,
    )
    qr.add_data(code)
    qr.make(fit=True)
    return qr


def ticket_qr_svg(code: str) -> str:
    """The QR code as an inline <svg> (one path, white background, sized by CSS)."""
    image = _qr(code, qrcode.image.svg.SvgPathFillImage).make_image()
    svg = image.get_image()
    for attribute in ("width", "height"):
        svg.attrib.pop(attribute, None)
    svg.set("role", "img")
    svg.set("aria-label", _("Ticket QR code"))
    svg.set("shape-rendering", "crispEdges")
    image.path.attrib.pop("id", None)
    return ElementTree.tostring(svg, encoding="unicode")


def ticket_qr_png(code: str, *, box_size: int = 10) -> bytes:
    image = _qr(code, qrcode.image.pil.PilImage, box_size).make_image()
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def _qr_image(code: str) -> ImageReader:
    # Greyscale, not 1-bit: every PDF viewer and printer scales it without dropping modules.
    image = _qr(code, qrcode.image.pil.PilImage, 8).make_image().get_image().convert("L")
    return ImageReader(image)


def _latin1(text: str) -> str:
    """Text Helvetica can print: WinAnsi (cp1252) as is, other letters without accents, else '?'."""
    out = []
    for char in text:
        if char.encode("cp1252", "ignore"):
            out.append(char)
            continue
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(plain or "?")
    return "".join(out)


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to `size` at which text fits in width (down to 6 pt)."""
    while size > 6 and canvas.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _centred(canvas: Canvas, text: str, *, x: float, y: float, font: str, size: float, width):
    text = _latin1(text)
    size = _fit(canvas, text, font, size, width)
    canvas.setFont(font, size)
    canvas.drawCentredString(x, y, text)


def ticket_when(ticket: Ticket) -> str:
    """The slot in the expo's zone ("Rabu, 24 November 2021, 09.00–12.00 WIB"), or the days."""
    expo = ticket.expo
    if ticket.slot is not None:
        slot = ticket.slot
        return (
            f"{tanggal(slot.starts_at, expo.time_zone)}, "
            f"{jam_range(slot.starts_at, slot.ends_at, expo.time_zone)}"
        )
    return _("Every day of the expo")


def ticket_pdf(ticket: Ticket, secret: str, *, language: str | None = None) -> bytes:
    """One A6 page: the expo, the QR code of the ticket, its number, holder, time, venue."""
    with translation.override(language or translation.get_language()):
        buffer = io.BytesIO()
        width, height = A6
        canvas = Canvas(buffer, pagesize=A6, pageCompression=1)
        canvas.setTitle(_latin1(f"{ticket.expo.name} {ticket.number or ''}".strip()))
        canvas.setAuthor("Gelar")
        margin = 8 * mm
        inner = width - 2 * margin
        centre = width / 2
        y = height - margin - 4 * mm
        _centred(
            canvas, ticket.expo.name, x=centre, y=y, font="Helvetica-Bold", size=11, width=inner
        )
        y -= 5 * mm
        kind = _("Invitation") if ticket.kind == Ticket.Kind.INVITED else _("Visitor ticket")
        canvas.setFillColor(GREY)
        _centred(canvas, kind, x=centre, y=y, font="Helvetica", size=8, width=inner)
        canvas.setFillColor(black)
        side = 62 * mm
        y -= 2 * mm + side
        canvas.drawImage(_qr_image(ticket_code(secret)), centre - side / 2, y, side, side)
        y -= 6 * mm
        _centred(
            canvas, ticket.number or "", x=centre, y=y, font="Courier-Bold", size=14, width=inner
        )
        y -= 7 * mm
        _centred(
            canvas, ticket.holder_name, x=centre, y=y, font="Helvetica-Bold", size=13, width=inner
        )
        y -= 6 * mm
        _centred(canvas, ticket_when(ticket), x=centre, y=y, font="Helvetica", size=9, width=inner)
        y -= 4.5 * mm
        _centred(
            canvas, ticket.expo.venue_name, x=centre, y=y, font="Helvetica", size=9, width=inner
        )
        if ticket.status == Ticket.Status.CANCELLED:
            y -= 7 * mm
            _centred(
                canvas, _("CANCELLED"), x=centre, y=y, font="Helvetica-Bold", size=14, width=inner
            )
        canvas.setFillColor(GREY)
        _centred(
            canvas,
            _("Show this QR code at the gate. Keep it to yourself: it is your ticket."),
            x=centre,
            y=margin - 2 * mm,
            font="Helvetica",
            size=7,
            width=inner,
        )
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()


def _badge_fields(item: Invitation | Ticket) -> tuple[str, str, str, Ticket | None]:
    """(name, title, institution, the ticket when the guest accepted) of a badge."""
    if isinstance(item, Invitation):
        ticket = None
        if item.status == Invitation.Status.ACCEPTED:
            ticket = getattr(item, "ticket", None)
        return item.name, item.title, item.institution, ticket
    invitation = item.invitation
    if invitation is not None:
        return item.holder_name, invitation.title, invitation.institution, item
    return item.holder_name, "", "", item


def badges_pdf(
    items: Iterable[Invitation | Ticket],
    *,
    secrets: Mapping[int, str] | None = None,
    language: str | None = None,
) -> bytes:
    """A4 pages of 2 x 4 name badges (105 x 74 mm) with cut lines.

    Each badge: the expo, the name, the title and the institution; and the QR code of
    the ticket when the guest accepted and the caller knows its secret (secrets:
    {ticket pk: secret}, e.g. from ticket_reissue_secret). The database holds only
    the hashes, so without the secret a badge has no QR code -- a badge is for the
    name, the ticket on the guest's phone or PDF is what the gate scans.
    """
    secrets = secrets or {}
    with translation.override(language or translation.get_language()):
        buffer = io.BytesIO()
        page_width, page_height = A4
        canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
        canvas.setTitle(_("Name badges"))
        canvas.setAuthor("Gelar")
        columns, rows = 2, 4
        badge_width, badge_height = page_width / columns, page_height / rows
        pad = 7 * mm
        items = list(items)
        for index, item in enumerate(items):
            spot = index % (columns * rows)
            if index and spot == 0:
                canvas.showPage()
            if spot == 0:
                _cut_lines(canvas, page_width, page_height, columns, rows)
            left = (spot % columns) * badge_width
            bottom = page_height - (spot // columns + 1) * badge_height
            name, title, institution, ticket = _badge_fields(item)
            expo = item.expo
            qr_side = 0
            secret = secrets.get(ticket.pk) if ticket is not None else None
            if secret and ticket.status == Ticket.Status.VALID:
                qr_side = 30 * mm
                canvas.drawImage(
                    _qr_image(ticket_code(secret)),
                    left + badge_width - pad - qr_side,
                    bottom + pad,
                    qr_side,
                    qr_side,
                )
            text_width = badge_width - 2 * pad - (qr_side + 3 * mm if qr_side else 0)
            x = left + pad
            canvas.setFillColor(GREY)
            expo_name = _latin1(expo.name)
            canvas.setFont(
                "Helvetica", _fit(canvas, expo_name, "Helvetica", 8, badge_width - 2 * pad)
            )
            canvas.drawString(x, bottom + badge_height - pad - 2 * mm, expo_name)
            canvas.setFillColor(black)
            name = _latin1(name)
            canvas.setFont("Helvetica-Bold", _fit(canvas, name, "Helvetica-Bold", 18, text_width))
            canvas.drawString(x, bottom + badge_height / 2 + 2 * mm, name)
            y = bottom + badge_height / 2 - 5 * mm
            for line in (title, institution):
                if line:
                    line = _latin1(line)
                    canvas.setFont("Helvetica", _fit(canvas, line, "Helvetica", 10, text_width))
                    canvas.drawString(x, y, line)
                    y -= 5 * mm
            if ticket is not None and ticket.number:
                canvas.setFillColor(GREY)
                canvas.setFont("Courier", 8)
                canvas.drawString(x, bottom + pad, ticket.number)
                canvas.setFillColor(black)
        if not items:
            canvas.setFont("Helvetica", 11)
            canvas.drawString(20 * mm, page_height - 30 * mm, _latin1(_("No guests to print.")))
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()


def _cut_lines(canvas: Canvas, width: float, height: float, columns: int, rows: int) -> None:
    canvas.saveState()
    canvas.setStrokeColor(Color(0.8, 0.8, 0.8))
    canvas.setLineWidth(0.3)
    canvas.setDash(2, 3)
    for column in range(1, columns):
        canvas.line(width * column / columns, 0, width * column / columns, height)
    for row in range(1, rows):
        canvas.line(0, height * row / rows, width, height * row / rows)
    canvas.restoreState()
