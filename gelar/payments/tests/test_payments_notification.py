"""The Midtrans notification endpoint, with the documented payload shapes.

Payloads are the documented samples (see test_midtrans.py for their sources)
with order_id and gross_amount set to a real order's, re-signed with a test
key by the documented formula, computed here with hashlib.
"""

import hashlib
import json
import threading

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils.translation import gettext as t

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product
from gelar.orders.models import Order
from gelar.orders.services import (
    BuyerInfo,
    DeliveryInfo,
    LineRequest,
    checkout_submit,
    reservations_expire,
)
from gelar.payments.models import GatewayNotification, Payment
from gelar.payments.tests.test_midtrans import (
    BANK_TRANSFER_PENDING,
    CARD_CAPTURE,
    GOPAY_SETTLEMENT,
    PERMATA_EXPIRE,
)
from gelar.testing import at, build_expo, make_payment_settings

KEY = "SB-Mid-server-gelar-endpoint-test"
URL = "/api/v1/payments/midtrans/notification"
NOW = at(24, 10)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("server_key")]


@pytest.fixture
def server_key():
    with override_settings(MIDTRANS_SERVER_KEY=KEY):
        yield


def signed(payload: dict, key: str = KEY) -> dict:
    text = payload["order_id"] + payload["status_code"] + payload["gross_amount"] + key
    return {**payload, "signature_key": hashlib.sha512(text.encode()).hexdigest()}


def for_order(sample: dict, order: Order, **changes) -> dict:
    return signed(
        {**sample, "order_id": order.number, "gross_amount": f"{order.total}.00", **changes}
    )


def post(client, payload) -> tuple[int, dict]:
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    response = client.post(URL, data=body, content_type="application/json")
    return response.status_code, response.json()


@pytest.fixture
def world():
    return build_expo()


@pytest.fixture
def order(world) -> Order:
    make_payment_settings(exhibitor=world.batik, gateway=True)
    checkout = checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Rina Kusuma", whatsapp="081234567890"),
        lines=[LineRequest(product_id=world.shirt.pk, quantity=2)],
        idempotency_key="gw-1",
        delivery=DeliveryInfo(method="pickup"),
        payment_method="gateway",
        now=NOW,
    )
    return checkout.orders.get()


def status_of(order) -> str:
    return Order.objects.values_list("status", flat=True).get(pk=order.pk)


def test_settlement_marks_the_order_paid_once_however_often_it_is_sent(order, world):
    # CSRF is not enforced for the webhook, even by a client that checks it.
    client = Client(enforce_csrf_checks=True)
    payload = for_order(GOPAY_SETTLEMENT, order)

    answers = [post(client, payload) for _ in range(3)]

    assert answers == [
        (200, {"action": "apply", "order_status": "paid"}),
        (200, {"action": "duplicate", "order_status": "paid"}),
        (200, {"action": "duplicate", "order_status": "paid"}),
    ]
    assert status_of(order) == "paid"
    payment = Payment.objects.get()
    assert (payment.order_id, payment.method, payment.amount, payment.status) == (
        order.pk,
        "gateway",
        300000,
        "confirmed",
    )
    assert payment.gateway_transaction_id == GOPAY_SETTLEMENT["transaction_id"]
    stored = GatewayNotification.objects.get()
    assert (stored.transaction_status, stored.status, stored.decision) == (
        "settlement",
        "paid",
        "apply",
    )
    assert stored.payload == payload
    assert AuditEntry.objects.filter(action="order.paid", object_id=str(order.pk)).count() == 1
    assert Product.objects.get(pk=world.shirt.pk).stock == 1


def test_the_payment_the_buyer_started_is_the_one_confirmed(client, order):
    started = Payment.objects.create(
        order=order,
        method="gateway",
        amount=order.total,
        gateway_token="66e4fa55-fdac-4ef9-91b5-733b97d1b862",
        gateway_redirect_url="https://app.sandbox.midtrans.com/snap/v2/vtweb/66e4fa55",
    )

    assert post(client, for_order(GOPAY_SETTLEMENT, order)) == (
        200,
        {"action": "apply", "order_status": "paid"},
    )

    payment = Payment.objects.get()
    assert payment.pk == started.pk
    assert (payment.status, payment.amount, payment.gateway_transaction_id) == (
        "confirmed",
        300000,
        GOPAY_SETTLEMENT["transaction_id"],
    )
    assert payment.gateway_token == "66e4fa55-fdac-4ef9-91b5-733b97d1b862"


def test_pending_then_settlement_then_a_late_pending(client, order):
    pending = for_order(BANK_TRANSFER_PENDING, order, transaction_id="tx-1")
    settlement = for_order(GOPAY_SETTLEMENT, order, transaction_id="tx-1")

    assert post(client, pending) == (200, {"action": "apply", "order_status": "awaiting_payment"})
    assert post(client, settlement) == (200, {"action": "apply", "order_status": "paid"})
    # The same pending, sent again late: a duplicate; another pending event of the
    # transaction (not stored yet) after the settlement: an ignored regression.
    assert post(client, pending) == (200, {"action": "duplicate", "order_status": "paid"})
    late = for_order(BANK_TRANSFER_PENDING, order, transaction_id="tx-1", fraud_status="")
    late.pop("fraud_status")
    late = signed(late)
    assert post(client, late) == (200, {"action": "ignore", "order_status": "paid"})
    assert status_of(order) == "paid"
    assert Payment.objects.count() == 1


def test_forged_signature_is_403_and_changes_nothing(client, order):
    forged = {**for_order(GOPAY_SETTLEMENT, order), "signature_key": "0" * 128}
    assert post(client, forged) == (403, {"detail": t("The signature is not valid.")})
    # A published sample, signed with Midtrans' own key (not ours), replayed at us.
    replayed = {**GOPAY_SETTLEMENT, "order_id": order.number}
    assert post(client, replayed)[0] == 403
    assert status_of(order) == "awaiting_payment"
    assert not GatewayNotification.objects.exists()
    assert not Payment.objects.exists()


def test_amount_changed_after_signing_is_403(client, order):
    tampered = {**for_order(GOPAY_SETTLEMENT, order), "gross_amount": "1.00"}
    assert post(client, tampered)[0] == 403
    assert status_of(order) == "awaiting_payment"


def test_authentic_notification_with_another_amount_is_rejected_not_paid(client, order):
    # Signed correctly, but for another amount than the order's: the buyer paid
    # something else (or a charge was made by hand). 200 so Midtrans stops
    # resending, recorded and audited for a person, never paid.
    other = signed({**GOPAY_SETTLEMENT, "order_id": order.number, "gross_amount": "1000.00"})
    assert post(client, other) == (200, {"action": "reject", "order_status": "awaiting_payment"})
    assert post(client, other) == (200, {"action": "duplicate", "order_status": "awaiting_payment"})
    assert status_of(order) == "awaiting_payment"
    assert not Payment.objects.exists()
    stored = GatewayNotification.objects.get()
    assert (stored.decision, stored.amount, stored.needs_review) == ("reject", 1000, False)
    assert AuditEntry.objects.filter(action="payment.gateway_reject").count() == 1


def test_settlement_after_the_order_expired_is_flagged_for_review(client, order, world):
    reservations_expire(now=order.reserved_until)
    assert post(client, for_order(GOPAY_SETTLEMENT, order)) == (
        200,
        {"action": "review", "order_status": "expired"},
    )
    assert status_of(order) == "expired"
    assert not Payment.objects.exists()
    stored = GatewayNotification.objects.get()
    assert stored.needs_review is True
    assert stored.reason.startswith("order_expired")
    assert AuditEntry.objects.filter(action="payment.gateway_review").count() == 1
    assert Product.objects.get(pk=world.shirt.pk).stock == 3


def test_expire_notification_is_recorded_and_leaves_stock_to_the_expiry_job(client, order, world):
    expire = for_order(PERMATA_EXPIRE, order)
    assert post(client, expire) == (200, {"action": "apply", "order_status": "awaiting_payment"})
    stored = GatewayNotification.objects.get()
    assert (stored.status, stored.decision) == ("failed", "apply")
    assert Product.objects.get(pk=world.shirt.pk).stock == 1


def test_card_challenge_then_accept_is_paid(client, order):
    challenge = for_order(CARD_CAPTURE, order, fraud_status="challenge", status_code="201")
    accept = for_order(CARD_CAPTURE, order)
    assert post(client, challenge) == (200, {"action": "apply", "order_status": "awaiting_payment"})
    assert post(client, accept) == (200, {"action": "apply", "order_status": "paid"})
    assert GatewayNotification.objects.count() == 2


def test_unknown_order_is_404(client, order):
    payload = signed({**GOPAY_SETTLEMENT, "order_id": "NOPE21-999999", "gross_amount": "300000.00"})
    assert post(client, payload) == (404, {"detail": t("No such order.")})
    assert not GatewayNotification.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        b"\xff\xfe",
        "[]",
        "{}",
        json.dumps({"order_id": 5}),
    ],
)
def test_malformed_bodies_are_400(client, order, body):
    status, answer = post(client, body)
    assert status == 400
    assert answer["detail"]
    assert status_of(order) == "awaiting_payment"


def test_wrong_types_in_a_signed_notification_are_400(client, order):
    payload = for_order(GOPAY_SETTLEMENT, order, transaction_time="yesterday")
    assert post(client, payload)[0] == 400
    assert not GatewayNotification.objects.exists()


@override_settings(MIDTRANS_SERVER_KEY="")
def test_without_a_server_key_the_endpoint_is_503(client, order):
    payload = for_order(GOPAY_SETTLEMENT, order)
    assert post(client, payload) == (503, {"detail": t("Online payment is not configured.")})
    assert status_of(order) == "awaiting_payment"


# The regions come from a data migration: serialized_rollback restores them after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to show",
)
def test_two_identical_notifications_at_once_pay_once(world):
    make_payment_settings(exhibitor=world.batik, gateway=True)
    checkout = checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Rina Kusuma", whatsapp="081234567890"),
        lines=[LineRequest(product_id=world.shirt.pk, quantity=1)],
        idempotency_key="gw-race",
        delivery=DeliveryInfo(method="pickup"),
        payment_method="gateway",
        now=NOW,
    )
    order = checkout.orders.get()
    payload = for_order(GOPAY_SETTLEMENT, order)
    barrier = threading.Barrier(4)
    answers = []

    def send():
        try:
            barrier.wait()
            answers.append(post(Client(), payload))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(action["action"] for _status, action in answers) == [
        "apply",
        "duplicate",
        "duplicate",
        "duplicate",
    ]
    assert {status for status, _action in answers} == {200}
    assert status_of(order) == "paid"
    assert Payment.objects.count() == 1
    assert GatewayNotification.objects.count() == 1
