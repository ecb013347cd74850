"""The checkout page and the buyer's order page run the same queries for one booth or many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gelar.catalog.models import Product
from gelar.orders.services import BuyerInfo, DeliveryInfo, LineRequest, checkout_submit
from gelar.testing import accept_every_payment, build_expo

pytestmark = pytest.mark.django_db

COURIER = DeliveryInfo(
    method="courier", address="Jl. Hayam Wuruk 5", city="Kota Pekalongan", postal_code="51111"
)


def one_product_per_booth(world, booths: int) -> list[Product]:
    products = []
    for exhibitor in [world.batik, world.amplang, *world.exhibitors][:booths]:
        products.append(
            Product.objects.filter(exhibitor=exhibitor, is_active=True, stock__gt=0)
            .exclude(pk=world.hidden.pk)
            .order_by("pk")
            .first()
        )
    assert len(products) == booths
    return products


def test_the_order_page_runs_the_same_queries_for_1_or_6_booths(client):
    small = accept_every_payment(build_expo(slug="kecil", suffix="-kecil"))
    large = accept_every_payment(build_expo(slug="besar", suffix="-besar", extra_exhibitors=4))

    def count(world, booths: int, key: str) -> int:
        methods = ["qris", "transfer"]
        products = one_product_per_booth(world, booths)
        checkout = checkout_submit(
            expo=world.expo,
            buyer=BuyerInfo(name="Rina Kusuma", whatsapp="081234567890"),
            lines=[LineRequest(product_id=p.pk, quantity=1) for p in products],
            idempotency_key=key,
            delivery=COURIER,
            payment_method={p.exhibitor_id: methods[n % 2] for n, p in enumerate(products)},
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/pesanan/{checkout.token}/")
        assert response.status_code == 200
        assert len(response.context["cards"]) == booths
        return len(queries)

    assert count(small, 1, "k-small") == count(large, 6, "k-large")


def test_the_checkout_page_runs_the_same_queries_for_1_or_6_booths(client):
    small = accept_every_payment(build_expo(slug="kecil", suffix="-kecil"))
    large = accept_every_payment(build_expo(slug="besar", suffix="-besar", extra_exhibitors=4))

    def count(world, booths: int) -> int:
        client.session.flush()
        for product in one_product_per_booth(world, booths):
            client.post(
                f"/expo/{world.expo.slug}/keranjang/tambah/",
                {"product": product.pk, "quantity": 1},
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/expo/{world.expo.slug}/checkout/")
        assert response.status_code == 200
        assert len(response.context["booths"]) == booths
        return len(queries)

    assert count(small, 1) == count(large, 6)
