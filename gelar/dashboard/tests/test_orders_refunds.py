"""Refunds on the exhibitor's order page: owner, teammate, outsider.

The batik shop (owner Siti, staff Budi) sells two shirts (Rp 300.000) paid by
QRIS; Joko owns the amplang booth and is the outsider.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from gelar.audit.models import AuditEntry
from gelar.orders.models import Order
from gelar.orders.services import BuyerInfo, DeliveryInfo, LineRequest, checkout_submit
from gelar.payments.models import Payment, Refund
from gelar.payments.services import payment_confirm, refund_record
from gelar.testing import (
    at,
    build_expo,
    make_exhibitor_member,
    make_payment_settings,
    make_user,
)

pytestmark = pytest.mark.django_db

NOW = at(24, 10)


@dataclass
class Paid:
    world: object
    order: Order
    owner: object
    staff: object
    outsider: object


def order_of(world, key: str) -> Order:
    checkout = checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Rina Kusuma", whatsapp="081234567890"),
        lines=[LineRequest(product_id=world.shirt.pk, quantity=2)],
        idempotency_key=key,
        delivery=DeliveryInfo(method="pickup"),
        payment_method="qris",
        now=NOW,
    )
    return checkout.orders.get()


@pytest.fixture
def paid() -> Paid:
    world = build_expo()
    world.shirt.stock = 10
    world.shirt.save(update_fields=["stock"])
    make_payment_settings(exhibitor=world.batik)
    owner = make_user(email="siti@example.com", full_name="Siti Rahmawati")
    staff = make_user(email="budi@example.com", full_name="Budi Santoso")
    outsider = make_user(email="joko@example.com", full_name="Joko Amplang")
    make_exhibitor_member(exhibitor=world.batik, user=owner, role="owner")
    make_exhibitor_member(exhibitor=world.batik, user=staff, role="staff")
    make_exhibitor_member(exhibitor=world.amplang, user=outsider, role="owner")
    order = order_of(world, "refund-page")
    payment_confirm(order=order, actor=owner, now=NOW)
    order.refresh_from_db()
    return Paid(world=world, order=order, owner=owner, staff=staff, outsider=outsider)


def page_url(order) -> str:
    return reverse("dashboard:order", args=[order.exhibitor.slug, order.number])


def refund_url(order) -> str:
    return reverse("dashboard:order_refund", args=[order.exhibitor.slug, order.number])


def cancel_url(order) -> str:
    return reverse("dashboard:order_cancel", args=[order.exhibitor.slug, order.number])


FORM = {"amount": "100.000", "method": "transfer", "reason": "Satu kemeja rusak"}


def owed(amount: str) -> str:
    return escape(gettext("Refund owed: %(amount)s") % {"amount": amount})


def test_the_owner_sees_the_form_with_what_is_left(client, paid):
    client.force_login(paid.owner)

    html = client.get(page_url(paid.order)).content.decode()

    assert escape(gettext("Record a refund")) in html
    assert 'name="amount" value="300000"' in html
    assert '<option value="qris" selected>' in html
    assert owed("Rp300.000") not in html  # paid and not cancelled: nothing owed


def test_the_owner_records_a_refund(client, paid):
    client.force_login(paid.owner)

    response = client.post(refund_url(paid.order), {**FORM, "reference": "BRI 0099"})

    assert response.status_code == 302
    assert response.url == page_url(paid.order)
    refund = Refund.objects.get()
    assert (refund.amount, refund.method, refund.reason, refund.reference) == (
        100000,
        "transfer",
        "Satu kemeja rusak",
        "BRI 0099",
    )
    assert refund.recorded_by == paid.owner
    html = client.get(page_url(paid.order)).content.decode()
    expected = gettext("A refund of %(amount)s for order %(number)s is recorded.") % {
        "amount": "Rp100.000",
        "number": paid.order.number,
    }
    assert escape(expected) in html
    assert "Satu kemeja rusak" in html
    assert 'name="amount" value="200000"' in html
    assert Order.objects.get(pk=paid.order.pk).status == "paid"


def test_the_teammate_can_refund_the_rest(client, paid):
    client.force_login(paid.staff)

    response = client.post(refund_url(paid.order), {**FORM, "amount": "Rp300.000"})

    assert response.status_code == 302
    assert Refund.objects.get().recorded_by == paid.staff
    assert Payment.objects.get().status == "refunded"
    html = client.get(page_url(paid.order)).content.decode()
    assert escape(gettext("Record a refund")) not in html  # nothing left


def test_the_outsider_gets_404_and_nothing_is_recorded(client, paid):
    client.force_login(paid.outsider)
    audit_before = AuditEntry.objects.count()

    assert client.get(page_url(paid.order)).status_code == 404
    assert client.post(refund_url(paid.order), FORM).status_code == 404

    assert not Refund.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert Payment.objects.get().status == "confirmed"


def test_signed_out_is_sent_to_log_in(client, paid):
    response = client.post(refund_url(paid.order), FORM)

    assert response.status_code == 302
    assert not Refund.objects.exists()


def test_more_than_was_paid_is_refused_on_the_page(client, paid):
    client.force_login(paid.owner)
    refund_record(order=paid.order, actor=paid.owner, amount=250000, method="cash", reason="x")

    response = client.post(refund_url(paid.order), FORM)

    assert response.status_code == 200
    message = gettext("At most %(remaining)s of order %(number)s is left to refund.") % {
        "remaining": "Rp50.000",
        "number": paid.order.number,
    }
    assert escape(message) in response.content.decode()
    assert list(Refund.objects.values_list("amount", flat=True)) == [250000]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "seratus"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": ""}, "amount"),
        ({"method": "bitcoin"}, "method"),
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 301}, "reason"),
        ({"reference": "R" * 101}, "reference"),
    ],
)
def test_bad_input_is_shown_on_the_field(client, paid, changes, field):
    client.force_login(paid.owner)

    response = client.post(refund_url(paid.order), {**FORM, **changes})

    assert response.status_code == 200
    assert field in response.context["refund_form"].errors
    assert not Refund.objects.exists()


def test_an_unpaid_order_has_no_form_and_refuses_a_post(client, paid):
    client.force_login(paid.owner)
    unpaid = order_of(paid.world, "unpaid")

    html = client.get(page_url(unpaid)).content.decode()
    response = client.post(refund_url(unpaid), FORM)

    assert escape(gettext("Record a refund")) not in html
    assert response.status_code == 200
    message = gettext("Order %(number)s has not been paid; there is nothing to refund.") % {
        "number": unpaid.number
    }
    assert escape(message) in response.content.decode()
    assert not Refund.objects.exists()


def test_get_on_the_refund_url_is_405(client, paid):
    client.force_login(paid.owner)

    assert client.get(refund_url(paid.order)).status_code == 405


def test_cancelling_a_paid_order_says_a_refund_is_owed(client, paid):
    client.force_login(paid.owner)

    response = client.post(cancel_url(paid.order), {"reason": "Stok habis di gudang"})

    assert response.status_code == 302
    html = client.get(page_url(paid.order)).content.decode()
    message = gettext(
        "The buyer had paid: a refund of %(amount)s is owed. Record it once paid back."
    ) % {"amount": "Rp300.000"}
    assert escape(message) in html
    assert owed("Rp300.000") in html

    client.post(refund_url(paid.order), {**FORM, "amount": "300.000"})

    html = client.get(page_url(paid.order)).content.decode()
    assert owed("Rp300.000") not in html
    assert "order-refund-owed" not in html
