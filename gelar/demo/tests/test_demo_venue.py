"""The demo's venue: the 2021 hall by invitation (guests, their answers, the check-in
synced from two gates with one conflict) and the 2027 public slots with registrations
and two gate devices whose pairing links demo_logins prints."""

import datetime
import zoneinfo

import pytest

from gelar.demo import data
from gelar.demo.services import demo_load, demo_logins_text
from gelar.events.models import Expo
from gelar.tickets import services as tickets
from gelar.tickets.models import GateDevice, Invitation, Scan, Ticket, TimeSlot

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture
def demo():
    return demo_load(scale=1)


def test_the_2021_guest_list(demo):
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2021")
    assert expo.status == "closed"
    guests = Invitation.objects.filter(expo=expo)
    assert guests.count() == 25
    assert {s: guests.filter(status=s).count() for s in ("accepted", "declined", "invited")} == {
        "accepted": 21,
        "declined": 2,
        "invited": 2,
    }
    assert guests.get(name="Hj. Inggit Soraya").institution == "Dekranasda Kota Pekalongan"
    invited = Ticket.objects.filter(expo=expo, kind="invited", status="valid")
    assert invited.count() == 21
    assert (demo.guests, demo.slots, demo.tickets) == (25, 6, 73)
    assert "25 invited guests, 6 venue slots, 73 tickets" in demo.as_text()


def test_the_2021_check_in_and_its_conflict(demo):
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2021")
    gates = list(GateDevice.objects.filter(expo=expo).values_list("name", flat=True))
    assert gates == ["Gerbang Utama", "Pintu VIP"]
    scans = Scan.objects.filter(device__expo=expo)
    assert scans.count() == len(data.SCANS_2021) == 21
    assert {r: scans.filter(result=r).count() for r in ("admitted", "conflict")} == {
        "admitted": 20,
        "conflict": 1,
    }
    assert Ticket.objects.filter(expo=expo, admitted_at__isnull=False).count() == 20
    (conflict,) = tickets.conflicts(expo=expo)
    assert (conflict.device.name, conflict.scanned_at) == (
        "Pintu VIP",
        datetime.datetime(2021, 11, 24, 10, 16, tzinfo=WIB),
    )
    assert (conflict.entered_gate, conflict.entered_at) == (
        "Gerbang Utama",
        datetime.datetime(2021, 11, 24, 8, 40, tzinfo=WIB),
    )
    assert conflict.ticket.holder_name == data.GUESTS_2021[9][0]


def test_the_2027_public_slots(demo):
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2027")
    slots = list(TimeSlot.objects.filter(expo=expo))
    assert [
        (s.starts_at.astimezone(WIB).strftime("%d %H:%M"), s.capacity, s.taken, s.is_public)
        for s in slots
    ] == [
        ("20 09:00", 300, 18, True),
        ("20 13:00", 300, 12, True),
        ("20 18:00", 300, 6, True),
        ("21 09:00", 300, 9, True),
        ("21 13:00", 300, 4, True),
        ("21 18:00", 300, 3, True),
    ]
    assert Ticket.objects.filter(expo=expo, kind="public", status="valid").count() == 52
    assert Invitation.objects.filter(expo=expo).count() == 0


def test_the_2027_gates_pair_with_the_printed_links(demo):
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2027")
    text = demo_logins_text()
    for name, token in data.GATES_2027:
        device = tickets.gate_device_for_token(token)
        assert (device.name, device.expo) == (name, expo)
        assert f"{name}: http://127.0.0.1:8000/gerbang/#token={token}" in text


def test_a_reset_rebuilds_the_venue(demo):
    rebuilt = demo_load(scale=1, reset=True)
    assert (rebuilt.guests, rebuilt.slots, rebuilt.tickets) == (25, 6, 73)
    assert Scan.objects.count() == 21
    assert GateDevice.objects.count() == 4
