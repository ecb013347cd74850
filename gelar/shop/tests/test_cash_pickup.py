"""A cash order set aside for pick-up is still to be paid: every interface says so."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext as t

from gelar.orders.services import (
    BuyerInfo,
    DeliveryInfo,
    LineRequest,
    checkout_submit,
    order_set_status,
)
from gelar.testing import accept_every_payment, build_expo, make_organizer_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready():
    world = accept_every_payment(build_expo())
    checkout = checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Rina Kusuma", whatsapp="081234567890"),
        lines=[LineRequest(product_id=world.shirt.pk, quantity=1)],
        idempotency_key="cash-1",
        delivery=DeliveryInfo(method="pickup"),
        payment_method="cash",
    )
    order = order_set_status(order=checkout.orders.get(), actor=None, status="ready_for_pickup")
    return world, checkout, order


def test_the_buyer_sees_how_to_pay_at_the_booth(client, ready):
    _world, checkout, _order = ready
    page = client.get(f"/pesanan/{checkout.token}/").content.decode()
    assert t("Pay in cash at the booth when you pick up your order.") in page

    body = client.get(f"/api/v1/orders/{checkout.token}").json()
    (order,) = body["orders"]
    assert order["status"] == "ready_for_pickup"
    assert (order["payment"]["method"], order["payment"]["total"]) == ("cash", 150000)


def test_the_organizer_confirms_the_cash_at_the_hand_over(client, ready):
    world, _checkout, order = ready
    staff = make_user(email="staf@example.com")
    make_organizer_member(organizer=world.expo.organizer, user=staff, role="staff")
    client.force_login(staff)
    target = reverse("console:order_confirm_payment", args=[world.expo.slug, order.number])

    response = client.post(target, {"amount": "150.000"})

    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.paid_at is not None) == ("ready_for_pickup", True)
    assert order.payments.get().confirmed_by == staff
