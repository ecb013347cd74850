"""The cart: add, update, remove; prices from the database; odd quantities refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as t

from gelar.catalog.models import Product
from gelar.shop.cart import SESSION_KEY
from gelar.testing import build_expo

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def add(client, world, product, quantity=None, **extra):
    data = {"product": product.pk, **extra}
    if quantity is not None:
        data["quantity"] = quantity
    return client.post(f"/expo/{world.expo.slug}/keranjang/tambah/", data)


def cart_of(client, world) -> dict:
    return client.session.get(SESSION_KEY, {}).get(str(world.expo.pk), {})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_add_from_the_product_page_goes_back_with_a_message(client, world):
    page = f"/expo/{world.expo.slug}/stan/batik-sekar-jagad/kemeja-batik-tulis/"
    form = html(client.get(page))
    assert f'action="/expo/{world.expo.slug}/keranjang/tambah/"' in form
    assert f'name="product" value="{world.shirt.pk}"' in form

    response = add(client, world, world.shirt, 2, next=page)

    assert (response.status_code, response.url) == (302, page)
    assert cart_of(client, world) == {str(world.shirt.pk): 2}
    followed = client.get(page)
    assert messages_of(followed) == [t("Added to the cart")]
    # The header shows how many items the cart holds.
    assert '<span class="count">2</span>' in html(client.get(page))


def test_add_without_a_quantity_adds_one_and_adds_up(client, world, snack):
    add(client, world, snack)
    add(client, world, snack, 3)
    assert cart_of(client, world) == {str(snack.pk): 4}


def test_the_booth_page_has_a_one_tap_add_button_for_products_in_stock(client, world):
    page = html(client.get(f"/expo/{world.expo.slug}/stan/batik-sekar-jagad/"))
    assert f'name="product" value="{world.shirt.pk}"' in page
    assert f'name="product" value="{world.sold_out.pk}"' not in page


def test_an_unsafe_next_url_is_replaced_by_the_cart(client, world, snack):
    response = add(client, world, snack, next="https://evil.example/")
    assert response.url == f"/expo/{world.expo.slug}/keranjang/"


@pytest.mark.parametrize(
    ("quantity", "error", "params"),
    [
        ("0", "Enter at least 1.", {}),
        ("-1", "Enter at least 1.", {}),
        ("101", "Enter at most %(limit_value)s.", {"limit_value": 100}),
        ("abc", "Enter a whole number.", {}),
        ("1.5", "Enter a whole number.", {}),
        ("9" * 40, "Enter at most %(limit_value)s.", {"limit_value": 100}),
    ],
)
def test_odd_quantities_are_refused_with_a_message(client, world, snack, quantity, error, params):
    response = add(client, world, snack, quantity)
    assert response.status_code == 302
    expected = t(error) % params if params else t(error)
    assert messages_of(client.get(response.url)) == [t("Quantity: %(error)s") % {"error": expected}]
    assert cart_of(client, world) == {}


def test_hidden_sold_out_unknown_and_other_expos_products_are_refused(client, world):
    other = build_expo(suffix="-lain")
    for product in (world.hidden, world.sold_out, other.shirt):
        add(client, world, product)
    response = client.post(f"/expo/{world.expo.slug}/keranjang/tambah/", {"product": 999999})
    assert messages_of(client.get(response.url)) == [
        t("This product is not for sale."),
        t("%(name)s is sold out.") % {"name": "Selendang Sutra Pesisiran"},
        t("This product is not for sale."),
        t("This product is not for sale."),
    ]
    assert cart_of(client, world) == {}


def test_more_than_the_stock_or_100_is_refused(client, world, snack):
    add(client, world, world.shirt, 3)
    response = add(client, world, world.shirt, 1)
    assert messages_of(client.get(response.url))[-1] == t(
        "Only %(available)s of %(name)s left."
    ) % {
        "available": 3,
        "name": "Kemeja Batik Tulis Sekar Jagad",
    }
    Product.objects.filter(pk=snack.pk).update(stock=500)
    add(client, world, snack, 100)
    response = add(client, world, snack, 1)
    assert messages_of(client.get(response.url))[-1] == t(
        "You can order at most %(max)s of one product."
    ) % {"max": 100}
    assert cart_of(client, world) == {str(world.shirt.pk): 3, str(snack.pk): 100}


def test_cart_page_groups_by_booth_with_prices_from_the_database(client, world, snack):
    add(client, world, world.shirt, 2, price="1")  # a forged price is ignored
    add(client, world, snack, 3, unit_price="1", total="1")
    Product.objects.filter(pk=snack.pk).update(price=26000)  # the price changed since

    response = client.get(f"/expo/{world.expo.slug}/keranjang/")

    cart = response.context["cart"]
    assert [(b.exhibitor.name, b.subtotal) for b in cart.booths] == [
        ("Amplang Café Banjarbaru", 78000),
        ("Batik Sekar Jagad", 300000),
    ]
    assert cart.total == 378000
    page = html(response)
    assert "Rp78.000" in page
    assert "Rp300.000" in page
    assert "Rp378.000" in page


def test_lines_that_became_unavailable_are_shown_apart_and_left_out(client, world, snack):
    add(client, world, world.shirt, 1)
    add(client, world, snack, 2)
    Product.objects.filter(pk=world.shirt.pk).update(is_active=False)
    Product.objects.filter(pk=snack.pk).update(stock=0)

    response = client.get(f"/expo/{world.expo.slug}/keranjang/")

    cart = response.context["cart"]
    assert cart.booths == []
    assert cart.total == 0
    assert [(line.name, line.problem) for line in cart.excluded] == [
        ("Kemeja Batik Tulis Sekar Jagad", t("No longer for sale; it is left out of your order.")),
        ("Amplang Ikan Tenggiri", t("Sold out; it is left out of your order.")),
    ]
    checkout = client.get(f"/expo/{world.expo.slug}/checkout/")
    assert checkout.url == f"/expo/{world.expo.slug}/keranjang/"


def test_update_quantities_and_remove_a_line(client, world, snack):
    add(client, world, world.shirt, 1)
    add(client, world, snack, 1)
    url = f"/expo/{world.expo.slug}/keranjang/"

    response = client.post(url, {f"qty-{world.shirt.pk}": "3", f"qty-{snack.pk}": "7"})
    assert response.status_code == 302
    assert cart_of(client, world) == {str(world.shirt.pk): 3, str(snack.pk): 7}

    response = client.post(url, {"remove": str(world.shirt.pk)})
    assert response.status_code == 302
    assert cart_of(client, world) == {str(snack.pk): 7}
    assert messages_of(client.get(url))[-2:] == [t("Cart updated."), t("Removed from the cart.")]


@pytest.mark.parametrize("value", ["0", "-1", "101", "abc", "", "1e3"])
def test_an_odd_quantity_in_the_cart_form_is_shown_next_to_the_line(client, world, snack, value):
    add(client, world, world.shirt, 1)
    add(client, world, snack, 2)
    url = f"/expo/{world.expo.slug}/keranjang/"

    response = client.post(url, {f"qty-{world.shirt.pk}": "2", f"qty-{snack.pk}": value})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {f"qty-{snack.pk}"}
    assert f'value="{value}"' in html(response) or value == ""
    assert cart_of(client, world) == {str(world.shirt.pk): 1, str(snack.pk): 2}


def test_junk_in_the_session_is_ignored(client, world, snack):
    session = client.session
    session[SESSION_KEY] = {
        str(world.expo.pk): {"abc": 1, str(snack.pk): 2, "7": "x", "8": 1000, "9": True}
    }
    session.save()
    response = client.get(f"/expo/{world.expo.slug}/keranjang/")
    assert [(line.product_id, line.quantity) for line in response.context["cart"].lines] == [
        (snack.pk, 2)
    ]


def test_the_cart_page_runs_the_same_queries_for_1_or_12_products(client):
    small = build_expo(slug="kecil", suffix="-kecil", extra_exhibitors=1)
    large = build_expo(slug="besar", suffix="-besar", extra_exhibitors=6)

    def count(world, products) -> int:
        client.session.flush()
        for product in products:
            add(client, world, product)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/expo/{world.expo.slug}/keranjang/")
        assert response.status_code == 200
        assert len(response.context["cart"].lines) == len(products)
        return len(queries)

    few = [small.shirt]
    many = list(
        Product.objects.filter(exhibitor__in=[*large.exhibitors, large.batik], stock__gt=0)
        .exclude(pk=large.hidden.pk)
        .order_by("pk")[:12]
    )
    assert len(many) == 12
    # session; expo; products with their exhibitors; their first images; which are public.
    assert (count(small, few), count(large, many)) == (5, 5)
