"""A new visitor buys from two booths on a phone; one exhibitor confirms the payment.

The buyer adds a product of booth A and two of a product of booth B, checks out
with pick-up and QRIS at A and courier and bank transfer at B, and lands on the
order page: one order per booth, A's QRIS code with the amount, B's exact
transfer amount with its unique code. A's owner signs in on another phone and
confirms the payment; the buyer's page then shows A paid and B still awaited.

Elements are found by stable attributes (field names, URLs), not by visible
text, which is being translated; data (names, amounts, numbers) is looked for
as text.

The booths' payment settings and A's owner are made by the test, not taken
from the demo. On SQLite the live server shares the test's connection
(demo_site_writable), so they are simply written in the test's transaction and
everything is rolled back after it. On PostgreSQL the server has its own
connection and would not see the test's uncommitted rows: they are written
from a short-lived thread (its own connection, autocommit) and, like the
server's writes (the orders), stay for the session.
"""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, axe_violations, committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EXPO = "pekalongan-hybrid-expo-2027"
BUYER = "Rina Kusumawati"
WHATSAPP_TYPED = "0812 3456 7890"
BUYER_EMAIL = "rina.kusuma@contoh.id"
OWNER_EMAIL = "pemilik.stan.a@contoh.id"
OWNER_PASSWORD = "stan-a-bayar-2027"
# A real static QRIS (ShopeePay, "Gulu Gulu Mall Ambassador"), as in
# gelar/payments/tests/test_qris.py.
QRIS = (
    "00020101021126570016ID.CO.SHOPEE.WWW0118936009180000001402020413500303UME"
    "51440014ID.CO.QRIS.WWW0215ID10190045322970303UME5204581253033605802ID"
    "5925Gulu Gulu Mall Ambassador6015Jakarta Selatan61051294062070703A01630494FA"
)
BANK = ("BRI", "0123 01 000456 30 7", "Sri Lestari")


def rupiah(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


def _pick_booths():
    """Two accepted exhibitors of the expo with an active product in stock; A at the venue."""
    from gelar.catalog.selectors import booth_products
    from gelar.events.models import Expo
    from gelar.exhibitors.models import Exhibitor, Participation

    expo = Expo.objects.get(slug=EXPO)
    assert expo.is_public
    accepted = Participation.objects.filter(expo=expo, status=Participation.Status.ACCEPTED)
    picked = []
    for mode in (Participation.Mode.VENUE, None):
        candidates = Exhibitor.objects.filter(
            pk__in=accepted.filter(**({"mode": mode} if mode else {})).values("exhibitor")
        ).exclude(pk__in=[exhibitor.pk for exhibitor, _product in picked])
        for exhibitor in candidates.order_by("name", "pk"):
            # The first product the booth page lists, so it is on its first page.
            product = booth_products(expo=expo, exhibitor=exhibitor).first()
            if product is not None and product.stock >= 5:
                picked.append((exhibitor, product))
                break
    assert len(picked) == 2, "the demo's 2027 expo needs two booths with products in stock"
    return expo, picked


def _prepare(exhibitor_a, exhibitor_b):
    """Payment settings for both booths, and an owner account for booth A."""
    from gelar.payments.models import ExhibitorPaymentSettings
    from gelar.testing import make_exhibitor_member, make_user

    ExhibitorPaymentSettings.objects.update_or_create(
        exhibitor=exhibitor_a,
        defaults={
            "qris_payload": QRIS,
            "qris_merchant_name": "Gulu Gulu Mall Ambassador",
            "qris_nmid": "ID1019004532297",
            "bank_name": "",
            "bank_account_number": "",
            "bank_account_holder": "",
            "accepts_cash": True,
            "gateway_enabled": False,
        },
    )
    ExhibitorPaymentSettings.objects.update_or_create(
        exhibitor=exhibitor_b,
        defaults={
            "qris_payload": "",
            "bank_name": BANK[0],
            "bank_account_number": BANK[1],
            "bank_account_holder": BANK[2],
            "accepts_cash": False,
            "gateway_enabled": False,
        },
    )
    owner = make_user(
        email=OWNER_EMAIL,
        password=OWNER_PASSWORD,
        full_name="Pemilik Stan A",
        phone="6281298765432",
        phone_verified=True,
    )
    make_exhibitor_member(exhibitor=exhibitor_a, user=owner, role="owner")
    return owner


def _check(page, found: dict, name: str) -> None:
    violations = axe_violations(page)
    if violations:
        found[name] = violations


def _add_to_cart(page, demo_site, exhibitor, product, quantity: int) -> None:
    booth_url = f"/expo/{EXPO}/stan/{exhibitor.slug}/"
    page.goto(demo_site + booth_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(exhibitor.name)
    page.locator(f"main a[href='{booth_url}{product.slug}/']").first.click()
    expect(page).to_have_url(f"{demo_site}{booth_url}{product.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(product.name)
    form = page.locator("form.add-to-cart:not(.compact)")
    form.locator("[name=quantity]").fill(str(quantity))
    form.locator("button[type=submit]").click()
    # Back on the product page, with a message.
    expect(page).to_have_url(f"{demo_site}{booth_url}{product.slug}/")
    expect(page.locator(".messages .success")).to_have_count(1)


def test_visitor_buys_from_two_booths_and_an_exhibitor_confirms(demo_site_writable, browser):
    from gelar.catalog.models import Product
    from gelar.orders.models import Checkout

    demo_site = demo_site_writable
    cache.clear()  # rate-limit counters of the sign-in
    expo, ((exhibitor_a, product_a), (exhibitor_b, product_b)) = _pick_booths()
    committed(lambda: _prepare(exhibitor_a, exhibitor_b))
    stock_a, stock_b = product_a.stock, product_b.stock
    total_a, subtotal_b = product_a.price, 2 * product_b.price

    contexts = []

    def phone_page():
        contexts.append(browser.new_context(**PHONE))
        return contexts[-1].new_page()

    found: dict[str, list[str]] = {}
    try:
        buyer = phone_page()
        # 1. The expo, a product of A (one), a product of B (two).
        buyer.goto(f"{demo_site}/expo/{EXPO}/")
        expect(buyer.get_by_role("heading", level=1)).to_contain_text(expo.name)
        _add_to_cart(buyer, demo_site, exhibitor_a, product_a, 1)
        _add_to_cart(buyer, demo_site, exhibitor_b, product_b, 2)

        # 2. The cart, from the header: both booths, priced by the server.
        cart_url = f"/expo/{EXPO}/keranjang/"
        cart_link = buyer.locator(f".expo-bar a[href='{cart_url}']")
        expect(cart_link.locator(".count")).to_have_text("3")
        cart_link.click()
        expect(buyer).to_have_url(demo_site + cart_url)
        booths = buyer.locator("section.shop-booth")
        expect(booths).to_have_count(2)
        for exhibitor, product, quantity in (
            (exhibitor_a, product_a, 1),
            (exhibitor_b, product_b, 2),
        ):
            booth = booths.filter(has=buyer.locator(f"#booth-{exhibitor.pk}"))
            expect(booth.locator("h2")).to_have_text(exhibitor.name)
            expect(booth.locator(".shop-line-text > a")).to_have_text(product.name)
            expect(booth.locator(".shop-line .price")).to_have_text(rupiah(product.price))
            expect(booth.locator(f"[name=qty-{product.pk}]")).to_have_value(str(quantity))
            expect(booth.locator(".shop-subtotal strong")).to_have_text(
                rupiah(product.price * quantity)
            )
        expect(buyer.locator(".shop-total strong")).to_have_text(rupiah(total_a + subtotal_b))
        _check(buyer, found, "cart")

        # 3. Checkout: pick-up and QRIS at A, courier and transfer at B.
        buyer.locator(f"a[href='/expo/{EXPO}/checkout/']").click()
        expect(buyer).to_have_url(f"{demo_site}/expo/{EXPO}/checkout/")
        _check(buyer, found, "checkout")
        form = buyer.locator("form.shop-checkout")
        form.locator("[name=name]").fill(BUYER)
        form.locator("[name=whatsapp]").fill(WHATSAPP_TYPED)
        form.locator("[name=email]").fill(BUYER_EMAIL)
        form.locator(f"[name=delivery-{exhibitor_a.pk}][value=pickup]").check()
        form.locator(f"[name=payment-{exhibitor_a.pk}][value=qris]").check()
        form.locator(f"[name=delivery-{exhibitor_b.pk}][value=courier]").check()
        form.locator(f"[name=payment-{exhibitor_b.pk}][value=transfer]").check()
        form.locator("[name=address]").fill("Jl. Hayam Wuruk No. 12, Kauman")
        form.locator("[name=city]").fill("Kota Pekalongan")
        form.locator("[name=postal_code]").fill("51113")
        expect(form.locator(".shop-total strong")).to_have_text(rupiah(total_a + subtotal_b))
        form.locator("button[type=submit]").click()

        # 4. The order page: one order per booth, each with how to pay it.
        expect(buyer).to_have_url(re.compile(rf"^{re.escape(demo_site)}/pesanan/[\w-]+/$"))
        token = buyer.url.rstrip("/").rsplit("/", 1)[-1]
        checkout = Checkout.objects.get(token=token)
        orders = {order.exhibitor_id: order for order in checkout.orders.all()}
        order_a, order_b = orders[exhibitor_a.pk], orders[exhibitor_b.pk]
        assert len(orders) == 2
        card_a = buyer.locator(f"section.shop-order-card:has(#order-{order_a.pk})")
        card_b = buyer.locator(f"section.shop-order-card:has(#order-{order_b.pk})")
        expect(card_a.locator(".shop-number").first).to_have_text(order_a.number)
        expect(card_a.locator(".shop-status-awaiting_payment")).to_have_count(1)
        expect(card_a.locator("figure.shop-qris svg[role=img]")).to_have_count(1)
        expect(card_a.locator("figure.shop-qris figcaption")).to_contain_text(rupiah(total_a))
        expect(card_b.locator(".shop-status-awaiting_payment")).to_have_count(1)
        expect(card_b.locator(".shop-bank")).to_contain_text(BANK[1])
        expect(card_b.locator(".shop-bank .price")).to_have_text(
            rupiah(subtotal_b + order_b.unique_code)
        )
        _check(buyer, found, "order page")

        # ... and in the database: two orders awaiting payment, prices from the
        # products, the stock reserved.
        checkout.refresh_from_db()
        assert (checkout.buyer_name, checkout.buyer_whatsapp, checkout.buyer_email) == (
            BUYER,
            "6281234567890",
            BUYER_EMAIL,
        )
        assert sorted(
            (o.exhibitor_id, o.status, o.delivery_method, o.payment_method) for o in orders.values()
        ) == sorted(
            [
                (exhibitor_a.pk, "awaiting_payment", "pickup", "qris"),
                (exhibitor_b.pk, "awaiting_payment", "courier", "transfer"),
            ]
        )
        assert [
            (line.product_id, line.unit_price, line.quantity, line.line_total)
            for line in order_a.lines.all()
        ] == [(product_a.pk, product_a.price, 1, product_a.price)]
        assert [
            (line.product_id, line.unit_price, line.quantity, line.line_total)
            for line in order_b.lines.all()
        ] == [(product_b.pk, product_b.price, 2, subtotal_b)]
        assert (order_a.subtotal, order_a.unique_code, order_a.total) == (total_a, 0, total_a)
        assert 1 <= order_b.unique_code <= 999
        assert (order_b.subtotal, order_b.total) == (subtotal_b, subtotal_b + order_b.unique_code)
        assert Product.objects.get(pk=product_a.pk).stock == stock_a - 1
        assert Product.objects.get(pk=product_b.pk).stock == stock_b - 2

        # 5. A's owner, on another phone, confirms the payment.
        owner = phone_page()
        owner.goto(f"{demo_site}/akun/login/")
        owner.locator("[name=login]").fill(OWNER_EMAIL)
        owner.locator("[name=password]").fill(OWNER_PASSWORD)
        owner.locator("form:has([name=password]) button[type=submit]").first.click()
        # Signed in: a member of one business lands on its dashboard.
        expect(owner).to_have_url(f"{demo_site}/umkm/{exhibitor_a.slug}/")
        orders_url = f"/umkm/{exhibitor_a.slug}/pesanan/"
        owner.goto(demo_site + orders_url)
        owner.locator(f"a.order-link[href='{orders_url}{order_a.number}/']").click()
        expect(owner).to_have_url(f"{demo_site}{orders_url}{order_a.number}/")
        expect(owner.locator(".order-match .price")).to_have_text(rupiah(total_a))
        owner.locator(f"form[action='{orders_url}{order_a.number}/bayar/'] button").click()
        expect(owner).to_have_url(f"{demo_site}{orders_url}{order_a.number}/")
        expect(owner.locator(f"form[action='{orders_url}{order_a.number}/bayar/']")).to_have_count(
            0
        )

        # 6. The buyer's page: A paid, B still awaited.
        buyer.reload()
        expect(card_a.locator(".shop-status-paid")).to_have_text("Dibayar")
        expect(card_a.locator("figure.shop-qris")).to_have_count(0)
        expect(card_b.locator(".shop-status-awaiting_payment")).to_have_count(1)
        expect(card_b.locator(".shop-bank .price")).to_have_text(
            rupiah(subtotal_b + order_b.unique_code)
        )
    finally:
        for context in contexts:
            context.close()

    order_a.refresh_from_db()
    order_b.refresh_from_db()
    assert (order_a.status, order_b.status) == ("paid", "awaiting_payment")
    (payment,) = order_a.payments.all()
    assert (payment.status, payment.amount, payment.method, payment.confirmed_by.email) == (
        "confirmed",
        total_a,
        "qris",
        OWNER_EMAIL,
    )
    assert not order_b.payments.exists()
    # The stock stays taken: a payment turns the reservation into a sale.
    assert Product.objects.get(pk=product_a.pk).stock == stock_a - 1
    assert found == {}
