import datetime

import pytest

from gelar.audit.models import AuditEntry
from gelar.orders.models import Order
from gelar.orders.services import (
    BuyerInfo,
    DeliveryInfo,
    LineRequest,
    checkout_submit,
    order_cancel,
)
from gelar.payments.models import Payment, Refund
from gelar.payments.selectors import order_paid_amount, order_refunded_amount, refund_due
from gelar.payments.services import RefundInvalid, payment_confirm, refund_record
from gelar.testing import accept_every_payment, at, build_expo, make_user

pytestmark = pytest.mark.django_db

NOW = at(24, 10)
LATER = at(25, 9)
BUYER = BuyerInfo(name="Rina Kusuma", whatsapp="081234567890")


@pytest.fixture
def world():
    return accept_every_payment(build_expo())


@pytest.fixture
def owner():
    return make_user(email="siti@example.com")


def order_of(world, *, quantity=2, method="qris", key="k1") -> Order:
    checkout = checkout_submit(
        expo=world.expo,
        buyer=BUYER,
        lines=[LineRequest(product_id=world.shirt.pk, quantity=quantity)],
        idempotency_key=key,
        delivery=DeliveryInfo(method="pickup"),
        payment_method=method,
        now=NOW,
    )
    return checkout.orders.get()


@pytest.fixture
def paid(world, owner):
    """An order of two shirts (Rp 300.000), paid by QRIS."""
    order = order_of(world)
    payment_confirm(order=order, actor=owner, now=NOW)
    order.refresh_from_db()
    return order


def refund(order, actor, amount, **fields):
    values = {"method": "qris", "reason": "Ukuran tidak tersedia", "now": LATER}
    values.update(fields)
    return refund_record(order=order, actor=actor, amount=amount, **values)


def test_partial_then_full_refund(paid, owner):
    assert paid.total == 300000

    first = refund(paid, owner, 150000, reference="  QR-778  ")

    assert (first.amount, first.method, first.reference, first.refunded_at) == (
        150000,
        "qris",
        "QR-778",
        LATER,
    )
    assert first.recorded_by == owner
    assert first.payment == paid.payments.get()
    assert (order_paid_amount(paid), order_refunded_amount(paid)) == (300000, 150000)
    assert list(Payment.objects.values_list("status", flat=True)) == ["confirmed"]

    second = refund(paid, owner, 150000, method="cash")

    assert second.amount == 150000
    assert order_refunded_amount(paid) == 300000
    assert list(Payment.objects.values_list("status", flat=True)) == ["refunded"]
    # Paid stays what was paid: a refunded payment was still received.
    assert order_paid_amount(paid) == 300000


def test_refunding_does_not_change_the_order_status(paid, owner):
    refund(paid, owner, 300000)

    paid.refresh_from_db()
    assert paid.status == Order.Status.PAID


def test_more_than_what_is_left_is_refused(paid, owner):
    refund(paid, owner, 200000)

    with pytest.raises(RefundInvalid) as error:
        refund(paid, owner, 100001)

    assert (error.value.code, error.value.field) == ("amount_too_high", "amount")
    assert "Rp100.000" in error.value.message
    assert list(Refund.objects.values_list("amount", flat=True)) == [200000]
    assert list(Payment.objects.values_list("status", flat=True)) == ["confirmed"]


def test_a_fully_refunded_order_takes_no_more(paid, owner):
    refund(paid, owner, 300000)

    with pytest.raises(RefundInvalid) as error:
        refund(paid, owner, 1)

    assert error.value.code == "fully_refunded"
    assert Refund.objects.count() == 1


def test_an_unpaid_order_cannot_be_refunded(world, owner):
    order = order_of(world)

    with pytest.raises(RefundInvalid) as error:
        refund(order, owner, 1000)

    assert error.value.code == "not_paid"
    assert Refund.objects.count() == 0
    assert not AuditEntry.objects.filter(action="payment.refund").exists()


def test_a_cancelled_unpaid_order_cannot_be_refunded(world, owner):
    order = order_of(world)
    order_cancel(order=order, actor=owner, reason="Pembeli batal")

    with pytest.raises(RefundInvalid) as error:
        refund(order, owner, 1000)

    assert error.value.code == "not_paid"


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"amount": 0}, "amount", "amount_invalid"),
        ({"amount": -5}, "amount", "amount_invalid"),
        ({"amount": True}, "amount", "amount_invalid"),
        ({"amount": "1000"}, "amount", "amount_invalid"),
        ({"amount": 1000.0}, "amount", "amount_invalid"),
        ({"method": "bitcoin"}, "method", "method_invalid"),
        ({"reason": "   \n "}, "reason", "reason_required"),
        ({"reason": "x" * 301}, "reason", "reason_required"),
        ({"reference": "R" * 101}, "reference", "reference_too_long"),
    ],
)
def test_bad_input_is_refused(paid, owner, fields, field, code):
    values = {"amount": 1000, "method": "transfer", "reason": "Rusak", "reference": ""}
    values.update(fields)

    with pytest.raises(RefundInvalid) as error:
        refund_record(order=paid, actor=owner, **values)

    assert (error.value.field, error.value.code) == (field, code)
    assert Refund.objects.count() == 0


def test_reason_whitespace_is_collapsed_and_300_characters_pass(paid, owner):
    first = refund(paid, owner, 1000, reason="  Barang \n rusak   saat dikirim ")
    second = refund(paid, owner, 1000, reason="y" * 300, reference="R" * 100)

    assert first.reason == "Barang rusak saat dikirim"
    assert (len(second.reason), len(second.reference)) == (300, 100)


def test_the_refund_is_in_the_audit_log(paid, owner):
    found = refund(paid, owner, 50000, method="transfer", reference="BRI-0099")

    entry = AuditEntry.objects.get(action="payment.refund")
    assert entry.actor == owner
    assert entry.exhibitor == paid.exhibitor
    assert entry.organizer == paid.expo.organizer
    assert (entry.object_type, entry.object_id) == ("payments.refund", str(found.pk))
    assert entry.changes == {
        "order": paid.number,
        "amount": 50000,
        "method": "transfer",
        "reason": "Ukuran tidak tersedia",
        "reference": "BRI-0099",
        "refunded": 50000,
        "paid": 300000,
    }


def test_without_now_the_refund_is_dated_now(paid, owner):
    before = datetime.datetime.now(datetime.UTC)

    found = refund_record(order=paid, actor=None, amount=1000, method="cash", reason="Rusak")

    assert found.refunded_at >= before
    assert found.recorded_by is None


def test_refund_due_on_a_cancelled_paid_order(paid, owner):
    assert refund_due(paid) == 0  # paid and being delivered: nothing owed

    order_cancel(order=paid, actor=owner, reason="Stok habis di gudang")
    paid.refresh_from_db()
    assert refund_due(paid) == 300000

    refund(paid, owner, 100000)
    assert refund_due(paid) == 200000

    refund(paid, owner, 200000)
    assert refund_due(paid) == 0


def test_no_refund_is_due_on_a_cancelled_unpaid_order(world, owner):
    order = order_of(world)
    order_cancel(order=order, actor=owner, reason="Pembeli batal")
    order.refresh_from_db()

    assert refund_due(order) == 0
