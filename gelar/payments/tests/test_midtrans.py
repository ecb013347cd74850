"""Midtrans adapter against the payloads Midtrans documents (no network, no database).

The documented samples carry signatures made with Midtrans' own merchant keys,
which are secret: they cannot be checked (and the GoPay and QRIS samples of
https://docs.midtrans.com/docs/https-notification-webhooks even share one
signature_key for different orders, so they are placeholders). Each sample is
therefore re-signed here with a test key, by the documented formula
SHA512(order_id + status_code + gross_amount + ServerKey), computed with
hashlib in this file rather than with the module under test.
"""

import hashlib
import io
import json
import urllib.error
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from gelar.payments import midtrans
from gelar.payments.midtrans import (
    Action,
    ChargeFailed,
    ChargeItem,
    Customer,
    Decision,
    InvalidSignature,
    MalformedNotification,
    MidtransConfig,
    MidtransNotConfigured,
    PaymentStatus,
    charge_headers,
    charge_request,
    charge_url,
    notification_decision,
    parse_notification,
    send_charge,
    snap_request,
    verify_signature,
)

KEY = "SB-Mid-server-gelar-test-key"
WIB = ZoneInfo("Asia/Jakarta")


def signed(payload: dict, key: str = KEY) -> dict:
    text = payload["order_id"] + payload["status_code"] + payload["gross_amount"] + key
    return {**payload, "signature_key": hashlib.sha512(text.encode()).hexdigest()}


# https://docs.midtrans.com/docs/https-notification-webhooks, "GoPay" sample.
GOPAY_SETTLEMENT = {
    "transaction_time": "2021-06-15 18:45:13",
    "transaction_status": "settlement",
    "transaction_id": "513f1f01-c9da-474c-9fc9-d5c64364b709",
    "status_message": "midtrans payment notification",
    "status_code": "200",
    "signature_key": "2496c78cac93a70ca08014bdaaff08eb7119ef79ef69c4833d4399cada077147"
    "febc1a231992eb8665a7e26d89b1dc323c13f721d21c7485f70bff06cca6eed3",
    "settlement_time": "2021-06-15 18:45:28",
    "payment_type": "gopay",
    "order_id": "Order-5100",
    "merchant_id": "G141532850",
    "gross_amount": "154600.00",
    "fraud_status": "accept",
    "currency": "IDR",
}
# Same page, "QRIS" sample (note: the same signature_key as the GoPay sample).
QRIS_SETTLEMENT = {
    "transaction_type": "on-us",
    "transaction_time": "2021-06-23 14:02:42",
    "transaction_status": "settlement",
    "transaction_id": "513f1f01-c9da-474c-9fc9-d5c64364b709",
    "status_message": "midtrans payment notification",
    "status_code": "200",
    "signature_key": "2496c78cac93a70ca08014bdaaff08eb7119ef79ef69c4833d4399cada077147"
    "febc1a231992eb8665a7e26d89b1dc323c13f721d21c7485f70bff06cca6eed3",
    "settlement_time": "2021-06-23 14:06:48",
    "payment_type": "qris",
    "order_id": "qris-01",
    "merchant_id": "G141532850",
    "issuer": "gopay",
    "gross_amount": "5539.00",
    "fraud_status": "accept",
    "currency": "IDR",
    "acquirer": "gopay",
}
# Midtrans' Python client, examples/transaction_actions/notification_example.py
# (github.com/Midtrans/midtrans-python-client): a pending BCA virtual account.
BANK_TRANSFER_PENDING = {
    "currency": "IDR",
    "fraud_status": "accept",
    "gross_amount": "24145.00",
    "order_id": "test-transaction-321",
    "payment_type": "bank_transfer",
    "status_code": "201",
    "status_message": "Success, Bank Transfer transaction is created",
    "transaction_id": "6ee793df-9b1d-4343-8eda-cc9663b4222f",
    "transaction_status": "pending",
    "transaction_time": "2018-10-24 15:34:33",
    "va_numbers": [{"bank": "bca", "va_number": "490526303019299"}],
}
# https://docs.midtrans.com/reference/expire-transaction, the notification sample.
PERMATA_EXPIRE = {
    "status_code": "202",
    "status_message": "midtrans payment notification",
    "transaction_id": "841c7da8-530b-435a-9f67-c9d632d15537",
    "order_id": "1000176721005355",
    "gross_amount": "698879.00",
    "payment_type": "bank_transfer",
    "transaction_time": "2016-07-04 00:53:55",
    "transaction_status": "expire",
    "permata_va_number": "8778004890127981",
    "signature_key": "f1066b06ec8a4b7d6ffb941fd9772f6df304618e15e02cf17c2914cec12793e1"
    "9c71653042f7f617b027eae6ecb6759529c67eca9af55264b736408d8b4df2b9",
}
# https://docs.midtrans.com/docs/https-notification-webhooks, "Card" sample.
CARD_CAPTURE = {
    "transaction_time": "2020-01-09 18:27:19",
    "transaction_status": "capture",
    "transaction_id": "57d5293c-e65f-4a29-95e4-5959c3fa335b",
    "status_message": "midtrans payment notification",
    "status_code": "200",
    "signature_key": "16d6f84b2fb0468e2a9cf99a8ac4e5d803d42180347aaa70cb2a7abb13b5c613"
    "0458ca9c71956a962c0827637cd3bc7d40b21a8ae9fab12c7c3efe351b18d00a",
    "payment_type": "credit_card",
    "order_id": "Postman-1578568851",
    "merchant_id": "G141532850",
    "masked_card": "481111-1114",
    "gross_amount": "10000.00",
    "fraud_status": "accept",
    "eci": "05",
    "currency": "IDR",
    "channel_response_message": "Approved",
    "channel_response_code": "00",
    "card_type": "credit",
    "bank": "bni",
    "approval_code": "1578569243927",
}
# The card sample held by the fraud check: fraud_status "challenge" as in the
# documented handler examples and https://docs.midtrans.com/reference/fraud-status
# (no full challenge payload is published), status_code 201 (not a success).
CARD_CHALLENGE = {**CARD_CAPTURE, "fraud_status": "challenge", "status_code": "201"}


# -- signature -----------------------------------------------------------------


@pytest.mark.parametrize(
    "sample",
    [GOPAY_SETTLEMENT, QRIS_SETTLEMENT, PERMATA_EXPIRE, CARD_CAPTURE],
    ids=["gopay", "qris", "expire", "card"],
)
def test_documented_signatures_are_made_with_another_key(sample):
    # What an attacker replaying a published payload at us would send.
    assert verify_signature(sample, server_key=KEY) is False
    with pytest.raises(InvalidSignature):
        parse_notification(sample, server_key=KEY)


def test_signature_is_sha512_of_the_documented_concatenation():
    payload = signed(GOPAY_SETTLEMENT)
    assert (
        payload["signature_key"]
        == hashlib.sha512(("Order-5100" + "200" + "154600.00" + KEY).encode()).hexdigest()
    )
    assert verify_signature(payload, server_key=KEY) is True
    assert verify_signature(payload, server_key="SB-Mid-server-other") is False


def test_verify_signature_refuses_an_empty_server_key():
    # Anyone can compute SHA512(order_id + status_code + gross_amount + "").
    assert verify_signature(signed(GOPAY_SETTLEMENT, key=""), server_key="") is False
    with pytest.raises(MidtransNotConfigured):
        parse_notification(signed(GOPAY_SETTLEMENT, key=""), server_key="")


def test_forged_signature_is_refused():
    forged = {**GOPAY_SETTLEMENT, "signature_key": "0" * 128}
    assert verify_signature(forged, server_key=KEY) is False
    with pytest.raises(InvalidSignature):
        parse_notification(forged, server_key=KEY)


@pytest.mark.parametrize(
    "field, value",
    [
        ("gross_amount", "1546.00"),
        ("gross_amount", "154600.01"),
        ("order_id", "Order-5101"),
        ("status_code", "201"),
    ],
)
def test_tampering_with_a_signed_field_breaks_the_signature(field, value):
    tampered = {**signed(GOPAY_SETTLEMENT), field: value}
    with pytest.raises(InvalidSignature):
        parse_notification(tampered, server_key=KEY)


def test_signature_comparison_survives_odd_values():
    payload = signed(GOPAY_SETTLEMENT)
    assert verify_signature({**payload, "signature_key": "é" * 128}, server_key=KEY) is False
    assert verify_signature({**payload, "signature_key": 12}, server_key=KEY) is False
    assert verify_signature({**payload, "gross_amount": 154600}, server_key=KEY) is False
    upper = {**payload, "signature_key": payload["signature_key"].upper()}
    assert verify_signature(upper, server_key=KEY) is True


# -- parsing ---------------------------------------------------------------------


def test_gopay_settlement_is_paid():
    notification = parse_notification(signed(GOPAY_SETTLEMENT), server_key=KEY)
    assert notification == midtrans.Notification(
        order_id="Order-5100",
        transaction_id="513f1f01-c9da-474c-9fc9-d5c64364b709",
        status=PaymentStatus.PAID,
        amount=154600,
        transaction_status="settlement",
        fraud_status="accept",
        status_code="200",
        payment_type="gopay",
        transaction_time=datetime(2021, 6, 15, 18, 45, 13, tzinfo=WIB),
        settlement_time=datetime(2021, 6, 15, 18, 45, 28, tzinfo=WIB),
    )
    assert notification.idempotency_key == "513f1f01-c9da-474c-9fc9-d5c64364b709:settlement:accept"


def test_qris_settlement_is_paid():
    notification = parse_notification(signed(QRIS_SETTLEMENT), server_key=KEY)
    assert (notification.order_id, notification.status, notification.amount) == (
        "qris-01",
        PaymentStatus.PAID,
        5539,
    )
    assert notification.payment_type == "qris"


def test_pending_bank_transfer_with_va_numbers():
    notification = parse_notification(signed(BANK_TRANSFER_PENDING), server_key=KEY)
    assert notification.status is PaymentStatus.PENDING
    assert notification.amount == 24145
    assert notification.status_code == "201"
    assert notification.settlement_time is None
    assert notification.transaction_time == datetime(2018, 10, 24, 15, 34, 33, tzinfo=WIB)


def test_expire_without_fraud_status_or_currency():
    notification = parse_notification(signed(PERMATA_EXPIRE), server_key=KEY)
    assert notification.status is PaymentStatus.FAILED
    assert notification.transaction_status == "expire"
    assert notification.fraud_status is None
    assert notification.amount == 698879


def test_card_capture_accepted_is_paid():
    notification = parse_notification(signed(CARD_CAPTURE), server_key=KEY)
    assert notification.status is PaymentStatus.PAID
    assert notification.amount == 10000


def test_card_capture_challenged_is_not_paid():
    notification = parse_notification(signed(CARD_CHALLENGE), server_key=KEY)
    assert notification.status is PaymentStatus.CHALLENGE
    assert notification.idempotency_key == (
        "57d5293c-e65f-4a29-95e4-5959c3fa335b:capture:challenge"
    )


@pytest.mark.parametrize(
    "transaction_status, fraud_status, status",
    [
        ("settlement", None, PaymentStatus.PAID),  # Indomaret/Alfamart send no fraud_status
        ("capture", "deny", PaymentStatus.FAILED),
        ("authorize", "accept", PaymentStatus.PENDING),
        ("deny", "accept", PaymentStatus.FAILED),
        ("cancel", "accept", PaymentStatus.FAILED),
        ("failure", None, PaymentStatus.FAILED),
        ("refund", "accept", PaymentStatus.REFUNDED),
        ("partial_refund", "accept", PaymentStatus.REFUNDED),
        ("chargeback", "accept", PaymentStatus.REFUNDED),
        ("partial_chargeback", "accept", PaymentStatus.REFUNDED),
    ],
)
def test_status_mapping(transaction_status, fraud_status, status):
    payload = {**GOPAY_SETTLEMENT, "transaction_status": transaction_status}
    if fraud_status is None:
        del payload["fraud_status"]
    else:
        payload["fraud_status"] = fraud_status
    notification = parse_notification(signed(payload), server_key=KEY)
    assert notification.status is status
    assert notification.transaction_status == transaction_status


def test_settlement_with_a_non_200_status_code_is_malformed():
    # The docs: a success has status_code 200, fraud_status accept, settlement/capture.
    payload = signed({**GOPAY_SETTLEMENT, "status_code": "201"})
    with pytest.raises(MalformedNotification, match="status_code"):
        parse_notification(payload, server_key=KEY)


def test_unknown_statuses_are_malformed():
    with pytest.raises(MalformedNotification, match="transaction_status"):
        parse_notification(
            signed({**GOPAY_SETTLEMENT, "transaction_status": "paid"}), server_key=KEY
        )
    with pytest.raises(MalformedNotification, match="fraud_status"):
        parse_notification(signed({**GOPAY_SETTLEMENT, "fraud_status": "maybe"}), server_key=KEY)


@pytest.mark.parametrize(
    "gross_amount", ["150000.50", "150000", "150000.0", "150,000.00", "-150000.00", "0150000.00"]
)
def test_amount_that_is_not_whole_rupiah_with_two_decimals_is_malformed(gross_amount):
    # Correctly signed, so the refusal is about the value, not the signature.
    payload = signed({**GOPAY_SETTLEMENT, "gross_amount": gross_amount})
    with pytest.raises(MalformedNotification, match="gross_amount"):
        parse_notification(payload, server_key=KEY)


def test_other_currency_is_malformed():
    payload = signed({**GOPAY_SETTLEMENT, "currency": "USD"})
    with pytest.raises(MalformedNotification, match="currency"):
        parse_notification(payload, server_key=KEY)


@pytest.mark.parametrize(
    "field",
    [
        "order_id",
        "status_code",
        "gross_amount",
        "signature_key",
        "transaction_status",
        "transaction_id",
        "transaction_time",
    ],
)
def test_missing_field_is_malformed(field):
    payload = signed(GOPAY_SETTLEMENT)
    del payload[field]
    with pytest.raises(MalformedNotification, match=f"missing fields: {field}"):
        parse_notification(payload, server_key=KEY)


def test_non_string_fields_are_malformed():
    payload = {**signed(GOPAY_SETTLEMENT), "transaction_id": 513, "fraud_status": None}
    with pytest.raises(MalformedNotification, match="not strings: transaction_id, fraud_status"):
        parse_notification(payload, server_key=KEY)
    with pytest.raises(MalformedNotification, match="JSON object"):
        parse_notification([GOPAY_SETTLEMENT], server_key=KEY)


def test_bad_transaction_time_is_malformed():
    payload = signed({**GOPAY_SETTLEMENT, "transaction_time": "2021-06-15T18:45:13Z"})
    with pytest.raises(MalformedNotification, match="transaction_time"):
        parse_notification(payload, server_key=KEY)


def test_unknown_extra_fields_are_accepted():
    # The docs: "Always expect new fields will be added to the notification body".
    payload = signed({**QRIS_SETTLEMENT, "brand_new_field": {"nested": [1, 2]}})
    assert parse_notification(payload, server_key=KEY).status is PaymentStatus.PAID


# -- decision table ----------------------------------------------------------------

TX = "tx-1"
OTHER_TX = "tx-2"
P = PaymentStatus


def incoming(status: PaymentStatus, *, amount: int = 150000, tx: str = TX, raw: str = ""):
    raw = (
        raw
        or {
            P.PENDING: "pending",
            P.PAID: "settlement",
            P.CHALLENGE: "capture",
            P.FAILED: "expire",
            P.REFUNDED: "refund",
        }[status]
    )
    return midtrans.Notification(
        order_id="GLR-0001",
        transaction_id=tx,
        status=status,
        amount=amount,
        transaction_status=raw,
        fraud_status="accept",
        status_code="200",
        payment_type="qris",
        transaction_time=datetime(2025, 1, 1, 10, 0, tzinfo=WIB),
        settlement_time=None,
    )


def decide(current, status, **kwargs):
    current_tx = kwargs.pop("current_tx", TX if current is not None else None)
    return notification_decision(
        current=current,
        current_transaction_id=current_tx,
        incoming=incoming(status, **kwargs),
        expected_amount=150000,
    )


@pytest.mark.parametrize(
    "current, status, action",
    [
        # First notification for an order awaiting payment.
        (None, P.PENDING, Action.APPLY),
        (None, P.PAID, Action.APPLY),
        (None, P.CHALLENGE, Action.APPLY),
        (None, P.FAILED, Action.APPLY),
        (None, P.REFUNDED, Action.REVIEW),
        # Forward along Midtrans' status cycle.
        (P.PENDING, P.PAID, Action.APPLY),
        (P.PENDING, P.CHALLENGE, Action.APPLY),
        (P.PENDING, P.FAILED, Action.APPLY),
        (P.PENDING, P.REFUNDED, Action.REVIEW),
        (P.CHALLENGE, P.PAID, Action.APPLY),
        (P.CHALLENGE, P.FAILED, Action.APPLY),
        (P.CHALLENGE, P.PENDING, Action.IGNORE),
        (P.CHALLENGE, P.REFUNDED, Action.REVIEW),
        (P.PAID, P.REFUNDED, Action.APPLY),
        # Late notifications: out-of-order regressions change nothing.
        (P.PAID, P.PENDING, Action.IGNORE),
        (P.PAID, P.CHALLENGE, Action.IGNORE),
        (P.FAILED, P.PENDING, Action.IGNORE),
        (P.FAILED, P.CHALLENGE, Action.IGNORE),
        (P.REFUNDED, P.PENDING, Action.IGNORE),
        (P.REFUNDED, P.CHALLENGE, Action.IGNORE),
        (P.REFUNDED, P.PAID, Action.IGNORE),
        (P.REFUNDED, P.FAILED, Action.IGNORE),
        # Contradictions: a human decides.
        (P.FAILED, P.PAID, Action.REVIEW),  # settlement after expire
        (P.FAILED, P.REFUNDED, Action.REVIEW),
        (P.PAID, P.FAILED, Action.REVIEW),  # settlement -> deny "reversal"
        # The same event again.
        (P.PENDING, P.PENDING, Action.DUPLICATE),
        (P.PAID, P.PAID, Action.DUPLICATE),
        (P.CHALLENGE, P.CHALLENGE, Action.DUPLICATE),
        (P.FAILED, P.FAILED, Action.DUPLICATE),
        (P.REFUNDED, P.REFUNDED, Action.DUPLICATE),
    ],
)
def test_decision_table(current, status, action):
    decision = decide(current, status)
    assert decision.action is action
    assert decision.status == (status if action is Action.APPLY else None)
    assert decision.marks_paid == (action is Action.APPLY and status is P.PAID)


def test_every_transition_is_in_the_table():
    # A missing pair would be a KeyError (a 500) on a real notification.
    for current in [None, *PaymentStatus]:
        for status in PaymentStatus:
            assert isinstance(decide(current, status), Decision)


def test_current_status_may_be_given_as_stored_string():
    assert decide("pending", P.PAID) == Decision(Action.APPLY, status=P.PAID, reason="paid")


def test_settlement_after_expire_is_flagged_not_paid():
    decision = decide(P.FAILED, P.PAID)
    assert decision == Decision(Action.REVIEW, reason="settlement after failed")
    assert decision.marks_paid is False


def test_late_pending_after_settlement_changes_nothing():
    assert decide(P.PAID, P.PENDING) == Decision(Action.IGNORE, reason="pending after paid")


def test_capture_then_settlement_of_one_card_payment_is_no_change():
    assert decide(P.PAID, P.PAID, raw="settlement").action is Action.DUPLICATE


def test_wrong_amount_is_rejected_whatever_the_status():
    for current in [None, P.PENDING]:
        decision = decide(current, P.PAID, amount=15000)
        assert decision == Decision(Action.REJECT, reason="amount 15000 is not the order's 150000")
        assert decision.marks_paid is False


def test_a_second_transaction_paying_a_paid_order_is_flagged():
    assert decide(P.PAID, P.PAID, tx=OTHER_TX).action is Action.REVIEW


def test_a_second_transaction_paying_an_unpaid_order_pays_it():
    assert decide(P.PENDING, P.PAID, tx=OTHER_TX).marks_paid is True
    assert decide(P.CHALLENGE, P.PAID, tx=OTHER_TX).marks_paid is True


def test_a_second_transaction_paying_an_expired_order_is_flagged():
    assert decide(P.FAILED, P.PAID, tx=OTHER_TX).action is Action.REVIEW


@pytest.mark.parametrize("status", [P.PENDING, P.CHALLENGE, P.FAILED, P.REFUNDED])
def test_other_transactions_news_does_not_touch_a_paid_order(status):
    assert decide(P.PAID, status, tx=OTHER_TX).action is Action.IGNORE


def test_decisions_from_parsed_documented_payloads():
    # Pending VA, then its settlement, then the settlement repeated, then a late pending.
    pending = parse_notification(signed(BANK_TRANSFER_PENDING), server_key=KEY)
    settled = parse_notification(
        signed(
            {
                **BANK_TRANSFER_PENDING,
                "transaction_status": "settlement",
                "status_code": "200",
                "settlement_time": "2018-10-24 15:40:00",
            }
        ),
        server_key=KEY,
    )
    tx = pending.transaction_id
    first = notification_decision(
        current=None, current_transaction_id=None, incoming=pending, expected_amount=24145
    )
    paid = notification_decision(
        current=first.status, current_transaction_id=tx, incoming=settled, expected_amount=24145
    )
    repeat = notification_decision(
        current=paid.status, current_transaction_id=tx, incoming=settled, expected_amount=24145
    )
    late = notification_decision(
        current=paid.status, current_transaction_id=tx, incoming=pending, expected_amount=24145
    )
    assert [first.action, paid.action, repeat.action, late.action] == [
        Action.APPLY,
        Action.APPLY,
        Action.DUPLICATE,
        Action.IGNORE,
    ]
    assert [first.status, paid.status] == [P.PENDING, P.PAID]
    assert paid.marks_paid is True


# -- charge ------------------------------------------------------------------------


def two_items():
    return [
        ChargeItem(id="P-12", name="Keripik Tempe Sanan 250 g", price=25000, quantity=2),
        ChargeItem(id="P-7", name="Sambal Bawang Bu Rudy", price=35000, quantity=1),
    ]


BUYER = Customer(first_name="Siti", last_name="Rahayu", email="", phone="6281234567890")


def test_charge_request_qris_body():
    body = charge_request(
        order_id="GLR-0042", gross_amount=85000, items=two_items(), customer=BUYER
    )
    assert body == {
        "payment_type": "qris",
        "transaction_details": {"order_id": "GLR-0042", "gross_amount": 85000},
        "item_details": [
            {"id": "P-12", "price": 25000, "quantity": 2, "name": "Keripik Tempe Sanan 250 g"},
            {"id": "P-7", "price": 35000, "quantity": 1, "name": "Sambal Bawang Bu Rudy"},
        ],
        "customer_details": {"first_name": "Siti", "last_name": "Rahayu", "phone": "6281234567890"},
    }
    # Integers, exactly as JSON will carry them.
    assert json.dumps(body["transaction_details"]) == (
        '{"order_id": "GLR-0042", "gross_amount": 85000}'
    )


def test_charge_request_bank_transfer_body():
    body = charge_request(
        order_id="GLR-0042",
        gross_amount=85000,
        items=two_items(),
        customer=BUYER,
        payment_type="bank_transfer",
        bank="bni",
    )
    assert body["payment_type"] == "bank_transfer"
    assert body["bank_transfer"] == {"bank": "bni"}
    assert list(body) == [
        "payment_type",
        "transaction_details",
        "item_details",
        "customer_details",
        "bank_transfer",
    ]


def test_charge_request_truncates_names_as_documented():
    long_name = "Batik Tulis Madura Motif Sekar Jagad Pewarna Alam Ukuran 2 m"
    items = [ChargeItem(id="B-1", name=long_name, price=450000, quantity=1)]
    customer = Customer(first_name="Raden Ayu Kusumawardhani Prameswari", last_name="Hadiningrat")
    qris = charge_request(order_id="GLR-1", gross_amount=450000, items=items, customer=customer)
    assert qris["item_details"][0]["name"] == long_name[:50]
    assert len(qris["item_details"][0]["name"]) == 50
    assert qris["customer_details"]["first_name"] == "Raden Ayu Kusumawardhani Prameswari"
    bca = charge_request(
        order_id="GLR-1",
        gross_amount=450000,
        items=items,
        customer=customer,
        payment_type="bank_transfer",
        bank="bca",
    )
    # BCA VA: customer names at most 30 characters.
    assert bca["customer_details"]["first_name"] == "Raden Ayu Kusumawardhani Prame"
    assert len(bca["customer_details"]["first_name"]) == 30


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"gross_amount": 85001}, "items add up to 85000, gross_amount is 85001"),
        ({"gross_amount": 85000.0}, "gross_amount must be an integer"),
        ({"gross_amount": True}, "gross_amount must be an integer"),
        ({"gross_amount": 0}, "gross_amount must be an integer >= 1"),
        ({"order_id": "GLR#42"}, "order_id"),
        ({"order_id": "G" * 51}, "order_id"),
        ({"items": []}, "at least one item"),
        ({"payment_type": "gopay"}, "payment_type"),
        ({"payment_type": "bank_transfer"}, "bank must be one of"),
        ({"payment_type": "bank_transfer", "bank": "mandiri"}, "bank must be one of"),
        ({"bank": "bca"}, "bank only goes with bank_transfer"),
    ],
)
def test_charge_request_refuses_bad_input(kwargs, message):
    arguments = {
        "order_id": "GLR-0042",
        "gross_amount": 85000,
        "items": two_items(),
        "customer": BUYER,
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        charge_request(**arguments)


@pytest.mark.parametrize(
    "item, message",
    [
        (ChargeItem(id="P-1", name="x", price=-1, quantity=1), "price"),
        (ChargeItem(id="P-1", name="x", price=1, quantity=0), "quantity"),
        (ChargeItem(id="P-1", name="x", price=1.5, quantity=1), "price"),
        (ChargeItem(id="", name="x", price=1, quantity=1), "item id"),
    ],
)
def test_charge_request_refuses_bad_items(item, message):
    with pytest.raises(ValueError, match=message):
        charge_request(order_id="GLR-1", gross_amount=1, items=[item], customer=BUYER)


def test_snap_request_body():
    body = snap_request(
        order_id="GLR-0042",
        gross_amount=85000,
        items=two_items(),
        customer=BUYER,
        enabled_payments=["other_qris", "bni_va"],
    )
    assert "payment_type" not in body
    assert body["transaction_details"] == {"order_id": "GLR-0042", "gross_amount": 85000}
    assert body["enabled_payments"] == ["other_qris", "bni_va"]


def test_charge_headers_basic_auth_with_empty_password():
    headers = charge_headers(MidtransConfig(server_key="SB-Mid-server-abc"))
    # base64("SB-Mid-server-abc:"): SB- Mid -se rve r-a bc: -> U0It TWlk LXNl cnZl ci1h YmM6
    assert headers == {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "Authorization": "Basic U0ItTWlkLXNlcnZlci1hYmM6",
    }


def test_charge_headers_match_the_documented_example():
    # https://docs.midtrans.com/en/technical-reference/api-header
    headers = charge_headers(MidtransConfig(server_key="SB-Mid-server-abc123cde456"))
    assert headers["Authorization"] == "Basic U0ItTWlkLXNlcnZlci1hYmMxMjNjZGU0NTY6"


def test_charge_headers_need_a_key():
    with pytest.raises(MidtransNotConfigured):
        charge_headers(MidtransConfig(server_key=""))


def test_charge_url():
    sandbox = MidtransConfig(server_key="k", is_production=False)
    production = MidtransConfig(server_key="k", is_production=True)
    assert charge_url(sandbox) == "https://api.sandbox.midtrans.com/v2/charge"
    assert charge_url(production) == "https://api.midtrans.com/v2/charge"
    assert charge_url(sandbox, snap=True) == (
        "https://app.sandbox.midtrans.com/snap/v1/transactions"
    )
    assert charge_url(production, snap=True) == "https://app.midtrans.com/snap/v1/transactions"


def test_config_repr_hides_the_server_key():
    config = MidtransConfig(server_key="SB-Mid-server-secret", client_key="SB-Mid-client-x")
    assert "secret" not in repr(config)


def test_config_from_settings(settings):
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-abc"
    settings.MIDTRANS_CLIENT_KEY = "SB-Mid-client-abc"
    settings.MIDTRANS_IS_PRODUCTION = False
    assert MidtransConfig.from_settings() == MidtransConfig(
        server_key="SB-Mid-server-abc", is_production=False, client_key="SB-Mid-client-abc"
    )


# -- send_charge (urlopen mocked: tests never reach the network) ---------------------

SANDBOX = MidtransConfig(server_key="SB-Mid-server-abc")
# https://docs.midtrans.com/en/other/faq/gopay-pos, charge response.
QRIS_CHARGE_RESPONSE = {
    "status_code": "201",
    "status_message": "QRIS transaction is created",
    "transaction_id": "1015a919-b03f-450a-bc85-b38202a79a96",
    "order_id": "order102",
    "merchant_id": "G490526303",
    "gross_amount": "789000.00",
    "currency": "IDR",
    "payment_type": "qris",
    "transaction_time": "2021-06-23 15:25:24",
    "transaction_status": "pending",
    "fraud_status": "accept",
    "acquirer": "gopay",
}


class FakeResponse(io.BytesIO):
    def __init__(self, body: dict, status: int = 200):
        super().__init__(json.dumps(body).encode())
        self.status = status


def test_send_charge_posts_the_body_with_the_headers():
    body = {
        "payment_type": "qris",
        "transaction_details": {"order_id": "order102", "gross_amount": 789000},
    }
    with mock.patch.object(
        midtrans.urllib.request, "urlopen", return_value=FakeResponse(QRIS_CHARGE_RESPONSE)
    ) as urlopen:
        answer = send_charge(SANDBOX, body, notification_url="https://gelar.example/n/", timeout=5)
    assert answer == QRIS_CHARGE_RESPONSE
    request = urlopen.call_args.args[0]
    assert urlopen.call_args.kwargs == {"timeout": 5}
    assert request.full_url == "https://api.sandbox.midtrans.com/v2/charge"
    assert request.get_method() == "POST"
    assert json.loads(request.data) == body
    assert request.get_header("Authorization") == "Basic U0ItTWlkLXNlcnZlci1hYmM6"
    assert request.get_header("X-override-notification") == "https://gelar.example/n/"


def test_send_charge_refused_in_the_body():
    refused = {"status_code": "406", "status_message": "order_id has been paid and utilized"}
    with mock.patch.object(midtrans.urllib.request, "urlopen", return_value=FakeResponse(refused)):
        with pytest.raises(ChargeFailed, match="406") as caught:
            send_charge(SANDBOX, {})
    assert caught.value.body == refused


def test_send_charge_http_error():
    error = urllib.error.HTTPError(
        "https://api.sandbox.midtrans.com/v2/charge",
        401,
        "Unauthorized",
        {},
        io.BytesIO(b'{"status_code": "401"}'),
    )
    with mock.patch.object(midtrans.urllib.request, "urlopen", side_effect=error):
        with pytest.raises(ChargeFailed) as caught:
            send_charge(SANDBOX, {})
    assert (caught.value.http_status, caught.value.body) == (401, {"status_code": "401"})


def test_send_charge_unreachable():
    with mock.patch.object(
        midtrans.urllib.request, "urlopen", side_effect=TimeoutError("timed out")
    ):
        with pytest.raises(ChargeFailed, match="unreachable"):
            send_charge(SANDBOX, {})


def test_send_charge_snap_needs_a_token():
    answer = {
        "token": "66e4fa55-fdac-4ef9-91b5-733b97d1b862",
        "redirect_url": "https://app.sandbox.midtrans.com/snap/v2/vtweb/66e4fa55",
    }
    with mock.patch.object(
        midtrans.urllib.request, "urlopen", return_value=FakeResponse(answer, status=201)
    ) as urlopen:
        assert send_charge(SANDBOX, {}, snap=True) == answer
    assert urlopen.call_args.args[0].full_url == (
        "https://app.sandbox.midtrans.com/snap/v1/transactions"
    )
    with mock.patch.object(midtrans.urllib.request, "urlopen", return_value=FakeResponse({})):
        with pytest.raises(ChargeFailed, match="token"):
            send_charge(SANDBOX, {}, snap=True)
