"""The checkout and order endpoints of the JSON API."""

import json

import pytest
from django.test import Client
from django.utils.translation import gettext as t

from gelar.catalog.models import Product
from gelar.orders.models import Checkout, Order

pytestmark = pytest.mark.django_db


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def body(world, snack, **changes) -> dict:
    value = {
        "buyer": {"name": "Rina Kusuma", "whatsapp": "0812 3456 7890", "email": ""},
        "lines": [
            {"product_id": world.shirt.pk, "quantity": 2},
            {"product_id": snack.pk, "quantity": 3},
        ],
        "booths": [
            {
                "exhibitor": world.batik.slug,
                "delivery": {"method": "pickup"},
                "payment_method": "qris",
            },
            {
                "exhibitor": world.amplang.slug,
                "delivery": {
                    "method": "courier",
                    "address": "Jl. Hayam Wuruk 5",
                    "city": "Kota Pekalongan",
                    "postal_code": "51111",
                },
                "payment_method": "transfer",
            },
        ],
    }
    value.update(changes)
    return value


def post(client, world, data, key: str | None = "key-1"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    payload = data if isinstance(data, str) else json.dumps(data)
    return client.post(
        f"/api/v1/expos/{world.expo.slug}/checkout",
        payload,
        content_type="application/json",
        headers=headers,
    )


def test_checkout_creates_one_order_per_booth(client, world, snack):
    data = body(world, snack)
    data["lines"][0]["price"] = 1  # ignored: prices are the catalogue's

    response = post(client, world, data)

    assert response.status_code == 201
    result = response.json()
    checkout = Checkout.objects.get()
    batik, amplang = checkout.orders.order_by("pk")
    assert result["token"] == checkout.token
    assert result["url"] == f"http://testserver/pesanan/{checkout.token}/"
    assert [
        (o["number"], o["exhibitor_slug"], o["status"], o["payment_method"], o["total"])
        for o in result["orders"]
    ] == [
        (batik.number, world.batik.slug, "awaiting_payment", "qris", 300000),
        (amplang.number, world.amplang.slug, "awaiting_payment", "transfer", amplang.total),
    ]
    assert amplang.total == 75000 + amplang.unique_code
    qris_payment = result["orders"][0]["payment"]
    assert qris_payment["qris_payload"].startswith("00020101021226")  # dynamic: 01 = 12
    transfer = result["orders"][1]["payment"]
    assert (transfer["bank_name"], transfer["total"]) == ("BRI", amplang.total)
    assert (stock(world.shirt), stock(snack)) == (1, 7)

    status = client.get(f"/api/v1/orders/{checkout.token}")
    assert status.status_code == 200
    assert status.json() == result


def test_the_same_key_gives_the_same_answer_and_one_checkout(client, world, snack):
    first = post(client, world, body(world, snack))
    second = post(client, world, body(world, snack))
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert (Checkout.objects.count(), Order.objects.count(), stock(world.shirt)) == (1, 2, 1)

    other = body(world, snack)
    other["lines"][0]["quantity"] = 1
    reused = post(client, world, other)
    assert reused.status_code == 409
    assert reused.json()["code"] == "idempotency_key_reused"
    assert Checkout.objects.count() == 1


def test_the_idempotency_key_is_required(client, world, snack):
    response = post(client, world, body(world, snack), key=None)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    malformed = post(client, world, body(world, snack), key="with spaces")
    assert (malformed.status_code, malformed.json()["code"]) == (422, "idempotency_key_invalid")
    assert Checkout.objects.count() == 0


def test_out_of_stock_lists_every_shortfall(client, world, snack):
    Product.objects.filter(pk=snack.pk).update(stock=2)
    data = body(world, snack)
    data["lines"][0]["quantity"] = 4

    response = post(client, world, data)

    assert response.status_code == 409
    result = response.json()
    assert result["code"] == "out_of_stock"
    assert result["shortfalls"] == [
        {
            "product_id": world.shirt.pk,
            "product_name": "Kemeja Batik Tulis Sekar Jagad",
            "requested": 4,
            "available": 3,
        },
        {
            "product_id": snack.pk,
            "product_name": "Amplang Ikan Tenggiri",
            "requested": 3,
            "available": 2,
        },
    ]
    assert (stock(world.shirt), stock(snack), Checkout.objects.count()) == (3, 2, 0)


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"lines": []}, 422, "cart_empty"),
        ({"lines": [{"product_id": 1, "quantity": 0}]}, 422, "quantity_invalid"),
        ({"lines": [{"product_id": 1, "quantity": -1}]}, 422, "quantity_invalid"),
        ({"lines": [{"product_id": 1, "quantity": 101}]}, 422, "quantity_invalid"),
        ({"lines": [{"product_id": 999999, "quantity": 1}]}, 422, "products_unavailable"),
        ({"buyer": {"name": "Rina", "whatsapp": "12"}}, 422, "invalid_whatsapp"),
        ({"buyer": {"name": " ", "whatsapp": "081234567890"}}, 422, "name_required"),
        ({"booths": []}, 422, "choice_missing"),
    ],
)
def test_bad_input_is_a_typed_error(client, world, snack, change, status, code):
    response = post(client, world, body(world, snack, **change))
    assert (response.status_code, response.json().get("code")) == (status, code)
    assert (Checkout.objects.count(), stock(world.shirt), stock(snack)) == (0, 3, 10)


def test_hidden_products_and_unoffered_payment_methods_are_refused(client, world, snack):
    hidden = body(world, snack, lines=[{"product_id": world.hidden.pk, "quantity": 1}])
    response = post(client, world, hidden)
    assert response.json() == {
        "detail": t("Some products in the cart are no longer for sale; please remove them."),
        "code": "products_unavailable",
        "field": "lines",
        "product_ids": [world.hidden.pk],
        "shortfalls": [],
    }
    data = body(world, snack)
    data["booths"][1]["payment_method"] = "qris"  # the snack seller takes transfers only
    response = post(client, world, data)
    assert (response.status_code, response.json()["code"]) == (422, "payment_method_not_accepted")
    assert Checkout.objects.count() == 0


def _body(lines, booths=(), **buyer) -> str:
    buyer = {"name": "x", "whatsapp": "0812345678", **buyer}
    return json.dumps({"buyer": buyer, "lines": lines, "booths": list(booths)})


NUL_BOOTH = {"exhibitor": "x", "delivery": {"method": "pickup"}, "payment_method": "cash"}


@pytest.mark.parametrize(
    "payload",
    [
        "garbage",
        "",
        "null",
        "[]",
        '{"buyer": 1}',
        '{"buyer": {}, "lines": "x", "booths": {}}',
        _body([{"product_id": "abc", "quantity": 1}]),
        _body([{"product_id": 1, "quantity": 1.5}]),
        _body([{"product_id": 2**70, "quantity": 2**70}]),
        _body([{"product_id": 2**70, "quantity": 1}]),
        _body([{"product_id": 1, "quantity": 1}], name="Ri\x00na"),
        _body([{"product_id": 1, "quantity": 1}], [NUL_BOOTH], whatsapp="\x00"),
        _body(
            [],
            [{"exhibitor": "nope", "delivery": {"method": "x"}, "payment_method": "y"}],
            name="x" * 5000,
            whatsapp="0",
        ),
    ],
)
def test_garbage_bodies_never_make_a_server_error(world, payload):
    client = Client(raise_request_exception=False)
    response = post(client, world, payload)
    assert 400 <= response.status_code < 500
    assert Checkout.objects.count() == 0


def test_unknown_expo_and_token_are_404(client, world, snack):
    response = client.post(
        "/api/v1/expos/tidak-ada/checkout",
        json.dumps(body(world, snack)),
        content_type="application/json",
        headers={"Idempotency-Key": "k"},
    )
    assert response.status_code == 404
    for token in ("tidak-ada", "%00", "x" * 200, "🙂"):
        assert client.get(f"/api/v1/orders/{token}").status_code == 404
