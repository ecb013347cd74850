"""The visitor's pages: registration, the ticket page, cancelling, the PDF, RSVP."""

import datetime
import re
import smtplib
import socket
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as t
from django.utils.translation import ngettext

from gelar.testing import decode_qr_png, make_expo, qr_svg_to_png
from gelar.tickets import services
from gelar.tickets.models import Invitation, Ticket, TimeSlot, secret_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def expo():
    today = timezone.localdate()
    return make_expo(
        start_date=today + datetime.timedelta(days=2),
        end_date=today + datetime.timedelta(days=3),
        time_zone="Asia/Makassar",
    )


def _slot(expo, *, days=2, hour=1, capacity=3, **fields) -> TimeSlot:
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days, hours=hour)
    return TimeSlot.objects.create(
        expo=expo,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        capacity=capacity,
        **fields,
    )


@pytest.fixture
def slot(expo):
    return _slot(expo)


def _register(client, expo, chosen, *, key=None, **fields):
    """POST the registration form; each call a new form (key) unless key is given."""
    data = {
        "slot": chosen.pk,
        "name": "Siti Aminah",
        "whatsapp": "0812 3456 7890",
        "email": "siti@example.com",
        "idempotency_key": key or uuid.uuid4().hex,
        **fields,
    }
    return client.post(reverse("tickets:visit", args=[expo.slug]), data)


def _secret(response) -> str:
    assert response.status_code == 302
    found = re.fullmatch(r"/tiket/([A-Za-z0-9_-]{43})/", response["Location"])
    assert found, response["Location"]
    return found.group(1)


# --- the slots page ----------------------------------------------------------------


def test_slots_show_places_left_full_and_hide_past_and_private(client, expo, slot):
    full = _slot(expo, days=3, capacity=1, name="Sesi sore")
    full.taken = 1
    full.save()
    _slot(expo, days=-1, name="Kemarin")
    _slot(expo, days=4, name="Tamu khusus", is_public=False)
    response = client.get(reverse("tickets:visit", args=[expo.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert ngettext("%(counter)s place left", "%(counter)s places left", 3) % {"counter": 3} in html
    assert "Sesi sore" in html and t("Full") in html
    assert f'value="{full.pk}"' not in html  # a full slot cannot be chosen
    assert f'value="{slot.pk}"' in html
    assert "Kemarin" not in html and "Tamu khusus" not in html
    # The expo's zone: WITA.
    assert "WITA" in html
    # Every input has a label (axe).
    for name in ("name", "whatsapp", "email"):
        assert f'<label for="id_{name}">' in html


def test_unknown_expo_is_404(client):
    assert client.get(reverse("tickets:visit", args=["no-such-expo"])).status_code == 404


# --- registering -------------------------------------------------------------------


def test_registration_makes_a_ticket_emails_it_and_shows_it(
    client, expo, slot, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, expo, slot)
    secret = _secret(response)
    ticket = Ticket.objects.get()
    assert ticket.secret_hash == secret_hash(secret)
    assert (ticket.holder_name, ticket.whatsapp, ticket.email) == (
        "Siti Aminah",
        "6281234567890",
        "siti@example.com",
    )
    slot.refresh_from_db()
    assert slot.taken == 1
    # The secret is nowhere in the database: not in the session either.
    assert secret not in str(dict(client.session.items()))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@example.com"]
    assert f"http://testserver/tiket/{secret}/" in mail.outbox[0].body
    assert ticket.number in mail.outbox[0].body

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert ticket.number in html and "Siti Aminah" in html
    assert expo.venue_name in html
    assert "WITA" in html
    assert page["Referrer-Policy"] == "no-referrer"
    assert f'href="/tiket/{secret}/pdf/"' in html
    assert "https://wa.me/?text=" in html and f"%2Ftiket%2F{secret}%2F" in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert decode_qr_png(qr_svg_to_png(svg), tmp_path) == [services.ticket_code(secret)]


def test_double_submit_makes_one_ticket_and_finds_it_again(
    client, expo, slot, django_capture_on_commit_callbacks
):
    key = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=True):
        first = _secret(_register(client, expo, slot, key=key))
        again = _secret(_register(client, expo, slot, key=key))
    assert again == first
    assert Ticket.objects.count() == 1
    slot.refresh_from_db()
    assert slot.taken == 1
    assert len(mail.outbox) == 1
    # A new form (a new key) is a new registration.
    other = _secret(_register(client, expo, slot, name="Budi"))
    assert other != first and Ticket.objects.count() == 2


@pytest.fixture
def redis_down(settings):
    """The production cache with its Redis away: reads miss, `add` says it stored."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nobody listens once the socket is closed
    settings.CACHES = {
        "default": {
            "BACKEND": "gelar.common.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }


def test_a_double_tap_makes_one_ticket_while_redis_is_down(
    client, expo, slot, redis_down, django_capture_on_commit_callbacks
):
    # The second tap reaches the server before the first one's answer: it carries no
    # trace of it in its session, and the cache remembers nothing.
    key = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=True):
        first = _secret(_register(client, expo, slot, key=key))
        again = _secret(_register(Client(), expo, slot, key=key))
    assert again == first
    assert Ticket.objects.count() == 1
    slot.refresh_from_db()
    assert slot.taken == 1
    assert len(mail.outbox) == 1


def test_full_slot_is_refused_with_the_form_kept(client, expo):
    slot = _slot(expo, capacity=1)
    _secret(_register(client, expo, slot))
    response = _register(client, expo, slot, name="Budi Santoso")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Budi Santoso" in html  # nothing lost
    assert t("Full") in html
    assert t("Every time slot is full.") in html
    assert Ticket.objects.count() == 1


def test_slot_filled_meanwhile_is_refused_by_the_service(client, expo, slot):
    # The page showed places; they went before the submit reached register_for_slot.
    TimeSlot.objects.filter(pk=slot.pk).update(taken=slot.capacity)
    response = _register(client, expo, slot)
    assert response.status_code == 409
    assert "Budi" not in response.content.decode()
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "   "}, "name"),
        ({"whatsapp": "12345"}, "whatsapp"),
        ({"email": "not-an-email"}, "email"),
        ({"slot": "x"}, "slot"),
        ({"slot": "\x00"}, "slot"),
        ({"idempotency_key": "short"}, "idempotency_key"),
    ],
)
def test_bad_input_is_400_with_the_form_kept(client, expo, slot, fields, field):
    response = _register(client, expo, slot, **fields)
    assert response.status_code in (400, 409)
    assert field in response.context["form"].errors
    assert "Siti Aminah" in response.content.decode() or field == "name"
    assert Ticket.objects.count() == 0


def test_too_many_tickets_for_one_number(client, expo):
    slot = _slot(expo, capacity=10)
    for _n in range(services.MAX_TICKETS_PER_CONTACT):
        _secret(_register(client, expo, slot))
    response = _register(client, expo, slot)
    assert response.status_code == 400
    assert "whatsapp" in response.context["form"].errors
    assert Ticket.objects.count() == services.MAX_TICKETS_PER_CONTACT


def test_closed_expo_offers_no_form(client, expo, slot):
    expo.status = expo.Status.CLOSED
    expo.save()
    response = client.get(reverse("tickets:visit", args=[expo.slug]))
    assert response.status_code == 200
    assert 'name="slot"' not in response.content.decode()
    assert _register(client, expo, slot).status_code == 409
    assert Ticket.objects.count() == 0


# --- the ticket page -----------------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    ["x" * 43, "x" * 42, "x" * 44, "%00" + "x" * 40, "ü" * 43],
)
def test_unknown_or_malformed_secret_is_404(client, expo, slot, secret):
    services.register_for_slot(slot=slot, holder_name="Siti", whatsapp="6281234567890")
    for page in ("", "batal/", "pdf/"):
        assert client.get(f"/tiket/{secret}/{page}").status_code == 404


def test_tampered_secret_is_404(client, expo, slot):
    _ticket, secret = services.register_for_slot(
        slot=slot, holder_name="Siti", whatsapp="6281234567890"
    )
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert client.get(reverse("tickets:ticket", args=[tampered])).status_code == 404
    assert client.get(reverse("tickets:ticket", args=[secret])).status_code == 200


def test_cancel_asks_then_frees_the_place(client, expo):
    slot = _slot(expo, capacity=1)
    ticket, secret = services.register_for_slot(
        slot=slot, holder_name="Siti", whatsapp="6281234567890"
    )
    confirm = client.get(reverse("tickets:ticket_cancel", args=[secret]))
    assert confirm.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.VALID  # a GET changes nothing
    response = client.post(reverse("tickets:ticket_cancel", args=[secret]))
    assert response.status_code == 302
    ticket.refresh_from_db()
    slot.refresh_from_db()
    assert (ticket.status, slot.taken) == (Ticket.Status.CANCELLED, 0)
    page = client.get(reverse("tickets:ticket", args=[secret]))
    html = page.content.decode()
    assert t("Cancelled") in html
    assert "<svg" not in html  # no QR code for a cancelled ticket
    # Cancelling again frees nothing more; the freed place is taken by someone else.
    client.post(reverse("tickets:ticket_cancel", args=[secret]))
    slot.refresh_from_db()
    assert slot.taken == 0
    _secret(_register(client, expo, slot, name="Budi", whatsapp="081298765432"))
    slot.refresh_from_db()
    assert slot.taken == 1


def test_pdf_download(client, expo, slot):
    ticket, secret = services.register_for_slot(
        slot=slot, holder_name="Siti", whatsapp="6281234567890"
    )
    response = client.get(reverse("tickets:ticket_pdf", args=[secret]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="tiket-{ticket.number}.pdf"'
    assert response.content.startswith(b"%PDF-")


# --- RSVP ------------------------------------------------------------------------------


@pytest.fixture
def guest(expo):
    return services.invitation_create(
        expo=expo,
        actor=None,
        name="Dr. Hj. Ratna Dewi",
        institution="Dinas Perindustrian Provinsi Jawa Tengah",
        title="Kepala Bidang",
        email="ratna@example.go.id",
    )


def test_rsvp_page_shows_the_invitation(client, guest):
    response = client.get(reverse("tickets:rsvp", args=[guest.token]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dr. Hj. Ratna Dewi" in html and "Dinas Perindustrian Provinsi Jawa Tengah" in html
    assert 'value="accept"' in html and 'value="decline"' in html


def test_rsvp_accept_twice_makes_one_ticket(client, guest, django_capture_on_commit_callbacks):
    url = reverse("tickets:rsvp", args=[guest.token])
    with django_capture_on_commit_callbacks(execute=True):
        secret = _secret(client.post(url, {"answer": "accept"}))
    ticket = Ticket.objects.get()
    assert (ticket.kind, ticket.secret_hash) == (Ticket.Kind.INVITED, secret_hash(secret))
    assert len(mail.outbox) == 1 and f"/tiket/{secret}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"answer": "accept"})
    assert again.status_code == 302 and again["Location"] == url
    assert Ticket.objects.count() == 1
    assert len(mail.outbox) == 1
    assert client.get(reverse("tickets:ticket", args=[secret])).status_code == 200


def test_rsvp_decline_cancels_the_ticket(client, guest):
    url = reverse("tickets:rsvp", args=[guest.token])
    secret = _secret(client.post(url, {"answer": "accept"}))
    response = client.post(url, {"answer": "decline"})
    assert response.status_code == 302
    guest.refresh_from_db()
    assert guest.status == Invitation.Status.DECLINED
    assert Ticket.objects.get().status == Ticket.Status.CANCELLED
    assert client.get(reverse("tickets:ticket", args=[secret])).status_code == 200


def test_rsvp_bad_answer_and_bad_tokens(client, guest):
    url = reverse("tickets:rsvp", args=[guest.token])
    assert client.post(url, {"answer": "maybe"}).status_code == 400
    guest.refresh_from_db()
    assert guest.status == Invitation.Status.INVITED
    assert client.get(reverse("tickets:rsvp", args=["y" * 43])).status_code == 404
    assert client.get("/undangan/%00abc/").status_code == 404


def test_rsvp_after_the_expo_is_refused(client, guest, expo):
    expo.status = expo.Status.CLOSED
    expo.save()
    response = client.post(reverse("tickets:rsvp", args=[guest.token]), {"answer": "accept"})
    assert response.status_code == 409
    assert Ticket.objects.count() == 0


# --- review fixes: cancelling after entry, a failing mail server -------------------------


def test_a_ticket_used_to_enter_cannot_be_cancelled(client, expo, slot):
    ticket, secret = services.register_for_slot(
        slot=slot, holder_name="Siti", whatsapp="6281234567890"
    )
    device, _token = services.gate_device_create(expo=expo, actor=None, name="Gerbang A")
    entered = services.scan(
        device=device, code=services.ticket_code(secret), nonce="1", now=slot.starts_at
    )
    assert entered.result == "admitted"
    message = t("This ticket was already used to enter; it can no longer be cancelled.")

    page = client.get(reverse("tickets:ticket", args=[secret])).content.decode()
    confirm = client.get(reverse("tickets:ticket_cancel", args=[secret]))
    response = client.post(reverse("tickets:ticket_cancel", args=[secret]))

    assert reverse("tickets:ticket_cancel", args=[secret]) not in page
    assert confirm.status_code == 200 and message in confirm.content.decode()
    assert response.status_code == 409
    assert message in response.content.decode()
    assert 'method="post"' not in response.content.decode().split('class="form-errors"')[1]
    ticket.refresh_from_db()
    slot.refresh_from_db()
    assert (ticket.status, slot.taken) == (Ticket.Status.VALID, 1)


class FailingMailServer:
    """An email backend whose SMTP server refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def broken_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingMailServer"


def test_a_failing_mail_server_still_lands_on_the_ticket(
    client, expo, slot, broken_mail, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, expo, slot)

    secret = _secret(response)
    assert Ticket.objects.get().secret_hash == secret_hash(secret)
    assert client.get(response["Location"]).status_code == 200
    assert "the ticket email could not be sent" in caplog.text


def test_a_failing_mail_server_after_rsvp_still_lands_on_the_ticket(
    client, guest, broken_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tickets:rsvp", args=[guest.token]), {"answer": "accept"})

    secret = _secret(response)
    assert Ticket.objects.get().secret_hash == secret_hash(secret)
    assert client.get(response["Location"]).status_code == 200
