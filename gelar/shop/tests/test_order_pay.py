"""Paying an order online from the buyer's order page and through the API.

Midtrans is the fake of gelar/payments/tests/test_gateway.py (urlopen replaced,
answering with the documented Snap response).
"""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as t

from gelar.orders.models import Order
from gelar.orders.services import BuyerInfo, DeliveryInfo, LineRequest, checkout_submit
from gelar.payments import midtrans
from gelar.payments.models import ExhibitorPaymentSettings, Payment
from gelar.payments.tests.test_gateway import SERVER_KEY, SITE, SNAP_ANSWER, FakeMidtrans

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(monkeypatch) -> FakeMidtrans:
    found = FakeMidtrans()
    monkeypatch.setattr(midtrans.urllib.request, "urlopen", found)
    return found


@pytest.fixture(autouse=True)
def gateway_on(settings, world):
    settings.MIDTRANS_SERVER_KEY = SERVER_KEY
    settings.SITE_URL = SITE
    ExhibitorPaymentSettings.objects.filter(exhibitor=world.batik).update(gateway_enabled=True)


def place(world, snack, *, key: str):
    """A checkout of two booths: the batik one paid online, the snack one by transfer."""
    return checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Rina Kusuma", whatsapp="0812 3456 7890"),
        lines=[
            LineRequest(product_id=world.shirt.pk, quantity=1),
            LineRequest(product_id=snack.pk, quantity=2),
        ],
        idempotency_key=key,
        delivery={
            world.batik.pk: DeliveryInfo(method="pickup"),
            world.amplang.pk: DeliveryInfo(
                method="courier",
                address="Jl. Hayam Wuruk 5",
                city="Pekalongan",
                postal_code="51111",
            ),
        },
        payment_method={world.batik.pk: "gateway", world.amplang.pk: "transfer"},
    )


@pytest.fixture
def checkout(world, snack):
    return place(world, snack, key="pay-1")


@pytest.fixture
def online(checkout, world) -> Order:
    return checkout.orders.get(exhibitor=world.batik)


@pytest.fixture
def by_transfer(checkout, world) -> Order:
    return checkout.orders.get(exhibitor=world.amplang)


def pay_url(checkout, order) -> str:
    return f"/pesanan/{checkout.token}/bayar/{order.number}/"


# --- the order page -------------------------------------------------------------------


def test_the_page_offers_online_payment_and_the_button_goes_to_midtrans(
    client, checkout, online, fake: FakeMidtrans
):
    page = client.get(f"/pesanan/{checkout.token}/")
    html = page.content.decode()
    assert f'action="{pay_url(checkout, online)}"' in html
    assert escape(t("Pay online")) in html
    assert escape(t("Pay online: you will be taken to Midtrans' secure page.")) in html
    assert fake.requests == []  # showing the page starts nothing

    response = client.post(pay_url(checkout, online))

    assert response.status_code == 302
    assert response["Location"] == SNAP_ANSWER["redirect_url"]
    assert len(fake.requests) == 1
    body = json.loads(fake.requests[0].data)
    assert body["callbacks"] == {"finish": f"{SITE}/pesanan/{checkout.token}/"}
    # Back on the page, the started payment is a plain link; pressing again reuses it.
    html = client.get(f"/pesanan/{checkout.token}/").content.decode()
    assert f'href="{SNAP_ANSWER["redirect_url"]}"' in html
    again = client.post(pay_url(checkout, online))
    assert (again.status_code, again["Location"]) == (302, SNAP_ANSWER["redirect_url"])
    assert len(fake.requests) == 1
    assert Payment.objects.count() == 1


def test_the_button_needs_the_csrf_token(checkout, online, fake):
    response = Client(enforce_csrf_checks=True).post(pay_url(checkout, online))
    assert response.status_code == 403
    assert fake.requests == []
    assert not Payment.objects.exists()


def test_only_orders_of_the_checkout_behind_the_link(client, world, snack, checkout, online, fake):
    other = place(world, snack, key="pay-2")
    # Another buyer's link with this order's number: not theirs to pay.
    assert client.post(pay_url(other, online)).status_code == 404
    assert client.post(f"/pesanan/not-a-token/bayar/{online.number}/").status_code == 404
    assert client.post(f"/pesanan/{checkout.token}/bayar/XYZ-000001/").status_code == 404
    assert client.get(pay_url(checkout, online)).status_code == 405
    assert fake.requests == []
    assert not Payment.objects.exists()


def test_an_order_paid_otherwise_has_no_button_and_is_refused(client, checkout, by_transfer, fake):
    html = client.get(f"/pesanan/{checkout.token}/").content.decode()
    assert pay_url(checkout, by_transfer) not in html

    response = client.post(pay_url(checkout, by_transfer))

    assert response.status_code == 409
    message = t("Order %(number)s is not paid online.") % {"number": by_transfer.number}
    assert f'<div class="form-errors" role="alert"><p>{escape(message)}</p></div>' in (
        response.content.decode()
    )
    assert fake.requests == []


def test_an_expired_reservation_is_409_on_the_page(client, checkout, online, fake):
    Order.objects.filter(pk=online.pk).update(reserved_until=timezone.now() - timedelta(seconds=1))

    response = client.post(pay_url(checkout, online))

    assert response.status_code == 409
    html = response.content.decode()
    message = t("The stock reservation of order %(number)s has ended; please order again.")
    assert escape(message % {"number": online.number}) in html
    # The page is still the order page, linking to itself rather than to the POST URL.
    assert f'href="/pesanan/{checkout.token}/"' in html
    assert fake.requests == []


def test_midtrans_down_is_503_on_the_page_and_a_retry_works(client, checkout, online, fake):
    fake.error = TimeoutError("timed out")
    response = client.post(pay_url(checkout, online))
    assert response.status_code == 503
    assert escape(
        t("Online payment is unavailable right now; please try again in a few minutes.")
    ) in (response.content.decode())
    assert not Payment.objects.exists()

    fake.error = None
    assert client.post(pay_url(checkout, online))["Location"] == SNAP_ANSWER["redirect_url"]


# --- the API --------------------------------------------------------------------------


def api_pay(client, checkout_token: str, number: str):
    response = client.post(f"/api/v1/orders/{checkout_token}/{number}/pay")
    return response.status_code, response.json()


def test_api_starts_the_payment_once(checkout, online, fake):
    # No CSRF for the API: the checkout token in the path is the key.
    client = Client(enforce_csrf_checks=True)
    expected = {"redirect_url": SNAP_ANSWER["redirect_url"], "token": SNAP_ANSWER["token"]}
    assert api_pay(client, checkout.token, online.number) == (200, expected)
    assert api_pay(client, checkout.token, online.number) == (200, expected)
    assert len(fake.requests) == 1
    assert Payment.objects.get().gateway_token == SNAP_ANSWER["token"]


def test_api_refusals(client, world, snack, checkout, online, by_transfer, fake):
    other = place(world, snack, key="pay-2")
    not_found = (404, {"detail": t("Order not found.")})
    assert api_pay(client, other.token, online.number) == not_found
    assert api_pay(client, "not-a-token", online.number) == not_found
    assert api_pay(client, checkout.token, "XYZ-000001") == not_found
    assert api_pay(client, checkout.token, by_transfer.number) == (
        409,
        {
            "detail": t("Order %(number)s is not paid online.") % {"number": by_transfer.number},
            "code": "not_gateway",
            "field": None,
            "product_ids": [],
            "shortfalls": [],
        },
    )
    assert fake.requests == []

    fake.error = TimeoutError("timed out")
    status, body = api_pay(client, checkout.token, online.number)
    assert (status, body["code"]) == (503, "gateway_unavailable")
    assert not Payment.objects.exists()
