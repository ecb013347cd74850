"""Starting a Midtrans Snap payment for an order (gelar.payments.gateway).

The sandbox cannot be reached from here: urllib's urlopen is replaced by a fake
that records the request and answers with the documented Snap response
(https://docs.midtrans.com/reference/response). The request is checked against
the documented body and headers, so the whole of midtrans.send_charge runs.
"""

import io
import json
import threading
import time
import urllib.error
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as t

from gelar.audit.models import AuditEntry
from gelar.orders.models import Order
from gelar.orders.services import (
    BuyerInfo,
    DeliveryInfo,
    LineRequest,
    checkout_submit,
    order_cancel,
    order_mark_paid,
    reservations_expire,
)
from gelar.payments import midtrans
from gelar.payments.gateway import (
    GatewayPaymentPreparing,
    GatewayPaymentRefused,
    GatewayUnavailable,
    gateway_payment_start,
)
from gelar.payments.midtrans import ChargeItem, Customer, snap_request
from gelar.payments.models import ExhibitorPaymentSettings, Payment
from gelar.payments.services import payment_instructions
from gelar.testing import at, build_expo, make_product

# https://docs.midtrans.com/en/technical-reference/api-header: the documented key and
# its Authorization header.
SERVER_KEY = "SB-Mid-server-abc123cde456"
AUTHORIZATION = "Basic U0ItTWlkLXNlcnZlci1hYmMxMjNjZGU0NTY6"
SITE = "https://gelar.example"
# https://docs.midtrans.com/reference/response: Snap's documented answer (HTTP 201).
SNAP_ANSWER = {
    "token": "66e4fa55-fdac-4ef9-91b5-733b97d1b862",
    "redirect_url": (
        "https://app.sandbox.midtrans.com/snap/v2/vtweb/66e4fa55-fdac-4ef9-91b5-733b97d1b862"
    ),
}
CHECKOUT_AT = at(24, 10)
NOW = CHECKOUT_AT + timedelta(seconds=30)


# -- snap_request: the Snap options (no database) -------------------------------------


def test_snap_request_with_expiry_and_finish_url():
    body = snap_request(
        order_id="PHE21-000042",
        gross_amount=300000,
        items=[ChargeItem(id="7", name="Kemeja", price=150000, quantity=2)],
        customer=Customer(first_name="Rina Kusuma"),
        # 03:00 UTC is 10:00 WIB: written in Midtrans' zone, with its offset.
        expiry_start=datetime.fromisoformat("2021-11-24T03:00:30+00:00"),
        expiry_minutes=14,
        finish_url="https://gelar.example/pesanan/abc/",
    )
    assert body["expiry"] == {
        "start_time": "2021-11-24 10:00:30 +0700",
        "unit": "minutes",
        "duration": 14,
    }
    assert body["callbacks"] == {"finish": "https://gelar.example/pesanan/abc/"}


def test_snap_request_without_options_has_neither():
    body = snap_request(
        order_id="PHE21-000042",
        gross_amount=1,
        items=[ChargeItem(id="7", name="Kemeja", price=1, quantity=1)],
        customer=Customer(first_name="Rina"),
    )
    assert set(body) == {"transaction_details", "item_details", "customer_details"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"expiry_minutes": 5}, "go together"),
        ({"expiry_start": at(24, 10)}, "go together"),
        ({"expiry_start": datetime(2021, 11, 24, 10), "expiry_minutes": 5}, "aware"),
        ({"expiry_start": at(24, 10), "expiry_minutes": 0}, "expiry_minutes"),
        ({"expiry_start": at(24, 10), "expiry_minutes": True}, "expiry_minutes"),
    ],
)
def test_snap_request_refuses_a_bad_expiry(options, message):
    with pytest.raises(ValueError, match=message):
        snap_request(
            order_id="PHE21-000042",
            gross_amount=1,
            items=[ChargeItem(id="7", name="Kemeja", price=1, quantity=1)],
            customer=Customer(first_name="Rina"),
            **options,
        )


# -- gateway_payment_start --------------------------------------------------------------


class FakeResponse(io.BytesIO):
    def __init__(self, body: dict, status: int = 201):
        super().__init__(json.dumps(body).encode())
        self.status = status


class FakeMidtrans:
    """urlopen's stand-in: records each request, then answers or fails as told."""

    def __init__(self):
        self.requests = []
        self.answer = SNAP_ANSWER
        self.error = None
        self.during = None  # called while "on the network"

    def __call__(self, request, timeout):
        self.requests.append(request)
        if self.during is not None:
            self.during()
        if self.error is not None:
            raise self.error
        return FakeResponse(self.answer)


@pytest.fixture
def fake(monkeypatch) -> FakeMidtrans:
    fake = FakeMidtrans()
    monkeypatch.setattr(midtrans.urllib.request, "urlopen", fake)
    return fake


@pytest.fixture
def gateway_on(settings):
    settings.MIDTRANS_SERVER_KEY = SERVER_KEY
    settings.MIDTRANS_IS_PRODUCTION = False
    settings.SITE_URL = SITE


@pytest.fixture
def world(db, gateway_on):
    world = build_expo()
    ExhibitorPaymentSettings.objects.create(
        exhibitor=world.batik, gateway_enabled=True, accepts_cash=True
    )
    world.scarf = make_product(
        exhibitor=world.batik, name="Selendang Batik Tulis", price=85000, stock=5
    )
    return world


def place(world, *, method: str = "gateway", key: str = "gw-1", now=CHECKOUT_AT) -> Order:
    checkout = checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Rina Kusuma", whatsapp="0812 3456 7890", email="rina@example.id"),
        lines=[
            LineRequest(product_id=world.shirt.pk, quantity=2),
            LineRequest(product_id=world.scarf.pk, quantity=1),
        ],
        idempotency_key=key,
        delivery=DeliveryInfo(method="pickup"),
        payment_method=method,
        now=now,
    )
    return checkout.orders.get()


@pytest.fixture
def order(world) -> Order:
    return place(world)


def test_start_sends_the_documented_snap_request(order, world, fake):
    payment = gateway_payment_start(order=order, now=NOW)

    [request] = fake.requests
    assert request.full_url == "https://app.sandbox.midtrans.com/snap/v1/transactions"
    assert request.get_method() == "POST"
    assert request.get_header("Authorization") == AUTHORIZATION
    assert request.get_header("X-override-notification") == (
        "https://gelar.example/api/v1/payments/midtrans/notification"
    )
    body = json.loads(request.data)
    assert body == {
        "transaction_details": {"order_id": order.number, "gross_amount": 385000},
        "item_details": [
            {
                "id": str(world.shirt.pk),
                "price": 150000,
                "quantity": 2,
                "name": "Kemeja Batik Tulis Sekar Jagad",
            },
            {
                "id": str(world.scarf.pk),
                "price": 85000,
                "quantity": 1,
                "name": "Selendang Batik Tulis",
            },
        ],
        "customer_details": {
            "first_name": "Rina Kusuma",
            "email": "rina@example.id",
            "phone": "+6281234567890",
        },
        # Reserved until 10:15 WIB, started at 10:00:30: 14 whole minutes, so
        # Midtrans' page ends before the stock reservation does.
        "expiry": {"start_time": "2021-11-24 10:00:30 +0700", "unit": "minutes", "duration": 14},
        "callbacks": {"finish": f"https://gelar.example/pesanan/{order.checkout.token}/"},
    }
    assert sum(i["price"] * i["quantity"] for i in body["item_details"]) == order.total == 385000

    stored = Payment.objects.get()
    assert stored.pk == payment.pk
    assert (stored.order_id, stored.method, stored.status, stored.amount) == (
        order.pk,
        "gateway",
        "pending",
        385000,
    )
    assert (stored.gateway_token, stored.gateway_redirect_url) == (
        SNAP_ANSWER["token"],
        SNAP_ANSWER["redirect_url"],
    )
    entry = AuditEntry.objects.get(action="payment.gateway_start")
    assert (entry.object_id, entry.exhibitor_id, entry.organizer_id) == (
        str(payment.pk),
        world.batik.pk,
        world.expo.organizer_id,
    )
    assert entry.changes == {
        "order": order.number,
        "method": "gateway",
        "amount": 385000,
        "status": "pending",
        "token": SNAP_ANSWER["token"],
        "expiry_minutes": 14,
    }


def test_a_second_start_reuses_the_transaction_without_a_request(order, fake):
    first = gateway_payment_start(order=order, now=NOW)
    second = gateway_payment_start(order=order, now=NOW + timedelta(minutes=5))

    assert second.pk == first.pk
    assert second.gateway_redirect_url == SNAP_ANSWER["redirect_url"]
    assert len(fake.requests) == 1
    assert Payment.objects.count() == 1
    assert AuditEntry.objects.filter(action="payment.gateway_start").count() == 1


@pytest.mark.parametrize(
    "error",
    [
        urllib.error.HTTPError(
            midtrans.SANDBOX_SNAP_URL,
            400,
            "Bad Request",
            {},
            io.BytesIO(b'{"error_messages": ["transaction_details.order_id sudah digunakan"]}'),
        ),
        urllib.error.URLError("Name or service not known"),
        TimeoutError("timed out"),
    ],
    ids=["http-400", "unreachable", "timeout"],
)
def test_a_failed_request_leaves_nothing_and_a_retry_works(order, fake, error):
    fake.error = error
    with pytest.raises(GatewayUnavailable) as caught:
        gateway_payment_start(order=order, now=NOW)
    assert caught.value.code == "gateway_unavailable"
    assert caught.value.http_status == 503
    assert caught.value.message == t(
        "Online payment is unavailable right now; please try again in a few minutes."
    )
    assert not Payment.objects.exists()
    assert not AuditEntry.objects.filter(action="payment.gateway_start").exists()

    fake.error = None
    payment = gateway_payment_start(order=order, now=NOW)
    assert payment.gateway_redirect_url == SNAP_ANSWER["redirect_url"]
    assert len(fake.requests) == 2
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    "answer",
    [
        {"token": SNAP_ANSWER["token"], "redirect_url": "https://evil.example/snap/v2/vtweb/x"},
        {"token": SNAP_ANSWER["token"], "redirect_url": "http://app.sandbox.midtrans.com/x"},
        {"token": SNAP_ANSWER["token"]},
        {"token": "", "redirect_url": SNAP_ANSWER["redirect_url"]},
        {"token": "x" * 65, "redirect_url": SNAP_ANSWER["redirect_url"]},
    ],
    ids=["other-host", "not-https", "no-url", "empty-token", "long-token"],
)
def test_an_answer_that_is_not_a_midtrans_page_is_a_failure(order, fake, answer):
    fake.answer = answer
    with pytest.raises(GatewayUnavailable):
        gateway_payment_start(order=order, now=NOW)
    assert not Payment.objects.exists()


def test_a_press_while_the_first_waits_for_midtrans_is_told_to_reload(order, fake):
    second = []

    def press_again():
        try:
            gateway_payment_start(order=order, now=NOW)
        except GatewayPaymentPreparing as error:
            second.append(error)

    fake.during = press_again
    payment = gateway_payment_start(order=order, now=NOW)

    [error] = second
    assert (error.code, error.http_status) == ("payment_preparing", 409)
    assert error.message == t(
        "Online payment for order %(number)s is being prepared; reload the page in a moment."
    ) % {"number": order.number}
    assert len(fake.requests) == 1
    assert Payment.objects.get().pk == payment.pk


def test_a_stale_claim_is_taken_over(world, fake):
    order = place(world, now=timezone.now())
    # What a process that died while waiting for Midtrans leaves behind.
    claim = Payment.objects.create(order=order, method="gateway", amount=order.total)
    Payment.objects.filter(pk=claim.pk).update(created_at=timezone.now() - timedelta(minutes=2))

    payment = gateway_payment_start(order=order)

    assert payment.pk != claim.pk
    assert list(Payment.objects.values_list("pk", "gateway_token")) == [
        (payment.pk, SNAP_ANSWER["token"])
    ]
    assert len(fake.requests) == 1


def expired_by_the_job(order):
    reservations_expire(now=order.reserved_until)


def paid(order):
    order_mark_paid(order=order, actor=None, now=NOW)


def cancelled(order):
    order_cancel(order=order, actor=None, reason="Stok habis di booth")


def gateway_switched_off(order):
    ExhibitorPaymentSettings.objects.filter(exhibitor=order.exhibitor).update(gateway_enabled=False)


@pytest.mark.parametrize(
    ("change", "now", "code", "message"),
    [
        (
            None,
            CHECKOUT_AT + timedelta(minutes=15),
            "order_expired",
            "The stock reservation of order %(number)s has ended; please order again.",
        ),
        (
            None,
            CHECKOUT_AT + timedelta(minutes=14, seconds=30),
            "order_expired",
            "The stock reservation of order %(number)s has ended; please order again.",
        ),
        (
            expired_by_the_job,
            NOW,
            "order_expired",
            "The stock reservation of order %(number)s has ended; please order again.",
        ),
        (
            paid,
            NOW,
            "not_awaiting_payment",
            "Order %(number)s is %(status)s; there is nothing to pay.",
        ),
        (
            cancelled,
            NOW,
            "not_awaiting_payment",
            "Order %(number)s is %(status)s; there is nothing to pay.",
        ),
        (
            gateway_switched_off,
            NOW,
            "gateway_off",
            "Online payment is not available yet; the exhibitor will contact you.",
        ),
    ],
    ids=["reservation-over", "under-a-minute-left", "expired", "paid", "cancelled", "switched-off"],
)
def test_refused(order, fake, change, now, code, message):
    if change is not None:
        change(order)
    order.refresh_from_db()
    with pytest.raises(GatewayPaymentRefused) as caught:
        gateway_payment_start(order=order, now=now)
    assert (caught.value.code, caught.value.http_status) == (code, 409)
    assert caught.value.message == t(message) % {
        "number": order.number,
        "status": order.get_status_display(),
    }
    assert fake.requests == []
    assert not Payment.objects.exists()


def test_refused_without_the_server_key(order, fake, settings):
    settings.MIDTRANS_SERVER_KEY = ""
    with pytest.raises(GatewayPaymentRefused) as caught:
        gateway_payment_start(order=order, now=NOW)
    assert caught.value.code == "gateway_off"
    assert fake.requests == []


def test_refused_for_an_order_paid_otherwise(world, fake):
    order = place(world, method="cash")
    with pytest.raises(GatewayPaymentRefused) as caught:
        gateway_payment_start(order=order, now=NOW)
    assert (caught.value.code, caught.value.message) == (
        "not_gateway",
        t("Order %(number)s is not paid online.") % {"number": order.number},
    )
    assert fake.requests == []
    assert not Payment.objects.exists()


# -- payment_instructions for a gateway order --------------------------------------------


def test_instructions_carry_the_started_payment_page(order, fake):
    before = payment_instructions(order=order)
    assert (before.method, before.available, before.pay_url, before.total) == (
        "gateway",
        True,
        "",
        385000,
    )
    assert before.note == t("Pay online: you will be taken to Midtrans' secure page.")

    gateway_payment_start(order=order, now=NOW)

    assert payment_instructions(order=order).pay_url == SNAP_ANSWER["redirect_url"]


def test_instructions_while_the_gateway_is_off(order, settings):
    settings.MIDTRANS_SERVER_KEY = ""
    found = payment_instructions(order=order)
    assert (found.available, found.pay_url, found.note) == (
        False,
        "",
        t("Online payment is not available yet; the exhibitor will contact you."),
    )


# -- two presses at once (PostgreSQL) ------------------------------------------------------


# The regions come from a data migration: serialized_rollback restores them after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to show",
)
def test_presses_at_once_make_one_midtrans_request(gateway_on, fake):
    world = build_expo()
    ExhibitorPaymentSettings.objects.create(exhibitor=world.batik, gateway_enabled=True)
    world.scarf = make_product(exhibitor=world.batik, name="Selendang", price=85000, stock=5)
    order = place(world, now=timezone.now())
    # Slow enough that the other presses arrive while the first waits for Midtrans.
    fake.during = lambda: time.sleep(0.3)
    barrier = threading.Barrier(4)
    outcomes = []

    def press():
        try:
            barrier.wait()
            outcomes.append(gateway_payment_start(order=order).pk)
        except GatewayPaymentPreparing as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    payment = Payment.objects.get()
    assert sorted(outcomes, key=str) == sorted([payment.pk] + ["payment_preparing"] * 3, key=str)
    assert len(fake.requests) == 1
    assert payment.gateway_redirect_url == SNAP_ANSWER["redirect_url"]
