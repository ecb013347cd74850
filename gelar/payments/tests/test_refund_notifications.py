"""Midtrans refund notifications record refunds, once however often they come.

Payloads are the documented samples of https://docs.midtrans.com/reference/refund-transaction
("Notification" and "Notification (Bank Confirmed)": a partial refund of a card
payment, refund_amount "12000.00" = the refunds 5000 + 7000) with order_id and
gross_amount set to a real order's and re-signed with a test key, as in
test_payments_notification.py. (The documented sample has a stray comma after
the last refund, which JSON does not allow; as a dict here it is the same data.)
"""

import pytest
from django.test import Client, override_settings
from django.utils import translation

from gelar.audit.models import AuditEntry
from gelar.orders.models import Order
from gelar.orders.services import BuyerInfo, DeliveryInfo, LineRequest, checkout_submit
from gelar.payments import midtrans
from gelar.payments.models import GatewayNotification, Payment, Refund
from gelar.payments.services import refund_record
from gelar.payments.tests.test_midtrans import GOPAY_SETTLEMENT
from gelar.payments.tests.test_payments_notification import KEY, for_order, post
from gelar.testing import at, build_expo, make_payment_settings, make_user

NOW = at(24, 10)
TRANSACTION = "249fc620-6017-4540-af7c-5a1c25788f46"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("server_key")]

PARTIAL_REFUND = {
    "status_code": "200",
    "status_message": "midtrans payment notification",
    "transaction_id": TRANSACTION,
    "masked_card": "48111111-1114",
    "order_id": "example-1424936368",
    "payment_type": "credit_card",
    "transaction_time": "2021-02-26 14:39:33",
    "transaction_status": "partial_refund",
    "fraud_status": "accept",
    "approval_code": "1424936374393",
    "signature_key": "2802a264cb978fbc59f631c68d120cbda8dc853f5dfdc52301c615cf4f14e7a0b09aa",
    "bank": "bni",
    "gross_amount": "30000.00",
    "channel_response_code": "00",
    "channel_response_message": "Approved",
    "card_type": "credit",
    "refund_amount": "12000.00",
    "refunds": [
        {
            "refund_chargeback_id": 1,
            "refund_amount": "5000.00",
            "created_at": "2015-02-27 00:14:20",
            "reason": "some reason",
            "refund_key": "reference1",
            "refund_method": "online",
        },
        {
            "refund_chargeback_id": 2,
            "refund_amount": "7000.00",
            "created_at": "2015-02-28 01:23:15",
            "reason": "",
            "refund_key": "reference2",
            "refund_method": "offline",
        },
    ],
}
BANK_CONFIRMED = {
    **PARTIAL_REFUND,
    "refunds": [
        {**refund, "bank_confirmed_at": "2015-02-27 02:30:20"}
        for refund in PARTIAL_REFUND["refunds"]
    ],
}
THIRD_REFUND = {
    "refund_chargeback_id": 3,
    "refund_amount": "8000.00",
    "created_at": "2015-03-01 09:00:00",
    "reason": "",
    "refund_key": "reference3",
    "refund_method": "online",
}


@pytest.fixture
def server_key():
    with override_settings(MIDTRANS_SERVER_KEY=KEY):
        yield


@pytest.fixture
def order() -> Order:
    """Rp 300.000, paid through Midtrans (transaction TRANSACTION)."""
    world = build_expo()
    make_payment_settings(exhibitor=world.batik, gateway=True)
    checkout = checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Rina Kusuma", whatsapp="081234567890"),
        lines=[LineRequest(product_id=world.shirt.pk, quantity=2)],
        idempotency_key="gw-refund",
        delivery=DeliveryInfo(method="pickup"),
        payment_method="gateway",
        now=NOW,
    )
    order = checkout.orders.get()
    settlement = for_order(GOPAY_SETTLEMENT, order, transaction_id=TRANSACTION)
    assert post_json(settlement) == (200, {"action": "apply", "order_status": "paid"})
    return order


def in_indonesian(text: str) -> str:
    # The webhook's URL has no language prefix: the site's default, Indonesian.
    with translation.override("id"):
        return translation.gettext(text)


def post_json(payload):
    return post(Client(), payload)


def refunds_of(order) -> list[tuple[int, str, str]]:
    return list(
        Refund.objects.filter(order=order)
        .order_by("pk")
        .values_list("amount", "method", "reference")
    )


def test_the_documented_partial_refund_is_recorded_once(order):
    payload = for_order(PARTIAL_REFUND, order)

    answers = [post_json(payload) for _ in range(3)]

    assert answers == [
        (200, {"action": "apply", "order_status": "paid"}),
        (200, {"action": "duplicate", "order_status": "paid"}),
        (200, {"action": "duplicate", "order_status": "paid"}),
    ]
    assert refunds_of(order) == [(12000, "gateway", TRANSACTION)]
    found = Refund.objects.get()
    payment = Payment.objects.get()
    assert (found.payment, found.recorded_by, found.reason) == (
        payment,
        None,
        in_indonesian("Refunded through Midtrans"),
    )
    assert payment.status == "confirmed"
    stored = GatewayNotification.objects.get(transaction_status="partial_refund")
    assert (stored.status, stored.decision, stored.needs_review) == ("refunded", "apply", False)
    audit = AuditEntry.objects.get(action="payment.refund")
    assert (audit.actor, audit.changes["amount"], audit.changes["reference"]) == (
        None,
        12000,
        TRANSACTION,
    )


def test_the_bank_confirmed_repeat_records_nothing_new(order):
    post_json(for_order(PARTIAL_REFUND, order))

    answer = post_json(for_order(BANK_CONFIRMED, order))

    assert answer == (200, {"action": "duplicate", "order_status": "paid"})
    assert refunds_of(order) == [(12000, "gateway", TRANSACTION)]


def test_a_later_partial_refund_under_the_same_status_records_the_difference(order):
    post_json(for_order(PARTIAL_REFUND, order))
    later = for_order(
        PARTIAL_REFUND,
        order,
        refund_amount="20000.00",
        refunds=[*PARTIAL_REFUND["refunds"], THIRD_REFUND],
    )

    assert post_json(later) == (200, {"action": "apply", "order_status": "paid"})
    assert post_json(later) == (200, {"action": "duplicate", "order_status": "paid"})
    # The first one again, late: its total is covered already.
    assert post_json(for_order(PARTIAL_REFUND, order)) == (
        200,
        {"action": "duplicate", "order_status": "paid"},
    )

    assert refunds_of(order) == [(12000, "gateway", TRANSACTION), (8000, "gateway", TRANSACTION)]
    # One row per (transaction, status): the settlement and the first partial refund.
    assert GatewayNotification.objects.count() == 2


def test_later_totals_first_then_the_earlier_one(order):
    later = for_order(
        PARTIAL_REFUND,
        order,
        refund_amount="20000.00",
        refunds=[*PARTIAL_REFUND["refunds"], THIRD_REFUND],
    )
    post_json(later)

    answer = post_json(for_order(PARTIAL_REFUND, order))

    assert answer == (200, {"action": "duplicate", "order_status": "paid"})
    assert refunds_of(order) == [(20000, "gateway", TRANSACTION)]


def test_partial_then_full_refund_marks_the_payment_refunded(order):
    post_json(for_order(PARTIAL_REFUND, order))
    full = for_order(PARTIAL_REFUND, order, transaction_status="refund", refund_amount="300000.00")
    full.pop("refunds")
    full = for_order(full, order)

    assert post_json(full) == (200, {"action": "apply", "order_status": "paid"})

    assert refunds_of(order) == [
        (12000, "gateway", TRANSACTION),
        (288000, "gateway", TRANSACTION),
    ]
    assert Payment.objects.get().status == "refunded"
    assert Order.objects.get(pk=order.pk).status == "paid"  # refunding is not cancelling


def test_a_full_refund_without_an_amount_is_the_gross_amount(order):
    full = {**PARTIAL_REFUND, "transaction_status": "refund"}
    full.pop("refund_amount")
    full.pop("refunds")

    assert post_json(for_order(full, order)) == (200, {"action": "apply", "order_status": "paid"})

    assert refunds_of(order) == [(300000, "gateway", TRANSACTION)]


def test_a_refund_recorded_by_hand_first_is_not_recorded_twice(order):
    owner = make_user(email="siti@example.com")
    refund_record(
        order=order,
        actor=owner,
        amount=12000,
        method="gateway",
        reason="Refund lewat dasbor Midtrans",
        reference=TRANSACTION,
    )

    answer = post_json(for_order(PARTIAL_REFUND, order))

    assert answer == (200, {"action": "ignore", "order_status": "paid"})
    assert [amount for amount, _m, _r in refunds_of(order)] == [12000]


def test_more_than_can_be_recorded_is_flagged_for_review(order):
    owner = make_user(email="siti@example.com")
    refund_record(order=order, actor=owner, amount=295000, method="cash", reason="Uang tunai")

    answer = post_json(for_order(PARTIAL_REFUND, order))

    assert answer == (200, {"action": "review", "order_status": "paid"})
    assert [amount for amount, _m, _r in refunds_of(order)] == [295000]
    stored = GatewayNotification.objects.get(transaction_status="partial_refund")
    assert stored.needs_review is True
    assert stored.reason.startswith("amount_too_high")
    assert AuditEntry.objects.filter(action="payment.gateway_review").count() == 1


def test_a_later_refund_that_cannot_be_recorded_flags_the_stored_row_once(order):
    post_json(for_order(PARTIAL_REFUND, order))
    owner = make_user(email="siti@example.com")
    refund_record(order=order, actor=owner, amount=285000, method="cash", reason="Uang tunai")
    later = for_order(
        PARTIAL_REFUND,
        order,
        refund_amount="20000.00",
        refunds=[*PARTIAL_REFUND["refunds"], THIRD_REFUND],
    )

    answers = [post_json(later) for _ in range(2)]

    assert answers == [
        (200, {"action": "review", "order_status": "paid"}),
        (200, {"action": "duplicate", "order_status": "paid"}),
    ]
    assert [amount for amount, _m, _r in refunds_of(order)] == [12000, 285000]
    stored = GatewayNotification.objects.get(transaction_status="partial_refund")
    assert (stored.decision, stored.needs_review) == ("apply", True)
    assert AuditEntry.objects.filter(action="payment.gateway_review").count() == 1


def test_contradictory_amounts_are_flagged_for_review(order):
    answer = post_json(for_order(PARTIAL_REFUND, order, refund_amount="13000.00"))

    assert answer == (200, {"action": "review", "order_status": "paid"})
    assert not Refund.objects.exists()
    assert GatewayNotification.objects.get(transaction_status="partial_refund").needs_review


def test_a_refund_of_a_payment_gelar_never_recorded_is_for_review():
    world = build_expo()
    make_payment_settings(exhibitor=world.batik, gateway=True)
    checkout = checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Rina Kusuma", whatsapp="081234567890"),
        lines=[LineRequest(product_id=world.shirt.pk, quantity=2)],
        idempotency_key="gw-unpaid",
        delivery=DeliveryInfo(method="pickup"),
        payment_method="gateway",
        now=NOW,
    )
    unpaid = checkout.orders.get()

    answer = post_json(for_order(PARTIAL_REFUND, unpaid))

    assert answer == (200, {"action": "review", "order_status": "awaiting_payment"})
    assert not Refund.objects.exists()


# --- midtrans.refunded_total, the pure part ------------------------------------------


@pytest.mark.parametrize(
    ("changes", "status", "expected"),
    [
        ({}, "partial_refund", 12000),
        ({"refunds": None}, "partial_refund", 12000),  # the amount alone
        ({"refund_amount": None}, "partial_refund", 12000),  # the list alone
        ({"refund_amount": None, "refunds": None}, "partial_refund", None),
        ({"refund_amount": None, "refunds": None}, "refund", 30000),
        ({"refund_amount": None, "refunds": None}, "chargeback", 30000),
        ({"refund_amount": "13000.00"}, "partial_refund", None),  # disagree
        ({"refund_amount": "12000.50"}, "partial_refund", None),
        ({"refund_amount": "lots"}, "partial_refund", None),
        ({"refund_amount": "40000.00", "refunds": None}, "partial_refund", None),  # > gross
        ({"refunds": "nope"}, "partial_refund", None),
        ({"refunds": [{"refund_amount": True}]}, "partial_refund", None),
        ({"refund_amount": 12000}, "partial_refund", 12000),
    ],
)
def test_refunded_total(changes, status, expected):
    payload = dict(PARTIAL_REFUND)
    for name, value in changes.items():
        if value is None:
            payload.pop(name)
        else:
            payload[name] = value

    found = midtrans.refunded_total(payload, transaction_status=status, gross_amount=30000)

    assert found == expected


def test_nothing_more_is_recorded_on_a_status_flagged_for_review(order):
    post_json(for_order(PARTIAL_REFUND, order))
    owner = make_user(email="siti@example.com")
    refund_record(order=order, actor=owner, amount=285000, method="cash", reason="Uang tunai")
    flagged = for_order(
        PARTIAL_REFUND,
        order,
        refund_amount="20000.00",
        refunds=[*PARTIAL_REFUND["refunds"], THIRD_REFUND],
    )
    assert post_json(flagged)[1]["action"] == "review"
    # The person resolving the flag gives back the cash refund; Midtrans then sends
    # a later total that could now be recorded: it waits for the person too.
    Refund.objects.filter(amount=285000).delete()
    later = for_order(
        PARTIAL_REFUND,
        order,
        refund_amount="25000.00",
        refunds=[*PARTIAL_REFUND["refunds"], THIRD_REFUND],
    )

    assert post_json(later) == (200, {"action": "duplicate", "order_status": "paid"})
    assert [amount for amount, _m, _r in refunds_of(order)] == [12000]
