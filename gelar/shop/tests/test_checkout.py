"""Checkout and the buyer's order page, through the pages, without JavaScript."""

import re
from urllib.parse import quote

import pytest
from django.utils.translation import gettext as t

from gelar.catalog.models import Product
from gelar.orders.models import Checkout, Order
from gelar.payments.models import ExhibitorPaymentSettings
from gelar.shop.cart import SESSION_KEY
from gelar.shop.views import DONE_KEY

pytestmark = pytest.mark.django_db

ADDRESS = {"address": "Jl. Hayam Wuruk 5", "city": "Kota Pekalongan", "postal_code": "51111"}


def html(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def fill_cart(client, world, lines):
    for product, quantity in lines:
        client.post(
            f"/expo/{world.expo.slug}/keranjang/tambah/",
            {"product": product.pk, "quantity": quantity},
        )


def checkout_form(client, world) -> tuple[str, str]:
    response = client.get(f"/expo/{world.expo.slug}/checkout/")
    assert response.status_code == 200
    page = html(response)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    return page, key


def form_data(world, key, **changes) -> dict:
    data = {
        "name": "Rina Kusuma",
        "whatsapp": "0812-3456-7890",
        "email": "rina@example.com",
        "idempotency_key": key,
        f"delivery-{world.batik.pk}": "pickup",
        f"payment-{world.batik.pk}": "qris",
        f"delivery-{world.amplang.pk}": "courier",
        f"payment-{world.amplang.pk}": "transfer",
        **ADDRESS,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, world, data):
    return client.post(f"/expo/{world.expo.slug}/checkout/", data)


def test_the_form_offers_each_booth_what_it_has(client, world, snack):
    fill_cart(client, world, [(world.shirt, 1), (snack, 1)])
    page, key = checkout_form(client, world)
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    # The batik booth is at the venue: pick-up (booth A-01), QRIS and cash.
    assert f'name="delivery-{world.batik.pk}" value="pickup"' in page
    assert "A-01" in page
    assert f'name="payment-{world.batik.pk}" value="qris"' in page
    assert f'name="payment-{world.batik.pk}" value="cash"' in page
    # The snack seller is online only: no pick-up, so no cash either; transfer only.
    assert f'name="delivery-{world.amplang.pk}" value="pickup"' not in page
    assert f'name="payment-{world.amplang.pk}" value="transfer"' in page
    assert f'name="payment-{world.amplang.pk}" value="cash"' not in page
    assert f'name="payment-{world.amplang.pk}" value="qris"' not in page


def test_checkout_across_two_booths(
    client, world, snack, mailoutbox, django_capture_on_commit_callbacks
):
    fill_cart(client, world, [(world.shirt, 2), (snack, 3)])
    _page, key = checkout_form(client, world)

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, world, form_data(world, key, price="1", total="1"))

    checkout = Checkout.objects.get()
    assert (response.status_code, response.url) == (302, f"/pesanan/{checkout.token}/")
    assert checkout.idempotency_key == key
    assert (checkout.buyer_name, checkout.buyer_whatsapp) == ("Rina Kusuma", "6281234567890")
    batik, amplang = checkout.orders.order_by("pk")
    assert (batik.exhibitor, batik.delivery_method, batik.payment_method) == (
        world.batik,
        "pickup",
        "qris",
    )
    assert (batik.subtotal, batik.unique_code, batik.total) == (300000, 0, 300000)
    assert (amplang.exhibitor, amplang.delivery_method, amplang.payment_method) == (
        world.amplang,
        "courier",
        "transfer",
    )
    assert amplang.subtotal == 75000
    assert amplang.unique_code == amplang.pk % 999 + 1
    assert amplang.total == 75000 + amplang.unique_code
    assert (amplang.address, amplang.city, amplang.postal_code) == (
        "Jl. Hayam Wuruk 5",
        "Kota Pekalongan",
        "51111",
    )
    assert (stock(world.shirt), stock(snack)) == (1, 7)
    assert client.session[SESSION_KEY] == {}

    # The email: the link to the order page, once.
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["rina@example.com"]
    assert f"http://testserver/pesanan/{checkout.token}/" in mailoutbox[0].body
    assert batik.number in mailoutbox[0].body

    order_page = client.get(response.url)
    page = html(order_page)
    assert order_page.status_code == 200
    assert batik.number in page
    assert amplang.number in page
    assert page.count(t("Awaiting payment")) == 2
    # QRIS: the dynamic code drawn inline, with its amount.
    assert page.count("<svg") == 1
    assert f'aria-label="{t("QRIS payment code")}"' in page
    assert "Gulu Gulu Mall Ambassador · Rp300.000" in page
    # Transfer: bank, account, holder and the exact amount with the unique code.
    exact = f"Rp{75000 + amplang.unique_code:,}".replace(",", ".")
    assert f'<strong class="price big">{exact}</strong>' in page
    assert "002101000123567" in page
    assert "Amplang Cafe Banjarbaru" in page
    # Pay before, in the expo's zone.
    assert re.search(r"\d{1,2}[.:]\d\d WIB", page)
    # While a payment is awaited the page asks the API for changes every 30 s.
    assert 'data-seconds="30"' in page
    assert 'data-url="/api/v1/orders/' in page
    hello = t("Hello %(booth)s, about my order %(number)s: ") % {
        "booth": "Amplang Café Banjarbaru",
        "number": amplang.number,
    }
    assert f"https://wa.me/6285712345678?text={quote(hello, safe='')}" in page
    assert "https://wa.me/?text=" in page
    assert "Jl. Hayam Wuruk 5" in page
    assert "6281234567890" in page
    assert order_page["X-Robots-Tag"] == "noindex"


def test_the_order_page_follows_the_status_and_stops_refreshing(client, world, snack):
    fill_cart(client, world, [(world.shirt, 1)])
    _page, key = checkout_form(client, world)
    response = submit(client, world, form_data(world, key))
    Order.objects.update(status=Order.Status.PAID)
    page = html(client.get(response.url))
    assert t("Paid") in page
    assert "<svg" not in page
    assert 'id="order-status"' not in page


def test_a_double_submit_makes_one_checkout(client, world, snack):
    fill_cart(client, world, [(world.shirt, 2), (snack, 1)])
    _page, key = checkout_form(client, world)
    data = form_data(world, key)
    cart = client.session[SESSION_KEY]

    first = submit(client, world, data)
    # A resubmit after the cart was emptied finds the same checkout.
    again = submit(client, world, data)
    # A second tap that read the cart before the first emptied it: the service
    # returns the same checkout for the same key.
    session = client.session
    session[SESSION_KEY] = cart
    session[DONE_KEY] = {}
    session.save()
    tapped = submit(client, world, data)

    assert first.url == again.url == tapped.url
    assert Checkout.objects.count() == 1
    assert Order.objects.count() == 2
    assert stock(world.shirt) == 1


def test_out_of_stock_lists_every_shortfall_and_reserves_nothing(client, world, snack):
    fill_cart(client, world, [(world.shirt, 3), (snack, 5)])
    _page, key = checkout_form(client, world)
    Product.objects.filter(pk=world.shirt.pk).update(stock=2)
    Product.objects.filter(pk=snack.pk).update(stock=4)

    response = submit(client, world, form_data(world, key))

    assert response.url == f"/expo/{world.expo.slug}/keranjang/"
    cart_page = client.get(response.url)
    message = t("Only %(available)s of %(name)s left; you asked for %(requested)s.")
    assert messages_of(cart_page)[-2:] == [
        message % {"available": 2, "name": "Kemeja Batik Tulis Sekar Jagad", "requested": 3},
        message % {"available": 4, "name": "Amplang Ikan Tenggiri", "requested": 5},
    ]
    assert (stock(world.shirt), stock(snack)) == (2, 4)
    assert Checkout.objects.count() == 0
    assert Order.objects.count() == 0
    # The cart is kept, and what the buyer typed comes back on the checkout page.
    assert client.session[SESSION_KEY][str(world.expo.pk)] == {
        str(world.shirt.pk): 3,
        str(snack.pk): 5,
    }
    page, _key = checkout_form(client, world)
    assert 'value="Rina Kusuma"' in page


def test_a_wrong_whatsapp_number_is_shown_next_to_the_field_and_nothing_is_lost(client, world):
    fill_cart(client, world, [(world.shirt, 1)])
    _page, key = checkout_form(client, world)

    response = submit(client, world, form_data(world, key, whatsapp="12345", note="Bungkus kado"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "whatsapp": [t("Enter an Indonesian mobile number, for example 0812 3456 7890.")]
    }
    page = html(response)
    assert 'value="12345"' in page
    assert 'value="Bungkus kado"' in page
    assert f'value="{key}"' in page
    assert Checkout.objects.count() == 0


def test_a_service_error_is_shown_next_to_its_field(client, world, snack):
    fill_cart(client, world, [(snack, 1)])
    _page, key = checkout_form(client, world)

    response = submit(client, world, form_data(world, key, postal_code="511"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "postal_code": [t("Enter the five-digit postal code.")]
    }
    assert 'value="511"' in html(response)
    assert (Checkout.objects.count(), stock(snack)) == (0, 10)


def test_cash_with_courier_is_refused_next_to_the_booth_payment(client, world):
    fill_cart(client, world, [(world.shirt, 1)])
    _page, key = checkout_form(client, world)
    data = form_data(
        world, key, **{f"delivery-{world.batik.pk}": "courier", f"payment-{world.batik.pk}": "cash"}
    )

    response = submit(client, world, data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"payment-{world.batik.pk}"]
    assert (Checkout.objects.count(), stock(world.shirt)) == (0, 3)


def test_a_payment_method_the_booth_does_not_offer_is_refused(client, world, snack):
    ExhibitorPaymentSettings.objects.filter(exhibitor=world.amplang).update(bank_name="")
    fill_cart(client, world, [(snack, 1)])
    _page, key = checkout_form(client, world)
    response = submit(client, world, form_data(world, key))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"payment-{world.amplang.pk}"]
    assert Checkout.objects.count() == 0


def test_no_email_without_an_address(client, world, mailoutbox, django_capture_on_commit_callbacks):
    fill_cart(client, world, [(world.shirt, 1)])
    _page, key = checkout_form(client, world)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, world, form_data(world, key, email=""))
    assert Checkout.objects.count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize(
    "token", ["tidak-ada", "x" * 500, "'; DROP TABLE orders_checkout; --", "%00", "🙂"]
)
def test_an_unknown_token_is_an_indonesian_404(client, world, token):
    response = client.get(f"/pesanan/{token}/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in html(response)


def test_one_buyers_link_does_not_open_another_buyers_order(client, world, snack):
    fill_cart(client, world, [(world.shirt, 1)])
    _page, key = checkout_form(client, world)
    mine = submit(client, world, form_data(world, key)).url
    other = Checkout.objects.get()
    assert mine == f"/pesanan/{other.token}/"
    # One character off is another (unknown) link.
    last = other.token[-1]
    changed = other.token[:-1] + ("A" if last != "A" else "B")
    assert client.get(f"/pesanan/{changed}/").status_code == 404
