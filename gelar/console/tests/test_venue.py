"""The venue pages (/console/<expo>/venue/): who may, time slots, occupancy, conflicts,
invitations (one, a CSV, the RSVP link by email and WhatsApp) and gate devices.

The organizer has an admin, a staff member (they manage) and a gate officer (they see
the occupancy and the devices only); the outsider is the admin of another organizer.
"""

import datetime
import itertools
import re
import smtplib
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from gelar.audit.models import AuditEntry
from gelar.events.models import Expo, OrganizerMember
from gelar.testing import WIB, at, make_expo, make_organizer, make_organizer_member, make_user
from gelar.tickets import services as tickets
from gelar.tickets.models import GateDevice, Invitation, Scan, Ticket, TimeSlot, secret_hash

pytestmark = pytest.mark.django_db
Role = OrganizerMember.Role


@dataclass
class Venue:
    expo: Expo
    other: Expo
    slot: TimeSlot
    admin: object
    staff: object
    gate: object
    host: object
    outsider: object


def _id(message: str, **values) -> str:
    """The message as the console shows it (Indonesian by default)."""
    with translation.override("id"):
        text = translation.gettext(message)
    return text % values if values else text


def _nid(singular: str, plural: str, n: int, **values) -> str:
    """A counted message as the console shows it (Indonesian by default)."""
    with translation.override("id"):
        return translation.ngettext(singular, plural, n) % values


def member(organizer, email: str, role: str):
    user = make_user(email=email)
    make_organizer_member(organizer=organizer, user=user, role=role)
    return user


@pytest.fixture
def venue() -> Venue:
    expo = make_expo()
    other = make_expo(organizer=make_organizer(slug="dinas-batang"), slug="batang-expo")
    slot = TimeSlot.objects.create(
        expo=expo, name="Rabu pagi", starts_at=at(24, 9), ends_at=at(24, 12), capacity=100
    )
    organizer = expo.organizer
    return Venue(
        expo=expo,
        other=other,
        slot=slot,
        admin=member(organizer, "admin@dindakop.example", Role.ADMIN),
        staff=member(organizer, "staf@dindakop.example", Role.STAFF),
        gate=member(organizer, "gate@dindakop.example", Role.GATE),
        host=member(organizer, "host@dindakop.example", Role.HOST),
        outsider=member(other.organizer, "admin@batang.example", Role.ADMIN),
    )


def url(name: str, venue: Venue, *args) -> str:
    return reverse(f"console:{name}", args=[venue.expo.slug, *args])


def html(response) -> str:
    return response.content.decode()


def db_state() -> dict:
    """Every row the venue pages can change, to prove a refused request changed nothing."""
    models = (TimeSlot, Invitation, Ticket, GateDevice, Scan, AuditEntry)
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


_phones = itertools.count(1)


def register(slot: TimeSlot, name: str) -> tuple[Ticket, str]:
    whatsapp = f"0812345{next(_phones):05d}"
    return tickets.register_for_slot(slot=slot, holder_name=name, whatsapp=whatsapp, now=at(20, 9))


SLOT_POST = {
    "name": "Rabu siang",
    "starts_at": "2021-11-24T13:00",
    "ends_at": "2021-11-24T16:00",
    "capacity": "250",
    "is_public": "on",
}


# --- who may ------------------------------------------------------------------------

MANAGER_PAGES = ["venue", "venue_invitations", "venue_gates"]


@pytest.mark.parametrize("who", ["admin", "staff"])
@pytest.mark.parametrize("page", MANAGER_PAGES)
def test_admin_and_staff_open_the_pages(client, venue, who, page):
    client.force_login(getattr(venue, who))
    assert client.get(url(page, venue)).status_code == 200


@pytest.mark.parametrize("page", ["venue", "venue_gates"])
def test_the_gate_officer_sees_occupancy_and_devices_but_no_guest(client, venue, page):
    ticket, _secret = register(venue.slot, "Sari Wulandari")
    client.force_login(venue.gate)
    response = client.get(url(page, venue))
    assert response.status_code == 200
    page_html = html(response)
    assert "Sari Wulandari" not in page_html
    assert ticket.number not in page_html
    assert 'name="capacity"' not in page_html
    assert url("venue_invitations", venue) not in page_html
    # Only the venue tab: the other tabs would be 404s.
    assert reverse("console:orders", args=[venue.expo.slug]) not in page_html
    assert reverse("console:live_sessions", args=[venue.expo.slug]) not in page_html


def test_the_gate_officer_gets_404_on_invitations(client, venue):
    client.force_login(venue.gate)
    assert client.get(url("venue_invitations", venue)).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "host"])
@pytest.mark.parametrize("page", MANAGER_PAGES)
def test_others_get_404(client, venue, who, page):
    client.force_login(getattr(venue, who))
    assert client.get(url(page, venue)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, venue):
    response = client.get(url("venue", venue))
    assert response.status_code == 302
    assert "login" in response.url


def test_the_staff_sees_the_venue_tab(client, venue):
    client.force_login(venue.staff)
    page = html(client.get(reverse("console:orders", args=[venue.expo.slug])))
    assert f'href="{url("venue", venue)}"' in page


@pytest.mark.parametrize("who", ["gate", "outsider", "host"])
def test_others_post_nothing(client, venue, who):
    invitation = tickets.invitation_create(
        expo=venue.expo, actor=venue.admin, name="Dr. Rina Marlina", email="rina@kemenkop.example"
    )
    device, _token = tickets.gate_device_create(expo=venue.expo, actor=venue.admin, name="A")
    guest = tickets.invitation_create(expo=venue.expo, actor=venue.admin, name="Tamu")
    tickets.invitation_respond(invitation=guest, accept=True, now=at(20, 9))
    before = db_state()
    client.force_login(getattr(venue, who))
    csv_file = SimpleUploadedFile("tamu.csv", b"Budi Santoso,Dinas Kominfo\n")
    actions = [
        (url("venue", venue), SLOT_POST),
        (url("venue_slot", venue, venue.slot.pk), {**SLOT_POST, "capacity": "1"}),
        (url("venue_slot_delete", venue, venue.slot.pk), {}),
        (url("venue_invitations", venue), {"name": "Budi"}),
        (url("venue_import", venue), {"file": csv_file}),
        (url("venue_invitation_send", venue, invitation.pk), {}),
        (url("venue_gates", venue), {"name": "Gerbang C"}),
        (url("venue_gate_revoke", venue, device.pk), {}),
        (url("venue_ticket_reissue", venue, guest.pk), {}),
    ]
    for action, data in actions:
        assert client.post(action, data).status_code == 404, action
    assert db_state() == before
    assert mail.outbox == []


def test_objects_of_another_expo_are_404(client, venue):
    slot = TimeSlot.objects.create(
        expo=venue.other, starts_at=at(24, 9), ends_at=at(24, 12), capacity=5
    )
    device, _ = tickets.gate_device_create(expo=venue.other, actor=None, name="Batang A")
    client.force_login(venue.admin)
    assert client.get(url("venue_slot", venue, slot.pk)).status_code == 404
    assert client.post(url("venue_gate_revoke", venue, device.pk)).status_code == 404
    device.refresh_from_db()
    assert device.revoked_at is None


# --- time slots ---------------------------------------------------------------------


def test_add_a_slot_in_the_expo_zone(client, venue):
    client.force_login(venue.staff)
    response = client.post(url("venue", venue), SLOT_POST)
    assert response.status_code == 302
    slot = TimeSlot.objects.get(name="Rabu siang")
    assert (slot.starts_at, slot.ends_at, slot.capacity, slot.taken, slot.is_public) == (
        datetime.datetime(2021, 11, 24, 13, 0, tzinfo=WIB),
        datetime.datetime(2021, 11, 24, 16, 0, tzinfo=WIB),
        250,
        0,
        True,
    )
    entry = AuditEntry.objects.get(action="slot.create")
    assert (entry.actor, entry.object_id) == (venue.staff, str(slot.pk))
    page = html(client.get(url("venue", venue)))
    assert "13.00–16.00 WIB" in page


@pytest.mark.parametrize(
    "change, field",
    [
        ({"ends_at": "2021-11-24T12:00"}, "ends_at"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "lots"}, "capacity"),
        ({"starts_at": "kemarin"}, "starts_at"),
    ],
)
def test_a_bad_slot_is_refused(client, venue, change, field):
    before = db_state()
    client.force_login(venue.admin)
    response = client.post(url("venue", venue), {**SLOT_POST, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert db_state() == before


def test_capacity_never_below_taken(client, venue):
    for n in range(3):
        register(venue.slot, f"Pengunjung {n}")
    client.force_login(venue.admin)
    edit = {
        "name": "Rabu pagi",
        "starts_at": "2021-11-24T09:00",
        "ends_at": "2021-11-24T12:00",
        "is_public": "on",
    }
    response = client.post(url("venue_slot", venue, venue.slot.pk), {**edit, "capacity": "2"})
    assert response.status_code == 400
    assert response.context["form"].errors["capacity"] == [
        _nid(
            "%(taken)s place is already taken: the capacity cannot be lower.",
            "%(taken)s places are already taken: the capacity cannot be lower.",
            3,
            taken=3,
        )
    ]
    venue.slot.refresh_from_db()
    assert (venue.slot.capacity, venue.slot.taken) == (100, 3)
    response = client.post(url("venue_slot", venue, venue.slot.pk), {**edit, "capacity": "3"})
    assert response.status_code == 302
    venue.slot.refresh_from_db()
    assert (venue.slot.capacity, venue.slot.taken) == (3, 3)
    entry = AuditEntry.objects.get(action="slot.update")
    assert entry.changes == {"capacity": [100, 3]}


def test_delete_only_an_empty_slot(client, venue):
    empty = TimeSlot.objects.create(
        expo=venue.expo, starts_at=at(25, 9), ends_at=at(25, 12), capacity=10
    )
    ticket, _ = register(venue.slot, "Sari")
    tickets.ticket_cancel(ticket=ticket, now=at(20, 10))
    client.force_login(venue.admin)
    response = client.post(url("venue_slot_delete", venue, venue.slot.pk))
    assert response.status_code == 302
    assert TimeSlot.objects.filter(pk=venue.slot.pk).exists()
    assert [str(m) for m in response.wsgi_request._messages] == [
        _id("The slot has tickets: close it to registration instead of deleting it.")
    ]
    assert client.get(url("venue_slot_delete", venue, empty.pk)).status_code == 200
    assert client.post(url("venue_slot_delete", venue, empty.pk)).status_code == 302
    assert not TimeSlot.objects.filter(pk=empty.pk).exists()
    assert AuditEntry.objects.filter(action="slot.delete").count() == 1


# --- occupancy and conflicts ----------------------------------------------------------


def test_occupancy_now_and_counts_per_gate(client, venue):
    now = timezone.now()
    open_slot = TimeSlot.objects.create(
        expo=venue.expo,
        name="Sekarang",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=2),
        capacity=40,
    )
    gate_a, _ = tickets.gate_device_create(expo=venue.expo, actor=None, name="Gerbang A")
    gate_b, _ = tickets.gate_device_create(expo=venue.expo, actor=None, name="Gerbang B")
    codes = []
    for n in range(3):
        _ticket, secret = tickets.register_for_slot(
            slot=open_slot, holder_name=f"Tamu {n}", whatsapp=f"08123456781{n}"
        )
        codes.append(tickets.ticket_code(secret))
    tickets.scan(device=gate_a, code=codes[0], nonce="a1")
    tickets.scan(device=gate_a, code=codes[1], nonce="a2")
    tickets.scan(device=gate_b, code=codes[2], nonce="b1")
    tickets.scan(device=gate_b, code=codes[2], nonce="b2", direction="exit")
    tickets.scan(device=gate_b, code=codes[0], nonce="b3")  # already used
    tickets.scan(device=gate_b, code="GLR1.palsu", nonce="b4")  # unknown
    client.force_login(venue.gate)
    response = client.get(url("venue", venue))
    assert response.context["occupancy"] == {"inside": 2, "capacity_now": 40, "admitted_today": 3}
    assert [
        (g["name"], g["admitted"], g["exited"], g["refused"], g["conflicts"])
        for g in response.context["gates"]
    ] == [("Gerbang A", 2, 0, 0, 0), ("Gerbang B", 1, 1, 2, 0)]
    assert "2 / 40" in html(response)


def test_conflicts_name_the_ticket_the_holder_and_both_gates(client, venue):
    invitation = tickets.invitation_create(expo=venue.expo, actor=venue.admin, name="H. Salahudin")
    ticket, secret = tickets.invitation_respond(invitation=invitation, accept=True, now=at(20, 9))
    gate_a, _ = tickets.gate_device_create(expo=venue.expo, actor=None, name="Gerbang A")
    gate_b, _ = tickets.gate_device_create(expo=venue.expo, actor=None, name="Pintu VIP")
    code = tickets.ticket_code(secret)
    synced = at(24, 18)
    tickets.sync(
        device=gate_a,
        scans=[{"nonce": "a1", "code": code, "scanned_at": at(24, 8, 40).isoformat()}],
        now=synced,
    )
    tickets.sync(
        device=gate_b,
        scans=[{"nonce": "b1", "code": code, "scanned_at": at(24, 10, 16).isoformat()}],
        now=synced,
    )
    client.force_login(venue.staff)
    response = client.get(url("venue", venue))
    rows = re.findall(r"<tr>(.*?)</tr>", html(response), re.S)
    conflict_rows = [row for row in rows if ticket.number in row]
    assert len(conflict_rows) == 1
    text = re.sub(r"<[^>]+>", "", conflict_rows[0])
    assert "H. Salahudin" in text
    assert "Gerbang A, 24 Nov 08.40 WIB" in text
    assert "Pintu VIP, 24 Nov 10.16 WIB" in text


# --- invitations ----------------------------------------------------------------------


def test_invite_one_guest(client, venue):
    client.force_login(venue.staff)
    response = client.post(
        url("venue_invitations", venue),
        {
            "name": "Dr. Ir. Rina Marlina, M.M.",
            "institution": "Kementerian Koperasi dan UKM",
            "title": "Asisten Deputi",
            "email": "rina@kemenkop.example",
            "whatsapp": "0812-1000-2001",
        },
    )
    assert response.status_code == 302
    guest = Invitation.objects.get()
    assert (guest.name, guest.whatsapp, guest.status, guest.invited_by) == (
        "Dr. Ir. Rina Marlina, M.M.",
        "6281210002001",
        "invited",
        venue.staff,
    )
    page = html(client.get(url("venue_invitations", venue)))
    assert f"/undangan/{guest.token}/" in page
    assert "https://wa.me/6281210002001?text=" in page


def test_a_bad_guest_is_refused(client, venue):
    before = db_state()
    client.force_login(venue.admin)
    response = client.post(
        url("venue_invitations", venue), {"name": "", "whatsapp": "12", "email": "x@"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "whatsapp", "email"}
    assert db_state() == before


CSV_GOOD = (
    "name;institution;title;email;whatsapp\n"
    "Budi Santoso;Dinas Kominfo Kota Pekalongan;Kepala Bidang;budi@kominfo.example;081325001005\n"
    "Siti Norhayati;Dinas Koperasi dan UKM Provinsi Kalimantan Selatan;Kepala Dinas;;\n"
    "\n"
    "Rudi Hartono;Bank Jateng;;;+62 813 2500 7001\n"
)


def test_import_a_guest_list(client, venue):
    client.force_login(venue.admin)
    upload = SimpleUploadedFile("tamu.csv", CSV_GOOD.encode("utf-8-sig"), "text/csv")
    response = client.post(url("venue_import", venue), {"file": upload})
    assert response.status_code == 302
    assert list(Invitation.objects.order_by("pk").values_list("name", "email", "whatsapp")) == [
        ("Budi Santoso", "budi@kominfo.example", "6281325001005"),
        ("Siti Norhayati", "", ""),
        ("Rudi Hartono", "", "6281325007001"),
    ]
    assert AuditEntry.objects.filter(action="invitation.create").count() == 3


def test_a_bad_csv_reports_each_row_and_imports_nothing(client, venue):
    before = db_state()
    client.force_login(venue.admin)
    text = (
        "Budi Santoso,Dinas Kominfo,,budi@kominfo.example,081325001005\n"
        ",Tanpa Nama,,,\n"
        "Siti,Dinas,Kepala,bukan-email,\n"
        "Rudi,Bank,,,12345\n"
        "Ani,A,B,a@b.example,08123456789,lebih\n"
    )
    upload = SimpleUploadedFile("tamu.csv", text.encode(), "text/csv")
    response = client.post(url("venue_import", venue), {"file": upload})
    assert response.status_code == 400
    assert response.context["import_form"].errors["file"] == [
        _id("Row %(line)s: %(problem)s", line=2, problem=_id("the name is missing.")),
        _id(
            "Row %(line)s: %(problem)s",
            line=3,
            problem=_id("“%(email)s” is not an email address.", email="bukan-email"),
        ),
        _id(
            "Row %(line)s: %(problem)s",
            line=4,
            problem=_id("“%(number)s” is not an Indonesian mobile number.", number="12345"),
        ),
        _id(
            "Row %(line)s: %(problem)s",
            line=5,
            problem=_id("too many columns (expected name, institution, title, email, whatsapp)."),
        ),
    ]
    assert db_state() == before


@pytest.mark.parametrize(
    "content, error",
    [
        (b"\xff\xfe\x00b\x00a", "Save the file as CSV (UTF-8)."),
        (b"name,institution\n", "The file has no guests."),
    ],
)
def test_an_unreadable_csv_is_refused(client, venue, content, error):
    client.force_login(venue.admin)
    upload = SimpleUploadedFile("tamu.csv", content, "text/csv")
    response = client.post(url("venue_import", venue), {"file": upload})
    assert response.status_code == 400
    assert response.context["import_form"].errors["file"] == [_id(error)]
    assert Invitation.objects.count() == 0


def test_send_the_rsvp_link_by_email(client, venue, django_capture_on_commit_callbacks):
    guest = tickets.invitation_create(
        expo=venue.expo, actor=venue.admin, name="Rina", email="rina@kemenkop.example"
    )
    no_email = tickets.invitation_create(expo=venue.expo, actor=venue.admin, name="Salahudin")
    client.force_login(venue.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("venue_invitation_send", venue, guest.pk))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rina@kemenkop.example"]
    assert f"/undangan/{guest.token}/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="invitation.send").count() == 1
    response = client.post(url("venue_invitation_send", venue, no_email.pk))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert client.get(url("venue_invitation_send", venue, guest.pk)).status_code == 405


def test_badges_of_the_accepted_guests(client, venue):
    yes = tickets.invitation_create(expo=venue.expo, actor=venue.admin, name="H. Salahudin")
    tickets.invitation_create(expo=venue.expo, actor=venue.admin, name="Belum Menjawab")
    tickets.invitation_respond(invitation=yes, accept=True, now=at(20, 9))
    client.force_login(venue.admin)
    page = html(client.get(url("venue_invitations", venue)))
    assert url("venue_badges", venue) in page
    response = client.get(url("venue_badges", venue))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(venue.gate)
    assert client.get(url("venue_badges", venue)).status_code == 404


# --- gate devices ---------------------------------------------------------------------


def test_a_new_gate_device_shows_its_token_once(client, venue):
    client.force_login(venue.admin)
    response = client.post(url("venue_gates", venue), {"name": "Gerbang A"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = response.context["token"]
    device = GateDevice.objects.get()
    assert (device.name, device.token_hash, device.created_by) == (
        "Gerbang A",
        secret_hash(token),
        venue.admin,
    )
    page = html(response)
    assert f"http://testserver/gerbang/#token={token}" in page or f"/gerbang/#token={token}" in page
    assert "<svg" in page
    assert tickets.gate_device_for_token(token, now=at(24, 9)) == device
    # Never again: the list shows the device, not its token.
    again = html(client.get(url("venue_gates", venue)))
    assert "Gerbang A" in again
    assert token not in again


def test_a_gate_device_needs_a_name(client, venue):
    client.force_login(venue.admin)
    response = client.post(url("venue_gates", venue), {"name": ""})
    assert response.status_code == 400
    assert GateDevice.objects.count() == 0


def test_revoke_a_gate_device(client, venue):
    device, token = tickets.gate_device_create(expo=venue.expo, actor=venue.admin, name="B")
    client.force_login(venue.staff)
    assert client.get(url("venue_gate_revoke", venue, device.pk)).status_code == 200
    response = client.post(url("venue_gate_revoke", venue, device.pk))
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.revoked_at is not None
    assert tickets.gate_device_for_token(token) is None
    page = html(client.get(url("venue_gates", venue)))
    assert _id("Revoked") in page
    # Twice does nothing more.
    assert client.post(url("venue_gate_revoke", venue, device.pk)).status_code == 302
    assert AuditEntry.objects.filter(action__startswith="gate_device.revoke").count() == 1


def test_the_gate_officer_sees_the_devices_without_actions(client, venue):
    device, _ = tickets.gate_device_create(expo=venue.expo, actor=venue.admin, name="Gerbang A")
    client.force_login(venue.gate)
    page = html(client.get(url("venue_gates", venue)))
    assert "Gerbang A" in page
    assert url("venue_gate_revoke", venue, device.pk) not in page
    assert 'name="name"' not in page


# --- review fixes -----------------------------------------------------------------------


@pytest.mark.parametrize("who, status", [("gate", 200), ("staff", 200), ("outsider", 404)])
def test_the_occupancy_fragment_for_the_live_refresh(client, venue, who, status):
    ticket, _secret = register(venue.slot, "Sari Wulandari")
    client.force_login(getattr(venue, who))

    response = client.get(url("venue", venue) + "?part=occupancy")

    assert response.status_code == status
    if status == 200:
        page = html(response)
        assert response["Cache-Control"] == "no-store"
        assert 'data-venue-live="inside" aria-live="polite">0</dd>' in page
        assert "<h1>" not in page and "Sari Wulandari" not in page


def test_the_venue_page_loads_its_live_script(client, venue):
    client.force_login(venue.gate)
    page = html(client.get(url("venue", venue)))
    assert f'data-venue-refresh="{url("venue", venue)}?part=occupancy"' in page
    assert "js/venue_live" in page


def test_a_new_ticket_link_for_a_guest_kills_the_old_one(
    client, venue, django_capture_on_commit_callbacks
):
    guest = tickets.invitation_create(
        expo=venue.expo, actor=venue.admin, name="Rina", email="rina@kemenkop.example"
    )
    ticket, old = tickets.invitation_respond(invitation=guest, accept=True, now=at(20, 9))
    client.force_login(venue.staff)
    assert (
        client.get(url("venue_invitations", venue))
        .content.decode()
        .count(url("venue_ticket_reissue", venue, guest.pk))
        == 1
    )
    assert client.get(url("venue_ticket_reissue", venue, guest.pk)).status_code == 200
    assert Ticket.objects.get(pk=ticket.pk).secret_hash == secret_hash(old)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("venue_ticket_reissue", venue, guest.pk))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    new = re.search(r"/tiket/([A-Za-z0-9_-]{43})/", html(response)).group(1)
    assert Ticket.objects.get(pk=ticket.pk).secret_hash == secret_hash(new) != secret_hash(old)
    assert len(mail.outbox) == 1 and f"/tiket/{new}/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="ticket.reissue").count() == 1
    gate, _token = tickets.gate_device_create(expo=venue.expo, actor=None, name="A")
    assert (
        tickets.scan(device=gate, code=tickets.ticket_code(old), nonce="1", now=at(24, 9)).result
        == "unknown"
    )


class FailingMailServer:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({})


def test_a_failing_mail_server_shows_an_error_and_records_nothing(client, venue, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingMailServer"
    guest = tickets.invitation_create(
        expo=venue.expo, actor=venue.admin, name="Rina", email="rina@kemenkop.example"
    )
    client.force_login(venue.admin)

    response = client.post(url("venue_invitation_send", venue, guest.pk), follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        _id(
            "The email to %(email)s could not be sent; try again later.",
            email="rina@kemenkop.example",
        )
    ]
    assert not AuditEntry.objects.filter(action="invitation.send").exists()


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "2021-11-22T23:00", "9999-12-31T10:00"])
def test_slot_times_far_from_the_expo_are_refused(client, venue, starts_at):
    client.force_login(venue.admin)
    expo = Expo.objects.get(pk=venue.expo.pk)
    expo.time_zone = "Asia/Jayapura"
    expo.save()

    response = client.post(url("venue", venue), {**SLOT_POST, "starts_at": starts_at})

    assert response.status_code == 400
    assert response.context["form"].errors["starts_at"] == [
        _id(
            "Choose a time between %(first)s and %(last)s.",
            first="23 November 2021",
            last="26 November 2021",
        )
    ]
    assert TimeSlot.objects.count() == 1


def test_an_imported_single_guest_is_counted_in_the_singular(client, venue):
    client.force_login(venue.admin)
    csv_file = SimpleUploadedFile("tamu.csv", b"Budi Santoso,Dinas Kominfo\n")

    response = client.post(url("venue_import", venue), {"file": csv_file}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        _nid("%(count)s guest is invited.", "%(count)s guests are invited.", 1, count=1)
    ]


def test_an_offline_admission_of_a_cancelled_ticket_is_listed_with_its_reason(client, venue):
    ticket, secret = register(venue.slot, "Sari Wulandari")
    tickets.ticket_cancel(ticket=ticket, now=at(20, 10))
    gate, _token = tickets.gate_device_create(expo=venue.expo, actor=None, name="Gerbang A")
    tickets.sync(
        device=gate,
        scans=[
            {
                "nonce": "1",
                "code": tickets.ticket_code(secret),
                "scanned_at": at(24, 10).isoformat(),
                "verdict": "admitted",
            }
        ],
        now=at(24, 11),
    )
    client.force_login(venue.admin)

    page = html(client.get(url("venue", venue)))

    assert "Sari Wulandari" in page
    assert _id("Admitted offline although cancelled") in page
