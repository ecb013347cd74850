"""The venue's rules: registration within capacity, invitations, scans and sync."""

import datetime
import random

import pytest
from django.utils import translation

from gelar.audit.models import AuditEntry
from gelar.events.models import Expo
from gelar.testing import at, make_expo
from gelar.tickets import services as s
from gelar.tickets.models import Invitation, Scan, Ticket, TimeSlot, secret_hash

pytestmark = pytest.mark.django_db

NOW = at(24, 10)


@pytest.fixture
def venue():
    expo = make_expo()
    slot = TimeSlot.objects.create(
        expo=expo, name="Rabu pagi", starts_at=at(24, 9), ends_at=at(24, 12), capacity=5
    )
    gate_a, _token = s.gate_device_create(expo=expo, actor=None, name="Gerbang A")
    gate_b, _token = s.gate_device_create(expo=expo, actor=None, name="Gerbang B")
    return expo, slot, gate_a, gate_b


def register(slot, n=1, **fields):
    values = {"holder_name": f"Pengunjung {n}", "whatsapp": f"08123456{n:04d}", "now": NOW}
    return s.register_for_slot(slot=slot, **{**values, **fields})


def code(secret):
    return s.ticket_code(secret)


# --- registration -----------------------------------------------------------------------


def test_registration_takes_a_place_and_returns_the_secret_once(venue):
    expo, slot, *_ = venue

    ticket, secret = register(slot, holder_name="  Siti   Aminah ", whatsapp="0812-3456-0001")

    assert ticket.holder_name == "Siti Aminah"
    assert ticket.whatsapp == "6281234560001"
    assert ticket.secret_hash == secret_hash(secret)
    assert len(secret) == 43
    assert ticket.number == f"P{ticket.pk:06d}"
    assert s.parse_ticket_code(code(secret)) == secret
    assert s.parse_ticket_code(" " + code(secret) + "\n") == secret
    assert TimeSlot.objects.get(pk=slot.pk).taken == 1
    assert (
        AuditEntry.objects.filter(action="ticket.register", object_id=str(ticket.pk)).count() == 1
    )


def test_a_full_slot_refuses_and_a_cancellation_frees_one_place_once(venue):
    expo, slot, *_ = venue
    tickets = [register(slot, n)[0] for n in range(5)]

    with pytest.raises(s.SlotFull):
        register(slot, 99)

    s.ticket_cancel(ticket=tickets[0], now=NOW)
    s.ticket_cancel(ticket=tickets[0], now=NOW)
    assert TimeSlot.objects.get(pk=slot.pk).taken == 4
    register(slot, 99)
    assert TimeSlot.objects.get(pk=slot.pk).taken == 5
    assert Ticket.objects.filter(slot=slot, status="valid").count() == 5


def test_at_most_four_tickets_per_whatsapp_number_per_slot(venue):
    expo, slot, *_ = venue
    slot.capacity = 10
    slot.save()
    for i in range(4):
        register(slot, 1, holder_name=f"Anggota {i}")

    with pytest.raises(s.TooManyTickets):
        register(slot, 1, holder_name="Anggota 5")

    assert TimeSlot.objects.get(pk=slot.pk).taken == 4
    assert Ticket.objects.count() == 4


@pytest.mark.parametrize(
    "change, code",
    [
        ({"is_public": False}, "registration_closed"),
        ({"starts_at": at(23, 9), "ends_at": at(23, 12)}, "slot_over"),
    ],
)
def test_closed_or_past_slots_refuse_registration(venue, change, code):
    expo, slot, *_ = venue
    TimeSlot.objects.filter(pk=slot.pk).update(**change)
    slot.refresh_from_db()

    with pytest.raises(s.RegistrationClosed) as error:
        register(slot)

    assert error.value.code == code
    assert TimeSlot.objects.get(pk=slot.pk).taken == 0


def test_a_draft_expo_takes_no_registrations(venue):
    expo, slot, *_ = venue
    Expo.objects.filter(pk=expo.pk).update(status=Expo.Status.DRAFT)
    slot.refresh_from_db()

    with pytest.raises(s.RegistrationClosed):
        register(slot)


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"holder_name": "   "}, "name_required"),
        ({"whatsapp": "", "email": ""}, "contact_required"),
        ({"whatsapp": "", "email": "bukan-email"}, "email_invalid"),
        ({"whatsapp": "12345"}, "whatsapp_invalid"),
        ({"holder_name": "x" * 201}, "name_too_long"),
    ],
)
def test_bad_registration_input_is_refused_with_a_code(venue, fields, code):
    expo, slot, *_ = venue

    with pytest.raises(s.TicketInvalid) as error:
        register(slot, **fields)

    assert error.value.code == code
    assert Ticket.objects.count() == 0


# --- invitations ------------------------------------------------------------------------


def test_an_invitation_accepted_declined_and_accepted_again(venue):
    expo, *_ = venue
    invitation = s.invitation_create(
        expo=expo,
        actor=None,
        name="Drs. Bambang Sutrisno",
        institution="Dinas Koperasi Provinsi Jawa Tengah",
        title="Kepala Dinas",
        whatsapp="081234500099",
    )

    ticket, secret = s.invitation_respond(invitation=invitation, accept=True, now=NOW)
    assert ticket.kind == "invited" and ticket.slot is None
    assert ticket.number == f"U{ticket.pk:06d}"
    assert ticket.secret_hash == secret_hash(secret)

    again, no_secret = s.invitation_respond(invitation=invitation, accept=True, now=NOW)
    assert (again.pk, no_secret) == (ticket.pk, None)

    assert s.invitation_respond(invitation=invitation, accept=False, now=NOW) == (None, None)
    ticket.refresh_from_db()
    assert ticket.status == "cancelled"
    assert Invitation.objects.get(pk=invitation.pk).status == "declined"

    revived, new_secret = s.invitation_respond(invitation=invitation, accept=True, now=NOW)
    assert revived.pk == ticket.pk and revived.status == "valid"
    assert new_secret != secret
    assert Ticket.objects.count() == 1


def test_a_closed_expo_takes_no_more_answers(venue):
    expo, *_ = venue
    invitation = s.invitation_create(expo=expo, actor=None, name="Tamu")

    with pytest.raises(s.RegistrationClosed):
        s.invitation_respond(invitation=invitation, accept=True, now=at(26, 9))


def test_a_reissued_secret_kills_the_old_code(venue):
    expo, slot, gate_a, _ = venue
    ticket, old = register(slot)

    new = s.ticket_reissue_secret(ticket=ticket, actor=None)

    gone = s.scan(device=gate_a, code=code(old), nonce="n1", now=NOW)
    fine = s.scan(device=gate_a, code=code(new), nonce="n2", now=NOW)
    assert (gone.result, fine.result) == ("unknown", "admitted")


# --- online scans -----------------------------------------------------------------------


def test_the_second_entry_is_refused_naming_the_first_gate_and_time(venue):
    expo, slot, gate_a, gate_b = venue
    ticket, secret = register(slot)

    with translation.override("en"):
        first = s.scan(device=gate_a, code=code(secret), nonce="a1", now=at(24, 10, 42))
        second = s.scan(device=gate_b, code=code(secret), nonce="b1", now=at(24, 10, 50))

    assert (first.result, first.ok, first.reason) == ("admitted", True, "Valid.")
    assert (second.result, second.ok) == ("already_used", False)
    assert second.reason == "Already used at Gerbang A at 10:42."
    assert second.first_admission == ("Gerbang A", at(24, 10, 42))
    ticket.refresh_from_db()
    assert (ticket.admitted_at, ticket.admitted_gate, ticket.inside) == (
        at(24, 10, 42),
        gate_a,
        True,
    )


def test_reasons_show_the_time_in_the_expos_zone(venue):
    expo, slot, gate_a, gate_b = venue
    Expo.objects.filter(pk=expo.pk).update(time_zone="Asia/Makassar")
    gate_a.refresh_from_db()
    gate_b.refresh_from_db()
    ticket, secret = register(slot)
    s.scan(device=gate_a, code=code(secret), nonce="a1", now=at(24, 10, 42))

    with translation.override("id"):
        second = s.scan(device=gate_b, code=code(secret), nonce="b1", now=at(24, 10, 50))

    assert "11.42" in second.reason  # 10.42 WIB is 11.42 WITA


def test_the_same_nonce_again_returns_the_stored_outcome(venue):
    expo, slot, gate_a, _ = venue
    ticket, secret = register(slot)

    first = s.scan(device=gate_a, code=code(secret), nonce="same", now=NOW)
    again = s.scan(device=gate_a, code=code(secret), nonce="same", now=NOW)

    assert (first.result, again.result) == ("admitted", "admitted")
    assert again.scan.pk == first.scan.pk
    assert Scan.objects.count() == 1


def test_exit_then_reentry_is_allowed_and_occupancy_counts_who_is_inside(venue):
    expo, slot, gate_a, gate_b = venue
    one, secret_one = register(slot, 1)
    two, secret_two = register(slot, 2)
    s.scan(device=gate_a, code=code(secret_one), nonce="1", now=at(24, 10))
    s.scan(device=gate_a, code=code(secret_two), nonce="2", now=at(24, 10, 1))
    assert s.occupancy(expo=expo, now=at(24, 10, 5)) == {
        "inside": 2,
        "capacity_now": 5,
        "admitted_today": 2,
    }

    out = s.scan(device=gate_b, code=code(secret_one), direction="exit", nonce="3", now=at(24, 11))
    assert (out.result, out.ok) == ("exited", True)
    one.refresh_from_db()
    assert one.inside is False
    assert s.occupancy(expo=expo, now=at(24, 11, 1))["inside"] == 1

    with translation.override("en"):
        back = s.scan(device=gate_a, code=code(secret_one), nonce="4", now=at(24, 11, 20))
    assert (back.result, back.reason) == ("admitted", "Valid (re-entry).")
    one.refresh_from_db()
    assert (one.inside, one.admitted_at) == (True, at(24, 10))
    assert s.occupancy(expo=expo, now=at(24, 11, 21)) == {
        "inside": 2,
        "capacity_now": 5,
        "admitted_today": 2,
    }
    assert s.occupancy(expo=expo, now=at(25, 10))["inside"] == 0  # a new day


def test_the_slot_window_with_its_grace_period(venue):
    expo, slot, gate_a, _ = venue
    early, secret_early = register(slot, 1)
    ok, secret_ok = register(slot, 2)

    with translation.override("en"):
        refused = s.scan(device=gate_a, code=code(secret_early), nonce="1", now=at(24, 8, 29))
    allowed = s.scan(device=gate_a, code=code(secret_ok), nonce="2", now=at(24, 8, 30))
    late = s.scan(device=gate_a, code=code(secret_early), nonce="3", now=at(24, 12, 31))

    assert refused.result == "wrong_day"
    assert refused.reason == "Not valid now: this ticket is for Wednesday 24 November 09:00–12:00."
    assert allowed.result == "admitted"
    assert late.result == "wrong_day"
    early.refresh_from_db()
    assert early.admitted_at is None


def test_an_invited_guest_enters_on_each_expo_day_but_not_after(venue):
    expo, _slot, gate_a, gate_b = venue
    invitation = s.invitation_create(expo=expo, actor=None, name="Ibu Wali Kota")
    ticket, secret = s.invitation_respond(invitation=invitation, accept=True, now=NOW)

    day1 = s.scan(device=gate_a, code=code(secret), nonce="1", now=at(24, 9))
    twice = s.scan(device=gate_b, code=code(secret), nonce="2", now=at(24, 13))
    day2 = s.scan(device=gate_a, code=code(secret), nonce="3", now=at(25, 9))
    after = s.scan(device=gate_a, code=code(secret), nonce="4", now=at(26, 9))

    assert [o.result for o in (day1, twice, day2, after)] == [
        "admitted",
        "already_used",
        "admitted",
        "wrong_day",
    ]
    ticket.refresh_from_db()
    assert ticket.admitted_at == at(24, 9)


def test_a_cancelled_ticket_is_refused(venue):
    expo, slot, gate_a, _ = venue
    ticket, secret = register(slot)
    s.ticket_cancel(ticket=ticket, now=NOW)

    with translation.override("en"):
        outcome = s.scan(device=gate_a, code=code(secret), nonce="1", now=NOW)

    assert (outcome.result, outcome.ok, outcome.reason) == (
        "cancelled",
        False,
        "This ticket was cancelled.",
    )


def test_forged_random_and_foreign_codes_are_never_admitted(venue):
    expo, slot, gate_a, _ = venue
    ticket, secret = register(slot)
    other_expo = make_expo()
    other_slot = TimeSlot.objects.create(
        expo=other_expo, starts_at=at(24, 9), ends_at=at(24, 12), capacity=5
    )
    foreign, foreign_secret = register(other_slot)
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    codes = [
        code(tampered),
        "GLR1." + "x" * 43,
        "hello",
        "",
        "https://example.com/" + secret,
        secret,  # the secret without the prefix
        code(secret) + "x",
        code(foreign_secret),
    ]

    results = [s.scan(device=gate_a, code=c, nonce=f"n{i}", now=NOW) for i, c in enumerate(codes)]

    assert [r.result for r in results] == ["unknown"] * 7 + ["other_expo"]
    assert all(r.ticket is None and not r.ok for r in results)
    assert Ticket.objects.filter(admitted_at__isnull=False).count() == 0


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"nonce": ""}, "nonce_invalid"),
        ({"nonce": "x" * 65}, "nonce_invalid"),
        ({"nonce": "a\nb"}, "nonce_invalid"),
        ({"code": "GLR1.\x00"}, "code_invalid"),
        ({"code": "x" * 5000}, "code_invalid"),
        ({"code": 12345}, "code_invalid"),
        ({"direction": "sideways"}, "direction_invalid"),
        ({"scanned_at": "kemarin"}, "time_invalid"),
        ({"scanned_at": "2021-11-24T10:00:00"}, "time_invalid"),
        ({"scanned_at": "2021-11-24T11:00:00+07:00"}, "time_future"),
    ],
)
def test_malformed_scans_are_refused_and_store_nothing(venue, fields, code):
    expo, slot, gate_a, _ = venue
    values = {"code": "GLR1.abc", "nonce": "n1", "direction": "entry", "now": NOW, **fields}

    with pytest.raises(s.ScanInvalid) as error:
        s.scan(device=gate_a, **values)

    assert error.value.code == code
    assert Scan.objects.count() == 0


# --- gate devices -----------------------------------------------------------------------


def test_a_revoked_device_is_not_found_by_its_token(venue):
    expo, *_ = venue
    device, token = s.gate_device_create(expo=expo, actor=None, name="Gerbang C")
    assert s.gate_device_for_token(token, now=NOW) == device
    assert device.token_hash == secret_hash(token)

    s.gate_device_revoke(device=device, actor=None)

    assert s.gate_device_for_token(token, now=NOW) is None
    assert s.gate_device_for_token("x" * 43) is None
    assert s.gate_device_for_token(None) is None


def test_the_gate_ticket_list_has_hashes_and_no_secrets(venue):
    expo, slot, gate_a, _ = venue
    ticket, secret = register(slot, holder_name="Siti")
    cancelled, _secret = register(slot, 2, holder_name="Budi")
    s.ticket_cancel(ticket=cancelled, now=NOW)
    other = make_expo()
    register(
        TimeSlot.objects.create(expo=other, starts_at=at(24, 9), ends_at=at(24, 12), capacity=1)
    )

    rows = s.gate_ticket_list(device=gate_a)

    assert rows == [
        {
            "h": secret_hash(secret),
            "n": ticket.number,
            "name": "Siti",
            "kind": "public",
            "slot": ["2021-11-24T09:00:00+07:00", "2021-11-24T12:00:00+07:00"],
            "status": "valid",
            "admitted_at": None,
            "admitted_gate": None,
        },
        {
            "h": cancelled.secret_hash,
            "n": cancelled.number,
            "name": "Budi",
            "kind": "public",
            "slot": ["2021-11-24T09:00:00+07:00", "2021-11-24T12:00:00+07:00"],
            "status": "cancelled",
            "admitted_at": None,
            "admitted_gate": None,
        },
    ]
    assert secret not in str(rows)


# --- sync -------------------------------------------------------------------------------

LATER = at(24, 14)


def item(secret, nonce, when, direction="entry"):
    return {"nonce": nonce, "code": code(secret), "direction": direction, "scanned_at": when}


def test_a_repeated_sync_changes_nothing_and_gives_the_same_results(venue):
    expo, slot, gate_a, _ = venue
    secrets = [register(slot, n)[1] for n in range(3)]
    batch = [item(sec, f"a{i}", at(24, 10, i).isoformat()) for i, sec in enumerate(secrets)]
    batch.append(item(secrets[0], "a9", at(24, 10, 30).isoformat()))

    first = s.sync(device=gate_a, scans=batch, now=LATER)
    scans = Scan.objects.count()
    again = s.sync(device=gate_a, scans=batch, now=LATER)

    assert [r["result"] for r in first.results] == ["admitted"] * 3 + ["conflict"]
    assert again.results == first.results
    assert Scan.objects.count() == scans == 4


def test_sync_processes_in_scan_time_order_and_answers_in_the_order_sent(venue):
    expo, slot, gate_a, _ = venue
    ticket, secret = register(slot)
    batch = [
        item(secret, "late", at(24, 10, 30).isoformat()),
        item(secret, "early", at(24, 10, 0).isoformat()),
    ]

    result = s.sync(device=gate_a, scans=batch, now=LATER)

    assert [(r["nonce"], r["result"]) for r in result.results] == [
        ("late", "conflict"),
        ("early", "admitted"),
    ]
    ticket.refresh_from_db()
    assert ticket.admitted_at == at(24, 10)


def test_an_earlier_offline_entry_displaces_a_later_online_admission(venue):
    expo, slot, gate_a, gate_b = venue
    ticket, secret = register(slot)
    online = s.scan(device=gate_a, code=code(secret), nonce="on", now=at(24, 10, 42))
    assert online.result == "admitted"

    with translation.override("en"):
        result = s.sync(
            device=gate_b, scans=[item(secret, "off", at(24, 10, 5).isoformat())], now=LATER
        )

    assert result.results[0]["result"] == "admitted"
    ticket.refresh_from_db()
    assert (ticket.admitted_at, ticket.admitted_gate) == (at(24, 10, 5), gate_b)
    displaced = Scan.objects.get(nonce="on")
    assert displaced.result == "conflict"
    conflict = s.conflicts(expo=expo).get()
    assert (conflict.device, conflict.scanned_at) == (gate_a, at(24, 10, 42))
    assert (conflict.entered_gate, conflict.entered_at) == ("Gerbang B", at(24, 10, 5))
    # The stored outcome, asked again, is the current one.
    with translation.override("en"):
        again = s.scan(device=gate_a, code=code(secret), nonce="on", now=LATER)
    assert (again.result, again.reason) == (
        "conflict",
        "Entered twice: also at Gerbang B at 10:05.",
    )


def test_five_percent_of_tickets_at_two_gates_give_one_admission_each(venue):
    expo, slot, gate_a, gate_b = venue
    slot.capacity = 200
    slot.save()
    gates = [gate_a, gate_b]
    secrets = [
        s.register_for_slot(slot=slot, holder_name=f"P{n}", email=f"p{n}@example.com", now=NOW)[1]
        for n in range(200)
    ]
    rng = random.Random(6)
    doubled = set(rng.sample(range(200), 10))
    queues = {gate.pk: [] for gate in gates}
    for n, secret in enumerate(secrets):
        minute = datetime.timedelta(seconds=n * 7)
        queues[gates[n % 2].pk].append(item(secret, f"{n}", (at(24, 9) + minute).isoformat()))
        if n in doubled:
            other = gates[(n + 1) % 2]
            later = at(24, 9) + minute + datetime.timedelta(minutes=3)
            queues[other.pk].append(item(secret, f"d{n}", later.isoformat()))

    # Gate B syncs first: its duplicates are admissions until gate A's earlier scans come.
    results_b = s.sync(device=gate_b, scans=queues[gate_b.pk], now=LATER)
    results_a = s.sync(device=gate_a, scans=queues[gate_a.pk], now=LATER)

    assert results_a.count("rejected") == results_b.count("rejected") == 0
    assert Scan.objects.filter(result="admitted").count() == 200
    assert Scan.objects.filter(result="conflict").count() == 10
    assert Ticket.objects.filter(admitted_at__isnull=False).count() == 200
    assert set(Scan.objects.filter(result="conflict").values_list("nonce", flat=True)) == {
        f"d{n}" for n in doubled
    }
    assert s.conflicts(expo=expo).count() == 10


def test_malformed_items_are_rejected_one_by_one_and_the_rest_processed(venue):
    expo, slot, gate_a, _ = venue
    ticket, secret = register(slot)
    when = at(24, 10).isoformat()
    batch = [
        {"code": code(secret), "scanned_at": when},  # no nonce
        {"nonce": "t", "code": code(secret), "scanned_at": "jam sepuluh"},
        {"nonce": "h", "code": "x" * 100_000, "scanned_at": when},
        {"nonce": "z", "code": "GLR1.\x00", "scanned_at": when},
        {"nonce": "i", "code": 42, "scanned_at": when},
        {"nonce": "s", "code": code(secret)},  # no time
        "not an object",
        None,
        {"nonce": "ok", "code": code(secret), "scanned_at": when},
        {"nonce": "junk", "code": "hello", "scanned_at": when},
    ]

    result = s.sync(device=gate_a, scans=batch, now=LATER)

    assert [(r["index"], r["result"]) for r in result.results] == [
        (0, "rejected"),
        (1, "rejected"),
        (2, "rejected"),
        (3, "rejected"),
        (4, "rejected"),
        (5, "rejected"),
        (6, "rejected"),
        (7, "rejected"),
        (8, "admitted"),
        (9, "unknown"),
    ]
    assert [r["code"] for r in result.results[:8]] == [
        "nonce_invalid",
        "time_invalid",
        "code_invalid",
        "code_invalid",
        "code_invalid",
        "time_invalid",
        "item_invalid",
        "item_invalid",
    ]
    assert all(r["reason"] for r in result.results)
    assert Scan.objects.count() == 2


def test_a_batch_over_the_limit_is_refused_whole(venue):
    expo, slot, gate_a, _ = venue
    batch = [{"nonce": f"{i}", "code": "x", "scanned_at": NOW.isoformat()} for i in range(1001)]

    with pytest.raises(s.ScanInvalid) as error:
        s.sync(device=gate_a, scans=batch, now=LATER)

    assert error.value.code == "batch_too_large"
    assert Scan.objects.count() == 0


def test_an_offline_exit_and_reentry_are_not_conflicts(venue):
    expo, slot, gate_a, gate_b = venue
    ticket, secret = register(slot)
    batch = [
        item(secret, "in", at(24, 10).isoformat()),
        item(secret, "out", at(24, 10, 30).isoformat(), direction="exit"),
        item(secret, "in2", at(24, 11).isoformat()),
    ]

    result = s.sync(device=gate_a, scans=batch, now=LATER)

    assert [r["result"] for r in result.results] == ["admitted", "exited", "admitted"]
    ticket.refresh_from_db()
    assert (ticket.admitted_at, ticket.inside) == (at(24, 10), True)


# --- review fixes: cancel after entry, verdicts, slots past midnight, nonces, devices ---


def offline(secret, nonce, when, verdict=None, direction="entry"):
    scan = item(secret, nonce, when.isoformat(), direction=direction)
    return scan if verdict is None else {**scan, "verdict": verdict}


def test_an_admitted_ticket_cannot_be_cancelled_and_keeps_its_place(venue):
    expo, slot, gate_a, _ = venue
    ticket, secret = register(slot)
    assert s.scan(device=gate_a, code=code(secret), nonce="in", now=NOW).result == "admitted"

    with pytest.raises(s.AlreadyAdmitted) as error:
        s.ticket_cancel(ticket=ticket, now=at(24, 10, 30))

    assert error.value.code == "already_admitted"
    ticket.refresh_from_db()
    assert (ticket.status, ticket.cancelled_at) == ("valid", None)
    assert TimeSlot.objects.get(pk=slot.pk).taken == 1
    assert not AuditEntry.objects.filter(action="ticket.cancel").exists()


def test_a_guest_admitted_once_cannot_decline_any_more(venue):
    expo, _slot, gate_a, _ = venue
    invitation = s.invitation_create(expo=expo, actor=None, name="Tamu")
    ticket, secret = s.invitation_respond(invitation=invitation, accept=True, now=NOW)
    s.scan(device=gate_a, code=code(secret), nonce="in", now=NOW)

    with pytest.raises(s.AlreadyAdmitted):
        s.invitation_respond(invitation=invitation, accept=False, now=at(24, 11))

    assert Invitation.objects.get(pk=invitation.pk).status == "accepted"
    assert Ticket.objects.get(pk=ticket.pk).status == "valid"


def test_an_offline_entry_made_before_the_cancel_stays_the_admission(venue):
    expo, slot, gate_a, gate_b = venue
    ticket, secret = register(slot)
    s.ticket_cancel(ticket=ticket, now=at(24, 10, 30))

    with translation.override("en"):
        result = s.sync(
            device=gate_a,
            scans=[offline(secret, "before", at(24, 10), verdict="admitted")],
            now=LATER,
        )
        online = s.scan(device=gate_b, code=code(secret), nonce="on", now=at(24, 11))

    assert [r["result"] for r in result.results] == ["admitted"]
    ticket.refresh_from_db()
    assert (ticket.admitted_at, ticket.admitted_gate, ticket.inside) == (at(24, 10), gate_a, True)
    # After the cancel, online, the gate refuses it.
    assert (online.result, online.reason) == ("cancelled", "This ticket was cancelled.")
    assert s.conflicts(expo=expo).count() == 0


def test_an_offline_admission_of_a_cancelled_ticket_is_a_conflict_with_its_reason(venue):
    expo, slot, gate_a, _ = venue
    ticket, secret = register(slot)
    s.ticket_cancel(ticket=ticket, now=at(24, 9, 30))

    with translation.override("en"):
        result = s.sync(
            device=gate_a,
            scans=[
                offline(secret, "new", at(24, 10), verdict="admitted"),
                offline(secret, "old", at(24, 10, 5)),  # an old client: no verdict
            ],
            now=LATER,
        )

    assert [(r["result"], r["ok"], r["reason"]) for r in result.results] == [
        ("conflict", False, "Admitted offline although cancelled."),
        ("conflict", False, "Admitted offline although cancelled."),
    ]
    assert [(c.nonce, c.anomaly) for c in s.conflicts(expo=expo)] == [
        ("old", "cancelled"),
        ("new", "cancelled"),
    ]
    ticket.refresh_from_db()
    assert (ticket.admitted_at, ticket.inside) == (None, True)
    assert s.occupancy(expo=expo, now=at(24, 10, 10))["inside"] == 1


def test_an_offline_admission_outside_the_window_is_a_conflict_with_its_reason(venue):
    expo, slot, gate_a, _ = venue
    ticket, secret = register(slot)

    with translation.override("en"):
        result = s.sync(
            device=gate_a, scans=[offline(secret, "early", at(24, 7), "admitted")], now=LATER
        )

    assert result.results[0]["result"] == "conflict"
    assert result.results[0]["reason"] == (
        "Admitted offline outside its time: this ticket is for Wednesday 24 November 09:00–12:00."
    )
    assert s.conflicts(expo=expo).get().anomaly == "outside_window"


def test_an_offline_refusal_is_recorded_and_moves_nothing(venue):
    expo, slot, gate_a, gate_b = venue
    ticket, secret = register(slot)
    cancelled, cancelled_secret = register(slot, 2)
    s.ticket_cancel(ticket=cancelled, now=at(24, 9))

    with translation.override("en"):
        result = s.sync(
            device=gate_a,
            scans=[
                offline(secret, "r1", at(24, 10), verdict="refused"),
                offline(cancelled_secret, "r2", at(24, 10, 1), verdict="refused"),
                offline(secret, "in", at(24, 10, 2), verdict="admitted"),
                offline(secret, "r3", at(24, 10, 3), verdict="refused"),
            ],
            now=LATER,
        )

    assert [(r["result"], r["ok"]) for r in result.results] == [
        ("refused_offline", False),
        ("refused_offline", False),
        ("admitted", True),
        ("refused_offline", False),
    ]
    assert result.results[0]["reason"] == "Refused at the gate (offline)."
    ticket.refresh_from_db()
    assert (ticket.admitted_at, ticket.inside) == (at(24, 10, 2), True)
    assert s.conflicts(expo=expo).count() == 0
    assert Ticket.objects.get(pk=cancelled.pk).inside is False


def test_a_bad_verdict_is_rejected_and_stores_nothing(venue):
    expo, slot, gate_a, _ = venue
    _ticket, secret = register(slot)

    result = s.sync(
        device=gate_a, scans=[offline(secret, "v", at(24, 10), verdict="maybe")], now=LATER
    )

    assert [(r["result"], r["code"], r["field"]) for r in result.results] == [
        ("rejected", "verdict_invalid", "verdict")
    ]
    assert Scan.objects.count() == 0


def test_a_public_slot_past_midnight_is_one_visit(venue):
    expo, _slot, gate_a, gate_b = venue
    night = TimeSlot.objects.create(
        expo=expo, name="Malam", starts_at=at(24, 22), ends_at=at(25, 2), capacity=5
    )
    online_ticket, online_secret = register(night, 1)
    offline_ticket, offline_secret = register(night, 2)

    s.scan(device=gate_a, code=code(online_secret), nonce="o1", now=at(24, 23, 30))
    again = s.scan(device=gate_b, code=code(online_secret), nonce="o2", now=at(25, 0, 30))
    result = s.sync(
        device=gate_b,
        scans=[
            offline(offline_secret, "f1", at(24, 23, 40)),
            offline(offline_secret, "f2", at(25, 0, 40)),
        ],
        now=at(25, 1),
    )

    assert again.result == "already_used"
    assert [r["result"] for r in result.results] == ["admitted", "conflict"]
    # Both are inside after midnight, though they entered yesterday.
    assert s.occupancy(expo=expo, now=at(25, 1))["inside"] == 2


def test_the_same_nonce_with_another_code_is_refused_and_records_nothing(venue):
    expo, slot, gate_a, _ = venue
    _first, first_secret = register(slot, 1)
    _second, second_secret = register(slot, 2)
    s.scan(device=gate_a, code=code(first_secret), nonce="n1", now=NOW)

    with pytest.raises(s.ScanInvalid) as error:
        s.scan(device=gate_a, code=code(second_secret), nonce="n1", now=NOW)
    result = s.sync(device=gate_a, scans=[offline(second_secret, "n1", at(24, 10, 1))], now=LATER)
    same = s.scan(device=gate_a, code=" " + code(first_secret) + "\n", nonce="n1", now=NOW)

    assert error.value.code == "nonce_reused"
    assert [(r["result"], r["code"]) for r in result.results] == [("rejected", "nonce_reused")]
    assert same.result == "admitted"
    assert Scan.objects.count() == 1
    assert Ticket.objects.get(pk=_second.pk).admitted_at is None


@pytest.mark.parametrize(
    "change, now",
    [
        ({"status": Expo.Status.CLOSED}, NOW),
        ({}, at(28, 9)),  # three days after the last day
    ],
)
def test_a_gate_device_of_a_closed_or_ended_expo_is_refused(venue, change, now):
    expo, *_ = venue
    device, token = s.gate_device_create(expo=expo, actor=None, name="Gerbang C")
    # The day after the last one, the last evening's scans still sync.
    assert s.gate_device_for_token(token, now=at(26, 20)) == device

    Expo.objects.filter(pk=expo.pk).update(**change)

    assert s.gate_device_for_token(token, now=now) is None
