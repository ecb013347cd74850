"""Refunds racing for the rest of an order: only one may have it.

Four people (or a person and a Midtrans notification) record Rp 200.000 back on
an order of Rp 300.000 of which Rp 100.000 is refunded already, at the same
moment. With the lock on the order row exactly one refund is recorded; with the
lock switched off each reads "Rp 200.000 left", waits a moment (a busy server)
and writes -- more is refunded than was ever paid, which shows the test can see
the race it guards against. Same set-up as
gelar/orders/tests/test_stock_concurrency.py (read it for the SQLite details):
PostgreSQL runs everything, SQLite all but the lock-off run.
"""

import threading
import time

import pytest
from django.db import connection, connections

from gelar.orders.models import Order
from gelar.orders.services import BuyerInfo, DeliveryInfo, LineRequest, checkout_submit
from gelar.payments import selectors, services
from gelar.payments.models import Payment, Refund
from gelar.payments.services import RefundInvalid, payment_confirm, refund_record
from gelar.testing import accept_every_payment, at, build_expo, make_user, run_together

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to show",
)

THREADS = 4
NOW = at(24, 10)


@pytest.fixture
def order():
    """Rp 300.000 paid, Rp 100.000 refunded: Rp 200.000 left."""
    world = accept_every_payment(build_expo())
    owner = make_user(email="siti@example.com")
    checkout = checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Rina Kusuma", whatsapp="081234567890"),
        lines=[LineRequest(product_id=world.shirt.pk, quantity=2)],
        idempotency_key="race",
        delivery=DeliveryInfo(method="pickup"),
        payment_method="qris",
        now=NOW,
    )
    paid = checkout.orders.get()
    payment_confirm(order=paid, actor=owner, now=NOW)
    refund_record(order=paid, actor=owner, amount=100000, method="qris", reason="Satu rusak")
    return paid


@pytest.fixture
def slow_read(monkeypatch):
    """Widen the window between reading what is refunded and writing the refund."""
    refunded = selectors.order_refunded_amount

    def slow(order):
        found = refunded(order)
        time.sleep(0.1)
        return found

    monkeypatch.setattr(selectors, "order_refunded_amount", slow)


@pytest.fixture
def no_lock(monkeypatch):
    monkeypatch.setattr(
        services,
        "_locked_order",
        lambda order: Order.objects.select_related("exhibitor", "expo__organizer").get(pk=order.pk),
    )


def refund_together(order) -> list[str]:
    """THREADS refunds of Rp 200.000 started at the same moment; their outcomes, sorted."""

    def refund(i: int) -> str:
        refund_record(order=order, actor=None, amount=200000, method="transfer", reason=f"Sisa {i}")
        return "refunded"

    return run_together(THREADS, refund, refusals=(RefundInvalid,))


def state(order) -> tuple[list[int], list[str]]:
    """(refund amounts, payment statuses), read on a fresh connection."""
    result = {}

    def read():
        try:
            result["value"] = (
                sorted(Refund.objects.filter(order=order).values_list("amount", flat=True)),
                list(Payment.objects.filter(order=order).values_list("status", flat=True)),
            )
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(timeout=60)
    return result["value"]


def test_with_the_lock_one_refund_takes_the_rest(order, slow_read, threads_database):
    threads_database()

    results = refund_together(order)

    assert results == ["fully_refunded"] * (THREADS - 1) + ["refunded"]
    assert state(order) == ([100000, 200000], ["refunded"])


@postgres_only
def test_without_the_lock_more_is_refunded_than_was_paid(order, slow_read, no_lock):
    results = refund_together(order)

    amounts, _statuses = state(order)
    assert results.count("refunded") > 1
    assert sum(amounts) > 300000
