import os

import pytest
from django.urls import reverse
from PIL import Image

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product, ProductImage
from gelar.catalog.tests.files import gps_exif, header_only_png, jpeg_bytes, png_bytes, upload
from gelar.dashboard.tests.conftest import db_state


def _body(**changes):
    body = {
        "name": "Kain Batik Tulis",
        "price": "Rp150.000",
        "stock": "7",
        "sku": "BTK-2",
        "description": "Kain 2 meter.",
        "is_active": "on",
    }
    body.update(changes)
    return body


def test_staff_adds_a_product_with_photos_from_the_camera(client, team):
    client.force_login(team.staff)
    url = reverse("dashboard:product_create", args=[team.business.slug])
    photos = [
        upload("IMG_0001.jpg", jpeg_bytes(size=(3000, 2000), exif=gps_exif())),
        upload("gallery.png", png_bytes(), "image/png"),
    ]
    response = client.post(url, _body(photos=photos))
    assert response.status_code == 302
    product = Product.objects.get(exhibitor=team.business, sku="BTK-2")
    assert (product.name, product.price, product.stock, product.is_active) == (
        "Kain Batik Tulis",
        150000,
        7,
        True,
    )
    assert product.slug == "kain-batik-tulis"
    images = list(product.images.order_by("position"))
    assert [image.position for image in images] == [0, 1]
    with Image.open(images[0].image.path) as stored:
        assert stored.format == "JPEG"
        # 3000 x 2000 turned upright (orientation 6), then fitted into 1600 px.
        assert stored.size == (1067, 1600)
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
    with Image.open(images[0].thumbnail.path) as thumbnail:
        assert thumbnail.size == (400, 400)
        assert dict(thumbnail.getexif()) == {}
    # The uploaded file name is not kept (it can say who or where).
    assert "IMG_0001" not in images[0].image.name
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["product.create", "product.photo_add"]


@pytest.mark.parametrize(
    ("raw", "price"),
    [("150.000", 150000), ("150000", 150000), ("Rp150.000", 150000), ("Rp 1.250.000,-", 1250000)],
)
def test_prices_as_people_write_them(client, team, raw, price):
    client.force_login(team.owner)
    url = reverse("dashboard:product_create", args=[team.business.slug])
    assert client.post(url, _body(price=raw)).status_code == 302
    assert Product.objects.get(sku="BTK-2").price == price


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"price": "12,5"}, "price", "price_decimal"),
        ({"price": "-5000"}, "price", "price_negative"),
        ({"price": "seratus"}, "price", "price_invalid"),
        ({"stock": "-1"}, "stock", "min_value"),
        ({"sku": "BTK-1"}, "sku", "sku_taken"),  # the fixture product's SKU
    ],
)
def test_bad_product_input_keeps_everything_typed(client, team, changes, field, code):
    client.force_login(team.owner)
    url = reverse("dashboard:product_create", args=[team.business.slug])
    before = db_state()
    response = client.post(url, _body(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert [error.code for error in form.errors.as_data()[field]] == [code]
    typed = _body(**changes)
    for name in ("name", "price", "stock", "sku", "description"):
        assert form[name].value() == typed[name]
    assert f'value="{typed[field]}"' in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize(
    ("photo", "code"),
    [
        (upload("kucing.jpg", b"GIF89a not really a jpeg at all"), "image_invalid"),
        (upload("doc.jpg", b"%PDF-1.4 renamed"), "image_invalid"),
        (upload("besar.jpg", b"\xff\xd8\xff" + b"\x00" * (8 * 1024 * 1024)), "image_too_large"),
        (
            upload("bom.png", header_only_png(100_000, 100_000), "image/png"),
            "image_too_many_pixels",
        ),
        (upload("bom2.png", header_only_png(8000, 6000), "image/png"), "image_too_many_pixels"),
        (upload("rusak.jpg", jpeg_bytes()[:200]), "image_invalid"),
    ],
    ids=["not-an-image", "pdf-renamed", "over-8-mb", "bomb-10-gigapixel", "48-megapixel", "cut"],
)
def test_bad_photos_are_refused_next_to_the_field(client, team, photo, code):
    client.force_login(team.owner)
    url = reverse("dashboard:product_create", args=[team.business.slug])
    before = db_state()
    response = client.post(url, _body(photos=[upload("ok.jpg", jpeg_bytes()), photo]))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["photos"]
    assert [error.code for error in form.errors.as_data()["photos"]] == [code]
    assert form["name"].value() == "Kain Batik Tulis"
    assert form["price"].value() == "Rp150.000"
    assert db_state() == before


def test_edit_audits_price_and_stock_separately(client, team):
    client.force_login(team.staff)
    url = reverse("dashboard:product_edit", args=[team.business.slug, team.product.pk])
    form = client.get(url).context["form"]
    assert form["price"].value() == "150.000"
    assert form["stock_seen"].value() == 10
    response = client.post(
        url,
        _body(name="Kemeja Batik", sku="BTK-1", price="175.000", stock="4", stock_seen="10"),
    )
    assert response.status_code == 302
    product = Product.objects.get(pk=team.product.pk)
    assert (product.price, product.stock) == (175000, 4)
    entries = {
        entry.action: entry.changes
        for entry in AuditEntry.objects.filter(object_id=str(product.pk))
    }
    assert entries["product.price"] == {"price": [150000, 175000]}
    assert entries["product.stock"] == {"stock": [10, 4]}
    assert entries["product.update"] == {
        "description": ["", "Kain 2 meter."],
    }


def test_stock_changed_meanwhile_is_not_overwritten(client, team):
    """The form was opened at stock 10; an order took 3 meanwhile; saving 12 must not
    silently undo the order."""
    client.force_login(team.owner)
    url = reverse("dashboard:product_edit", args=[team.business.slug, team.product.pk])
    Product.objects.filter(pk=team.product.pk).update(stock=7)  # the order
    response = client.post(
        url,
        _body(name="Kemeja Batik Baru", sku="BTK-1", price="200.000", stock="12", stock_seen="10"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()["stock"]] == ["stock_changed"]
    assert form["stock_seen"].value() == "7"
    assert form["name"].value() == "Kemeja Batik Baru"
    product = Product.objects.get(pk=team.product.pk)
    # Nothing of the edit is saved: the name and price wait with the stock.
    assert (product.name, product.price, product.stock) == ("Kemeja Batik", 150000, 7)
    # Saving again after checking applies the new count against the current one.
    again = client.post(
        url,
        _body(name="Kemeja Batik Baru", sku="BTK-1", price="200.000", stock="12", stock_seen="7"),
    )
    assert again.status_code == 302
    assert Product.objects.get(pk=team.product.pk).stock == 12


def test_unchanged_stock_is_not_written_even_if_it_moved(client, team):
    client.force_login(team.owner)
    url = reverse("dashboard:product_edit", args=[team.business.slug, team.product.pk])
    Product.objects.filter(pk=team.product.pk).update(stock=9)
    response = client.post(url, _body(sku="BTK-1", stock="10", stock_seen="10"))
    assert response.status_code == 302
    assert Product.objects.get(pk=team.product.pk).stock == 9


def test_hide_a_product(client, team):
    client.force_login(team.owner)
    url = reverse("dashboard:product_edit", args=[team.business.slug, team.product.pk])
    body = _body(sku="BTK-1", stock="10", stock_seen="10")
    del body["is_active"]
    assert client.post(url, body).status_code == 302
    assert Product.objects.get(pk=team.product.pk).is_active is False
    assert AuditEntry.objects.get(action="product.update").changes["is_active"] == [True, False]


def test_photos_are_reordered_and_deleted(client, team, django_capture_on_commit_callbacks):
    client.force_login(team.staff)
    edit = reverse("dashboard:product_edit", args=[team.business.slug, team.product.pk])
    client.post(
        edit,
        _body(
            sku="BTK-1",
            stock="10",
            stock_seen="10",
            photos=[upload("a.jpg", jpeg_bytes(colour="blue")), upload("b.jpg", jpeg_bytes())],
        ),
    )
    first, second, third = team.product.images.order_by("position", "pk")
    assert first.pk == team.image.pk
    url = reverse("dashboard:product_photo", args=[team.business.slug, team.product.pk, third.pk])
    assert client.post(url, {"action": "up"}).status_code == 302
    order = list(team.product.images.order_by("position", "pk").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]
    assert client.post(url, {"action": "up"}).status_code == 302
    order = list(team.product.images.order_by("position", "pk").values_list("pk", flat=True))
    assert order == [third.pk, first.pk, second.pk]
    path = first.image.path
    delete = reverse(
        "dashboard:product_photo", args=[team.business.slug, team.product.pk, first.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete, {"action": "delete"}).status_code == 302
    assert not ProductImage.objects.filter(pk=first.pk).exists()
    assert not os.path.exists(path)


def test_product_list_shows_thumbnails_prices_and_hidden_products(client, team):
    client.force_login(team.staff)
    team.product.is_active = False
    team.product.save()
    response = client.get(reverse("dashboard:products", args=[team.business.slug]))
    page = response.content.decode()
    assert "Kemeja Batik" in page
    assert "Rp150.000" in page
    assert team.image.image.url in page
