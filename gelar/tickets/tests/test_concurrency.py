"""Races at the venue: 20 visitors for the last 5 places of a slot, two gates scanning
one ticket at the same moment, one scan sent twice at once.

Each visitor or gate is a thread on its own database connection, lined up by a barrier
(the pattern of gelar/orders/tests/test_stock_concurrency.py, whose docstring explains
the SQLite set-up). With the conditional UPDATE exactly 5 tickets are made; with the
read-check-write that `lock=False` swaps in, the slot is oversold -- the test can see
the race it guards against. That demonstration is PostgreSQL only (SQLite serialises
writers); the two-gates test runs on both.
"""

import time

import pytest
from django.db import connection

from gelar.orders.tests.test_stock_concurrency import in_thread, run_together
from gelar.testing import at, make_expo
from gelar.tickets import services as s
from gelar.tickets.models import Scan, Ticket, TimeSlot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to show",
)

VISITORS = 20
PLACES = 5
NOW = at(24, 10)


@pytest.fixture
def slot():
    expo = make_expo()
    return TimeSlot.objects.create(
        expo=expo, starts_at=at(24, 9), ends_at=at(24, 12), capacity=PLACES
    )


@pytest.fixture
def slow_write(monkeypatch):
    """Widen the window between reading `taken` and writing it, as a busy server would."""
    save = TimeSlot.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.05)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(TimeSlot, "save", slow_save)


def register(slot, *, lock=True):
    def work(i: int) -> str:
        try:
            s.register_for_slot(
                slot=slot,
                holder_name=f"Pengunjung {i}",
                whatsapp=f"08123456{i:04d}",
                now=NOW,
                lock=lock,
            )
        except s.SlotFull:
            return "full"
        return "registered"

    return work


def tickets_and_taken(slot) -> tuple[int, int]:
    return in_thread(
        lambda: (
            Ticket.objects.filter(slot=slot).count(),
            TimeSlot.objects.values_list("taken", flat=True).get(pk=slot.pk),
        )
    )


def test_twenty_visitors_for_five_places_get_exactly_five(slot, slow_write, threads_database):
    threads_database()

    results = run_together(VISITORS, register(slot))

    assert results == ["full"] * (VISITORS - PLACES) + ["registered"] * PLACES
    assert tickets_and_taken(slot) == (PLACES, PLACES)


@postgres_only
def test_without_the_conditional_update_the_slot_is_oversold(slot, slow_write):
    results = run_together(VISITORS, register(slot, lock=False))

    tickets, taken = tickets_and_taken(slot)
    assert results.count("registered") > PLACES
    assert tickets > PLACES
    assert taken < tickets  # lost updates: the counter no longer matches the tickets


def test_one_form_submitted_four_times_at_once_makes_one_ticket(slot, threads_database):
    """A double tap reaching two app processes: no cache between them, only the database."""
    threads_database()
    key = "9f1c2b7a4e6d48b0a3c5d7e9f1a2b3c4"

    def submit(i: int) -> str:
        registration = s.register_from_form(
            idempotency_key=key, slot=slot, holder_name="Siti", whatsapp="081234567890", now=NOW
        )
        return f"{'created' if registration.created else 'found'} {registration.secret}"

    results = run_together(4, submit)

    secret = s.registration_secret(key)
    assert results == [f"created {secret}"] + [f"found {secret}"] * 3
    assert tickets_and_taken(slot) == (1, 1)


@pytest.fixture
def ticket_at_two_gates(slot):
    ticket, secret = s.register_for_slot(
        slot=slot, holder_name="Siti", whatsapp="081234567890", now=NOW
    )
    gate_a, _ = s.gate_device_create(expo=slot.expo, actor=None, name="Gerbang A")
    gate_b, _ = s.gate_device_create(expo=slot.expo, actor=None, name="Gerbang B")
    return ticket, s.ticket_code(secret), [gate_a, gate_b]


def test_two_gates_scanning_one_ticket_at_once_admit_it_once(ticket_at_two_gates, threads_database):
    ticket, code, gates = ticket_at_two_gates
    threads_database()

    results = run_together(
        2, lambda i: s.scan(device=gates[i], code=code, nonce=f"gate-{i}", now=NOW).result
    )

    assert results == ["admitted", "already_used"]
    assert in_thread(lambda: Ticket.objects.filter(admitted_at=NOW).count()) == 1
    assert in_thread(lambda: Scan.objects.count()) == 2


def test_one_scan_sent_twice_at_once_is_recorded_once(ticket_at_two_gates, threads_database):
    ticket, code, gates = ticket_at_two_gates
    threads_database()

    results = run_together(
        4, lambda i: s.scan(device=gates[0], code=code, nonce="retry", now=NOW).result
    )

    assert results == ["admitted"] * 4
    assert in_thread(lambda: Scan.objects.count()) == 1


def test_an_unknown_code_sent_twice_at_once_is_recorded_once(ticket_at_two_gates, threads_database):
    ticket, code, gates = ticket_at_two_gates
    threads_database()

    results = run_together(
        4, lambda i: s.scan(device=gates[0], code="hello", nonce="junk", now=NOW).result
    )

    assert results == ["unknown"] * 4
    assert in_thread(lambda: Scan.objects.count()) == 1


def test_a_cancel_and_an_entry_at_once_never_leave_an_admitted_cancelled_ticket(
    ticket_at_two_gates, threads_database
):
    ticket, code, gates = ticket_at_two_gates
    threads_database()

    def work(i: int) -> str:
        if i == 0:
            return s.scan(device=gates[0], code=code, nonce="entry", now=NOW).result
        try:
            s.ticket_cancel(ticket=ticket, now=NOW)
        except s.AlreadyAdmitted as error:
            return error.code
        return "cancel_done"

    results = run_together(2, work)

    status, admitted_at, taken = in_thread(
        lambda: Ticket.objects.values_list("status", "admitted_at", "slot__taken").get(pk=ticket.pk)
    )
    # Either the entry came first (the cancel is refused, the place stays taken) or the
    # cancel did (the gate says cancelled, the place is free) -- never both.
    assert results in (["admitted", "already_admitted"], ["cancel_done", "cancelled"])
    if results == ["admitted", "already_admitted"]:
        assert (status, admitted_at, taken) == ("valid", NOW, 1)
    else:
        assert (status, admitted_at, taken) == ("cancelled", None, 0)
