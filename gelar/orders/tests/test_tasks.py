"""The orders' Celery task, run as the worker runs it (Task.apply: in this process, no
broker): the expiry of unpaid reservations that beat sends every minute."""

import pytest

from gelar.catalog.models import Product
from gelar.orders.models import Order
from gelar.orders.services import BuyerInfo, DeliveryInfo, LineRequest, checkout_submit
from gelar.orders.tasks import expire_reservations
from gelar.testing import accept_every_payment, at, build_expo

pytestmark = pytest.mark.django_db


def test_the_periodic_task_releases_expired_reservations_once():
    world = accept_every_payment(build_expo())
    checkout = checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Rina", whatsapp="081234567890", email=""),
        lines=[LineRequest(product_id=world.shirt.pk, quantity=2)],
        idempotency_key="task-1",
        delivery=DeliveryInfo(method="pickup"),
        payment_method="qris",
        now=at(24, 9),  # reserved for 15 minutes, in 2021: long over
    )
    assert Product.objects.get(pk=world.shirt.pk).stock == 1

    assert expire_reservations.apply().get() == 1
    assert expire_reservations.apply().get() == 0  # a repeated tick does nothing

    assert Order.objects.get(checkout=checkout).status == "expired"
    assert Product.objects.get(pk=world.shirt.pk).stock == 3
