"""Odd, hostile or broken input to every shop URL never makes a server error."""

import pytest
from django.test import Client

from gelar.orders.models import Checkout
from gelar.shop.cart import SESSION_KEY

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "-1",
    "0",
    "abc",
    "999999999999999999999",
    "1.5",
    "1e9",
    "<script>alert(1)</script>",
    "\x00",
    "🙂🎉",
    "x" * 5000,
    "' OR 1=1 --",
    " ",
]
FIELDS = [
    "product",
    "quantity",
    "next",
    "remove",
    "name",
    "whatsapp",
    "email",
    "address",
    "city",
    "postal_code",
    "note",
    "idempotency_key",
]


def test_odd_values_in_every_field_of_every_shop_url(world, snack):
    client = Client(raise_request_exception=False)
    expo = f"/expo/{world.expo.slug}"
    client.post(f"{expo}/keranjang/tambah/", {"product": world.shirt.pk})
    client.post(f"{expo}/keranjang/tambah/", {"product": snack.pk})
    booth_fields = [
        f"{kind}-{exhibitor.pk}"
        for kind in ("delivery", "payment")
        for exhibitor in (world.batik, world.amplang)
    ]
    for value in ODD_VALUES:
        data = {name: value for name in [*FIELDS, *booth_fields, f"qty-{snack.pk}"]}
        for path in (f"{expo}/keranjang/tambah/", f"{expo}/keranjang/", f"{expo}/checkout/"):
            for prefix in ("", "/en"):
                response = client.post(prefix + path, data)
                assert response.status_code in (200, 302), (path, value)
                assert client.get(prefix + path, data).status_code in (200, 302, 405)
        assert client.get(f"/pesanan/{value.strip() or 'x'}/").status_code == 404
    assert Checkout.objects.count() == 0


def test_a_tampered_session_cart_never_makes_a_server_error(world):
    client = Client(raise_request_exception=False)
    for junk in (
        "x",
        [],
        {str(world.expo.pk): "x"},
        {str(world.expo.pk): {"99999999999999999999": 1}},
        {str(world.expo.pk): {str(world.shirt.pk): 10**9}},
    ):
        session = client.session
        session[SESSION_KEY] = junk
        session.save()
        for path in ("keranjang/", "checkout/"):
            response = client.get(f"/expo/{world.expo.slug}/{path}")
            assert response.status_code in (200, 302), (junk, path)


def test_unknown_expos_are_404(client):
    assert client.get("/expo/tidak-ada/keranjang/").status_code == 404
    assert client.get("/expo/tidak-ada/checkout/").status_code == 404
    assert client.post("/expo/tidak-ada/keranjang/tambah/", {"product": 1}).status_code == 404
