"""Refunds as the buyer sees them: the order page and the JSON order status."""

import datetime

import pytest
from django.utils.html import escape
from django.utils.translation import gettext

from gelar.orders.services import BuyerInfo, DeliveryInfo, LineRequest, checkout_submit
from gelar.payments.services import payment_confirm, refund_record
from gelar.testing import at, make_user

pytestmark = pytest.mark.django_db

NOW = at(24, 10)
COURIER = DeliveryInfo(
    method="courier", address="Jl. Hayam Wuruk 5", city="Kota Pekalongan", postal_code="51111"
)


@pytest.fixture
def checkout(world, snack):
    """Two orders: the batik shop's (2 shirts, QRIS, paid, two refunds), the snack's (unpaid)."""
    found = checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Rina Kusuma", whatsapp="081234567890"),
        lines=[
            LineRequest(product_id=world.shirt.pk, quantity=2),
            LineRequest(product_id=snack.pk, quantity=1),
        ],
        idempotency_key="refunds-buyer",
        delivery={world.batik.pk: DeliveryInfo(method="pickup"), world.amplang.pk: COURIER},
        payment_method={world.batik.pk: "qris", world.amplang.pk: "transfer"},
        now=NOW,
    )
    batik = found.orders.get(exhibitor=world.batik)
    owner = make_user(email="siti@example.com")
    payment_confirm(order=batik, actor=owner, now=NOW)
    refund_record(
        order=batik, actor=owner, amount=50000, method="qris", reason="Rusak", now=at(25, 9)
    )
    refund_record(
        order=batik, actor=owner, amount=25000, method="cash", reason="Diskon", now=at(26, 14)
    )
    return found


def test_the_order_page_lists_each_refund(client, checkout):
    html = client.get(f"/pesanan/{checkout.token}/").content.decode()

    first = gettext("%(amount)s on %(date)s") % {
        "amount": "Rp50.000",
        "date": "Kamis, 25 November 2021",
    }
    second = gettext("%(amount)s on %(date)s") % {
        "amount": "Rp25.000",
        "date": "Jumat, 26 November 2021",
    }
    assert f"{escape(first)}<br>{escape(second)}" in html
    assert html.count('class="shop-refunds"') == 1  # the unpaid order has none


def test_the_order_status_has_the_refunds(client, checkout, world):
    body = client.get(f"/api/v1/orders/{checkout.token}").json()

    batik, snack = sorted(body["orders"], key=lambda order: order["exhibitor_slug"] != "batik")
    assert batik["exhibitor_slug"] == world.batik.slug
    assert batik["refunded"] == 75000
    assert batik["refunds"] == [
        {"amount": 50000, "refunded_at": "2021-11-25T02:00:00+00:00"},
        {"amount": 25000, "refunded_at": "2021-11-26T07:00:00+00:00"},
    ]
    assert (snack["refunded"], snack["refunds"]) == (0, [])
    # The times are instants: the same as the refunds' in WIB.
    assert datetime.datetime.fromisoformat(batik["refunds"][0]["refunded_at"]) == at(25, 9)


def test_the_openapi_document_describes_the_refunds(client):
    document = client.get("/api/v1/openapi.json").json()

    schemas = document["components"]["schemas"]
    order = schemas["OrderOut"]
    assert {"refunded", "refunds"} <= set(order["required"])
    assert order["properties"]["refunded"]["type"] == "integer"
    assert order["properties"]["refunds"]["items"] == {"$ref": "#/components/schemas/RefundOut"}
    assert schemas["RefundOut"]["properties"] == {
        "amount": {"title": "Amount", "type": "integer"},
        "refunded_at": {"title": "Refunded At", "type": "string"},
    }
