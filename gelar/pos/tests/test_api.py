import json

import pytest
from django.test import Client
from django.utils import translation

from gelar.catalog.models import Product
from gelar.pos.models import PosSale
from gelar.testing import (
    build_expo,
    make_exhibitor_member,
    make_payment_settings,
    make_user,
)

pytestmark = pytest.mark.django_db


class Booth:
    def __init__(self):
        self.world = build_expo()
        make_payment_settings(exhibitor=self.world.batik)
        self.owner = make_user(email="pemilik@batik.test")
        make_exhibitor_member(exhibitor=self.world.batik, user=self.owner, role="owner")
        self.teammate = make_user(email="kasir@batik.test")
        make_exhibitor_member(exhibitor=self.world.batik, user=self.teammate, role="staff")
        self.outsider = make_user(email="orang@luar.test")
        make_exhibitor_member(exhibitor=self.world.amplang, user=self.outsider, role="owner")
        base = f"/api/v1/pos/{self.world.batik.slug}/{self.world.expo.slug}"
        self.catalogue = f"{base}/catalogue"
        self.sales = f"{base}/sales"
        self.sync = f"{base}/sync"


@pytest.fixture
def booth():
    return Booth()


def as_user(user, **kwargs) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **kwargs)
    client.force_login(user)
    return client


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def a_sale(booth, **fields):
    return {
        "client_key": "till-1",
        "lines": [{"product_id": booth.world.shirt.pk, "quantity": 2}],
        "payment_method": "cash",
        "cash_given": 300000,
        "total": 300000,
        **fields,
    }


def test_catalogue_for_the_team(booth):
    for user in (booth.owner, booth.teammate):
        response = as_user(user).get(booth.catalogue)
        assert response.status_code == 200
        body = response.json()
        assert body["booth"] == {
            "exhibitor_slug": booth.world.batik.slug,
            "exhibitor_name": "Batik Sekar Jagad",
            "expo_slug": booth.world.expo.slug,
            "expo_name": "Pekalongan Hybrid Expo 2021",
            "time_zone": "Asia/Jakarta",
        }
        assert [p["name"] for p in body["products"]] == [
            "Kemeja Batik Tulis Sekar Jagad",
            "Selendang Sutra Pesisiran",
        ]
        assert body["products"][0]["label_code"] == f"GLRP.{booth.world.shirt.pk}"
        assert body["products"][0]["stock"] == 3


def test_outsiders_get_404_and_the_signed_out_401(booth):
    outsider = as_user(booth.outsider)

    assert outsider.get(booth.catalogue).status_code == 404
    assert post(outsider, booth.sales, a_sale(booth)).status_code == 404
    assert post(outsider, booth.sync, {"sales": [a_sale(booth)]}).status_code == 404
    assert Client().get(booth.catalogue).status_code == 401
    assert post(Client(), booth.sales, a_sale(booth)).status_code == 401
    # An online-only booth has no till, even for its own team.
    own = f"/api/v1/pos/{booth.world.amplang.slug}/{booth.world.expo.slug}/catalogue"
    assert outsider.get(own).status_code == 404
    assert PosSale.objects.count() == 0
    assert stock(booth.world.shirt) == 3


def test_a_sale_online_then_its_replay(booth):
    client = as_user(booth.teammate)

    created = post(client, booth.sales, a_sale(booth, cash_given=350000))
    replay = post(client, booth.sales, a_sale(booth, cash_given=350000))

    assert created.status_code == 201
    body = created.json()
    sale = PosSale.objects.get()
    assert body["number"] == sale.number
    assert (body["status"], body["total"], body["cash_given"], body["change"]) == (
        "completed",
        300000,
        350000,
        50000,
    )
    assert (body["charged_total"], body["charge_difference"]) == (300000, 0)
    assert body["receipt_token"] == sale.receipt_token
    assert body["lines"] == [
        {
            "product_id": booth.world.shirt.pk,
            "product_name": "Kemeja Batik Tulis Sekar Jagad",
            "unit_price": 150000,
            "quantity": 2,
            "line_total": 300000,
            "short": 0,
        }
    ]
    assert sale.staff == booth.teammate
    assert replay.status_code == 200
    assert replay.json()["number"] == body["number"]
    assert stock(booth.world.shirt) == 1


def test_qris_sale(booth):
    response = post(
        as_user(booth.owner), booth.sales, a_sale(booth, payment_method="qris", cash_given=None)
    )

    assert response.status_code == 201
    assert (response.json()["payment_method"], response.json()["change"]) == ("qris", None)


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"total": 1000}, "total_mismatch"),
        ({"cash_given": 1000}, "cash_insufficient"),
        ({"lines": [{"product_id": 999999, "quantity": 1}]}, "product_unknown"),
        ({"lines": [{"product_id": 1, "quantity": -1}]}, "quantity_invalid"),
        ({"lines": []}, "lines_empty"),
        ({"payment_method": "emas"}, "payment_method_invalid"),
        ({"client_key": "with space"}, "client_key_invalid"),
    ],
)
def test_bad_sales_are_refused_with_a_reason(booth, fields, code):
    response = post(as_user(booth.owner), booth.sales, a_sale(booth, **fields))

    assert response.status_code == 422
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert PosSale.objects.count() == 0
    assert stock(booth.world.shirt) == 3


def test_another_booths_product_is_refused(booth):
    amplang = Product.objects.get(exhibitor=booth.world.amplang)
    sale = a_sale(booth, lines=[{"product_id": amplang.pk, "quantity": 1}], total=None)

    response = post(as_user(booth.owner), booth.sales, sale)

    assert response.status_code == 422
    assert response.json()["code"] == "product_unknown"
    assert stock(amplang) == 10


def test_malformed_sale_bodies_are_422(booth):
    client = as_user(booth.owner)
    assert post(client, booth.sales, {"client_key": "x"}).status_code == 422
    response = client.post(booth.sales, "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert PosSale.objects.count() == 0


def test_posts_need_the_csrf_token(booth):
    client = as_user(booth.owner, enforce_csrf_checks=True)
    client.get(booth.catalogue)  # the till page sets the cookie; any GET will do here
    refused = post(client, booth.sales, a_sale(booth))
    assert refused.status_code == 403
    assert PosSale.objects.count() == 0

    client.cookies.load({"csrftoken": "a" * 32})
    accepted = client.post(
        booth.sales,
        json.dumps(a_sale(booth)),
        content_type="application/json",
        HTTP_X_CSRFTOKEN="a" * 32,
    )
    assert accepted.status_code == 201


def test_sync_records_the_queue_once(booth):
    client = as_user(booth.teammate)
    queue = {
        "sales": [
            {**a_sale(booth, client_key="off-1"), "sold_at": "2021-11-24T09:05:00+07:00"},
            {**a_sale(booth, client_key="off-2"), "sold_at": "2021-11-24T09:06:00+07:00"},
            {"client_key": "off-3", "lines": "?", "payment_method": "cash"},
        ]
    }

    first = post(client, booth.sync, queue)
    again = post(client, booth.sync, queue)

    assert first.status_code == again.status_code == 200
    results = first.json()["results"]
    assert [(r["client_key"], r["status"], r["flagged"]) for r in results] == [
        ("off-1", "recorded", False),
        ("off-2", "recorded", True),  # 4 shirts sold, 3 in stock: one short
        ("off-3", "rejected", False),
    ]
    assert results[2]["code"] == "lines_empty"
    assert results[0]["receipt_url"].endswith(f"/struk/{results[0]['receipt_token']}/")
    assert [r["status"] for r in again.json()["results"]] == ["duplicate", "duplicate", "rejected"]
    assert PosSale.objects.count() == 2
    assert stock(booth.world.shirt) == 0


def test_sync_refuses_bad_batches_whole(booth):
    client = as_user(booth.owner)

    not_json = client.post(booth.sync, "[[[", content_type="application/json")
    not_a_list = post(client, booth.sync, {"sales": {"client_key": "x"}})
    too_many = post(client, booth.sync, {"sales": [{}] * 201})
    wrong_shape = post(client, booth.sync, [a_sale(booth)])

    assert not_json.status_code == 400
    assert not_a_list.status_code == 422
    assert too_many.status_code == 413
    # The API answers in the site's language (Indonesian; /api/ has no language prefix).
    with translation.override("id"):
        expected = translation.gettext("At most %(count)s sales per request.") % {"count": 200}
    assert too_many.json()["detail"] == expected
    assert wrong_shape.status_code == 422
    assert PosSale.objects.count() == 0


def test_an_offline_sale_at_old_prices_answers_what_was_charged(booth):
    """The device queued a sale at its old prices (Rp 140.000 for a shirt of Rp 150.000):
    the sync's answer and the sale's (its key sent again online) give the server's total
    beside what the buyer was charged, on which the change was worked out."""
    client = as_user(booth.teammate)
    queued = {
        "client_key": "off-old",
        "lines": [{"product_id": booth.world.shirt.pk, "quantity": 1}],
        "payment_method": "cash",
        "cash_given": 200000,
        "total": 140000,
        "sold_at": "2021-11-24T09:05:00+07:00",
    }

    synced = post(client, booth.sync, {"sales": [queued]})
    replay = post(client, booth.sales, {k: v for k, v in queued.items() if k != "sold_at"})

    (result,) = synced.json()["results"]
    assert (result["status"], result["flagged"]) == ("recorded", True)
    assert (result["total"], result["charged_total"]) == (150000, 140000)
    assert replay.status_code == 200
    body = replay.json()
    assert (body["total"], body["charged_total"], body["charge_difference"]) == (
        150000,
        140000,
        -10000,
    )
    assert (body["cash_given"], body["change"], body["status"]) == (200000, 60000, "flagged")
    assert PosSale.objects.get().charged_total == 140000
    assert stock(booth.world.shirt) == 2


def test_openapi_describes_the_charged_total(booth):
    schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert {"charged_total", "charge_difference"} <= set(schema["SaleOut"]["required"])
    assert "charged_total" in schema["SyncItemOut"]["properties"]
