"""The ticket's QR code, PDF and name badges, decoded by a real decoder (zbar)."""

import base64
import datetime
import io
import re
import zlib

import pytest
from django.utils import timezone
from PIL import Image

from gelar.testing import decode_qr_png as decode_png
from gelar.testing import make_expo
from gelar.testing import qr_svg_to_png as svg_to_png
from gelar.tickets import services
from gelar.tickets.documents import badges_pdf, ticket_pdf, ticket_qr_png, ticket_qr_svg
from gelar.tickets.models import Invitation, Ticket, TimeSlot

pytestmark = pytest.mark.django_db


def pdf_images(pdf: bytes) -> list[Image.Image]:
    """The raster images a PDF embeds, as ReportLab writes them (ASCII85 + Flate, grey)."""
    images = []
    image_object = re.compile(
        rb"<<((?:(?!>>).)*?/Subtype\s*/Image(?:(?!>>).)*?)>>\s*stream\r?\n", re.S
    )
    for found in image_object.finditer(pdf):
        header = found.group(1)
        length = int(re.search(rb"/Length (\d+)", header).group(1))
        data = pdf[found.end() : found.end() + length]
        filters = re.search(rb"/Filter \[?([^\]/]*(?:/\w+\s*)+)\]?", header).group(1)
        if b"ASCII85Decode" in filters:
            data = base64.a85decode(data.strip().removesuffix(b"~>"))
        if b"FlateDecode" in filters:
            data = zlib.decompress(data)
        width = int(re.search(rb"/Width (\d+)", header).group(1))
        height = int(re.search(rb"/Height (\d+)", header).group(1))
        assert b"/DeviceGray" in header
        images.append(Image.frombytes("L", (width, height), data))
    return images


def png_of(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def expo():
    # Registration and RSVP are open only until the expo is over.
    today = timezone.localdate()
    return make_expo(
        start_date=today + datetime.timedelta(days=2), end_date=today + datetime.timedelta(days=3)
    )


@pytest.fixture
def slot(expo):
    starts = timezone.now() + datetime.timedelta(days=2)
    return TimeSlot.objects.create(
        expo=expo, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3), capacity=5
    )


def test_svg_and_png_decode_to_the_ticket_code(slot, tmp_path):
    _ticket, secret = services.register_for_slot(
        slot=slot, holder_name="Siti Aminah", whatsapp="6281234567890"
    )
    code = services.ticket_code(secret)
    svg = ticket_qr_svg(code)
    assert 'role="img"' in svg and " id=" not in svg and secret not in svg
    assert decode_png(svg_to_png(svg), tmp_path) == [code]
    assert decode_png(ticket_qr_png(code), tmp_path) == [code]


def test_ticket_pdf_is_one_a6_page_whose_qr_decodes(slot, tmp_path):
    ticket, secret = services.register_for_slot(
        slot=slot, holder_name="Siti Aminah", whatsapp="6281234567890"
    )
    pdf = ticket_pdf(ticket, secret)
    assert pdf.startswith(b"%PDF-")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") == 1
    # A6 in points: 105 x 148 mm.
    assert re.search(rb"/MediaBox \[ 0 0 297\.6378 419\.5276 \]", pdf)
    images = pdf_images(pdf)
    assert len(images) == 1
    assert decode_png(png_of(images[0]), tmp_path) == [services.ticket_code(secret)]
    assert secret.encode() not in pdf


def test_badges_are_eight_per_a4_page_with_qr_only_for_accepted_guests(expo, tmp_path):
    guests = [
        services.invitation_create(
            expo=expo,
            actor=None,
            name=f"Tamu {n}",
            institution="Kementerian Koperasi dan UKM",
            title="Asisten Deputi",
        )
        for n in range(9)
    ]
    accepted, secret = services.invitation_respond(invitation=guests[0], accept=True)
    services.invitation_respond(invitation=guests[1], accept=False)
    invitations = list(Invitation.objects.filter(expo=expo).select_related("expo", "ticket"))
    pdf = badges_pdf(invitations, secrets={accepted.pk: secret})
    assert re.search(rb"/MediaBox \[ 0 0 595\.2756 841\.8898 \]", pdf)  # A4
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 2  # 9 badges: 8 + 1
    images = pdf_images(pdf)
    assert len(images) == 1
    assert decode_png(png_of(images[0]), tmp_path) == [services.ticket_code(secret)]
    # Without the secret, no QR code: the database cannot make one.
    assert pdf_images(badges_pdf(invitations)) == []


def test_badges_of_tickets_and_of_nobody(expo):
    guest = services.invitation_create(expo=expo, actor=None, name="Ir. Bambang Wijayanto")
    ticket, _secret = services.invitation_respond(invitation=guest, accept=True)
    pdf = badges_pdf([Ticket.objects.select_related("expo", "invitation").get(pk=ticket.pk)])
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b(?!s)", badges_pdf([]))) == 1


def test_names_outside_latin1_do_not_break_the_pdf(slot):
    ticket, secret = services.register_for_slot(
        slot=slot, holder_name="Ṭuti 王 Šarifah 🎉", whatsapp="6281234567891"
    )
    assert ticket_pdf(ticket, secret).startswith(b"%PDF-")
