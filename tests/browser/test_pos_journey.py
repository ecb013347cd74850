"""A booth sells from its till on a phone: a cash sale with change, a QRIS sale, and a
sale with the network cut that waits on the device (through a reload) and syncs when
the network is back; the online product page then shows the lower stock, and the
buyer's receipt page has the sale.

The booth's payment settings and its owner are made by the test, not taken from the
demo. On SQLite the live server shares the test's connection (demo_site_writable) and
everything is rolled back after the test; on PostgreSQL they are written from a
short-lived thread (committed) and stay for the session, like the server's sales.

Elements are found by data-pos attributes and field names; data (names, amounts,
numbers) is looked for as text, never the interface's words, which are translated.
"""

import json

import pytest
from django.core.cache import cache
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, axe_violations, committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EXPO = "pekalongan-hybrid-expo-2027"
OWNER_EMAIL = "kasir.stan@contoh.id"
OWNER_PASSWORD = "kasir-stan-2027"
QRIS = (
    "00020101021126570016ID.CO.SHOPEE.WWW0118936009180000001402020413500303UME"
    "51440014ID.CO.QRIS.WWW0215ID10190045322970303UME5204581253033605802ID"
    "5925Gulu Gulu Mall Ambassador6015Jakarta Selatan61051294062070703A01630494FA"
)
SYNC_MS = 20000  # the "online" event syncs at once; the retry runs every 15 s


def rupiah(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


def _pick_booth():
    """A venue booth of the expo with a public product that has stock for four sales."""
    from gelar.catalog.selectors import booth_products
    from gelar.events.models import Expo
    from gelar.exhibitors.models import Exhibitor, Participation

    expo = Expo.objects.get(slug=EXPO)
    venue = Participation.objects.filter(
        expo=expo, status=Participation.Status.ACCEPTED, mode=Participation.Mode.VENUE
    )
    for exhibitor in Exhibitor.objects.filter(pk__in=venue.values("exhibitor")).order_by("pk"):
        for product in booth_products(expo=expo, exhibitor=exhibitor):
            if product.stock >= 8 and product.price <= 500_000:
                return expo, exhibitor, product
    raise AssertionError("the demo's 2027 expo needs a venue booth with a product in stock")


def _prepare(exhibitor):
    from gelar.payments.models import ExhibitorPaymentSettings
    from gelar.testing import make_exhibitor_member, make_user

    ExhibitorPaymentSettings.objects.update_or_create(
        exhibitor=exhibitor,
        defaults={
            "qris_payload": QRIS,
            "qris_merchant_name": "Gulu Gulu Mall Ambassador",
            "qris_nmid": "ID1019004532297",
            "accepts_cash": True,
            "gateway_enabled": False,
        },
    )
    owner = make_user(email=OWNER_EMAIL, password=OWNER_PASSWORD, full_name="Kasir Stan")
    make_exhibitor_member(exhibitor=exhibitor, user=owner, role="owner")
    return owner.pk


def _captive_portal(route):
    route.fulfill(status=200, content_type="text/html", body="<html><body>Login</body></html>")


def _add_by_label(page, product) -> None:
    # What a USB scanner does: the label's code typed into the search field, then Enter.
    field = page.locator("[data-pos=find]")
    field.fill(f"GLRP.{product.pk}")
    field.press("Enter")


def _text(message: str, **values) -> str:
    """The page's words: the bare URLs are Indonesian."""
    with translation.override("id"):
        return translation.gettext(message) % values if values else translation.gettext(message)


def _sign_in(page, site: str) -> None:
    page.goto(f"{site}/akun/login/")
    page.locator("[name=login]").fill(OWNER_EMAIL)
    page.locator("[name=password]").fill(OWNER_PASSWORD)
    page.locator("form:has([name=password]) button[type=submit]").first.click()


def _sign_out(page, site: str) -> None:
    page.goto(f"{site}/akun/logout/")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/")


# What the device keeps for the till, read from a page of the site.
KEPT = """async () => ({
  caches: (await caches.keys()).filter((name) => name.startsWith("pos-")),
  workers: (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope),
  databases: (await indexedDB.databases())
    .map((d) => d.name)
    .filter((name) => name.startsWith("gelar-pos-")),
})"""


def _complete(page) -> None:
    page.locator("[data-pos=complete]").click()
    expect(page.locator("[data-pos=receipt]")).to_be_visible()


def test_the_till_sells_for_cash_and_qris_and_offline(demo_site_writable, browser):
    from gelar.catalog.models import Product
    from gelar.pos.models import PosSale

    site = demo_site_writable
    cache.clear()  # rate-limit counters of the sign-in
    expo, exhibitor, product = _pick_booth()
    owner_pk = committed(lambda: _prepare(exhibitor))
    stock = Product.objects.get(pk=product.pk).stock
    till_url = f"/umkm/{exhibitor.slug}/kasir/{expo.slug}/"

    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        _sign_in(page, site)
        expect(page).to_have_url(f"{site}/umkm/{exhibitor.slug}/")

        page.goto(site + till_url)
        expect(page.locator("body[data-ready='1']")).to_have_count(1)
        tile = page.locator(f"[data-pos=grid] button[data-product='{product.pk}']")
        expect(tile).to_contain_text(product.name)
        expect(tile).to_contain_text(rupiah(product.price))
        # The service worker holds the shell before the network goes.
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        assert axe_violations(page) == []

        # 1. Cash with change: two by label and the "+" button; a round amount given.
        _add_by_label(page, product)
        line = page.locator(f"[data-pos=lines] li[data-product='{product.pk}']")
        expect(line.locator("[data-pos=quantity]")).to_have_text("1")
        # The line's buttons say what they do to which product; the total is announced.
        less = line.get_by_role(
            "button", name=_text("Remove one %(name)s", name=product.name), exact=True
        )
        more = line.get_by_role(
            "button", name=_text("Add one %(name)s", name=product.name), exact=True
        )
        expect(less).to_have_text("−")
        more.click()
        expect(line.locator("[data-pos=quantity]")).to_have_text("2")
        total = 2 * product.price
        expect(page.locator("[data-pos=total]")).to_have_text(rupiah(total))
        announced = page.locator("[aria-live=polite]:has([data-pos=total])")
        expect(announced).to_have_text(f"{_text('Total')} {rupiah(total)}")
        given = (total // 100_000 + 1) * 100_000
        page.locator("[data-pos=cash]").fill(str(given))
        expect(page.locator("[data-pos=change]")).to_contain_text(rupiah(given - total))
        _complete(page)
        receipt = page.locator("[data-pos=receipt]")
        expect(receipt).to_have_attribute("data-state", "completed")
        expect(receipt.locator("[data-pos=receipt-sums]")).to_contain_text(rupiah(given - total))
        expect(receipt.locator("[data-pos=whatsapp]")).to_be_visible()
        cash_sale = PosSale.objects.get(exhibitor=exhibitor, staff_id=owner_pk)
        expect(receipt.locator("[data-pos=receipt-number]")).to_have_text(cash_sale.number)
        assert (cash_sale.payment_method, cash_sale.total, cash_sale.change) == (
            "cash",
            total,
            given - total,
        )
        assert (cash_sale.status, cash_sale.offline) == ("completed", False)
        assert Product.objects.get(pk=product.pk).stock == stock - 2
        whatsapp = receipt.locator("[data-pos=whatsapp]").get_attribute("href")
        assert whatsapp.startswith("https://wa.me/?text=")
        assert f"struk%2F{cash_sale.receipt_token}%2F" in whatsapp
        assert axe_violations(page) == []
        page.locator("[data-pos=next]").click()
        expect(receipt).to_be_hidden()

        # 2. QRIS: one tapped in the grid; the dynamic code of the total is shown.
        tile.click()
        page.locator("[name=method][value=qris]").check()
        expect(page.locator("[data-pos=qris] svg")).to_be_visible()
        expect(page.locator("[data-pos=qris-note]")).to_have_text(rupiah(product.price))
        assert axe_violations(page) == []
        _complete(page)
        expect(receipt).to_have_attribute("data-state", "completed")
        qris_sale = PosSale.objects.filter(exhibitor=exhibitor, payment_method="qris").get(
            staff_id=owner_pk
        )
        assert (qris_sale.total, qris_sale.cash_given) == (product.price, None)
        assert Product.objects.get(pk=product.pk).stock == stock - 3
        page.locator("[data-pos=next]").click()

        # 3. A captive portal answers the API's address: the sale is kept on the phone.
        page.route("**/api/v1/pos/**", _captive_portal)
        page.locator("[name=method][value=cash]").check()
        tile.click()
        _complete(page)
        expect(receipt).to_have_attribute("data-state", "offline")
        expect(page.locator("[data-pos=pending]")).to_have_text("1")
        page.locator("[data-pos=next]").click()

        # 4. The network goes: another sale is kept, and both survive a reload.
        context.set_offline(True)
        page.unroute("**/api/v1/pos/**")
        tile.click()
        _complete(page)
        expect(receipt).to_have_attribute("data-state", "offline")
        expect(page.locator("[data-pos=pending]")).to_have_text("2")
        assert PosSale.objects.filter(exhibitor=exhibitor, staff_id=owner_pk).count() == 2
        reloaded = page.reload()
        assert reloaded.from_service_worker
        expect(page.locator("body[data-ready='1']")).to_have_count(1)
        expect(page.locator("[data-pos=pending]")).to_have_text("2")
        # The device took the kept sales off its own stock.
        expect(tile.locator(".pos-stock")).to_contain_text(str(stock - 5))

        # 5. The network is back: the queue is synced once; a second sync adds nothing.
        context.set_offline(False)
        expect(page.locator("[data-pos=pending]")).to_have_text("0", timeout=SYNC_MS)
        offline_sales = PosSale.objects.filter(exhibitor=exhibitor, staff_id=owner_pk, offline=True)
        assert offline_sales.count() == 2
        assert sorted(offline_sales.values_list("total", flat=True)) == [product.price] * 2
        assert Product.objects.get(pk=product.pk).stock == stock - 5
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        page.wait_for_timeout(1000)
        assert PosSale.objects.filter(exhibitor=exhibitor, staff_id=owner_pk).count() == 4

        # 6. The online shop shows the lower stock; the buyer's receipt has the sale.
        shop = context.new_page()
        shop.goto(f"{site}/expo/{EXPO}/stan/{exhibitor.slug}/{product.slug}/")
        expect(shop.locator("p.stock")).to_contain_text(str(stock - 5))
        shop.goto(f"{site}/struk/{cash_sale.receipt_token}/")
        expect(shop.locator("main")).to_contain_text(cash_sale.number)
        expect(shop.locator("main")).to_contain_text(product.name)
        expect(shop.locator("main")).to_contain_text(rupiah(given - total))
        assert axe_violations(shop) == []
        shop.close()

        # 7. The server answers a sale it had recorded from this phone's queue at the old
        # price (a replayed key): the receipt shows what was charged beside the listed
        # total, and the difference. (The answer is the API's shape, made up here.)
        charged = product.price - 10_000
        answer = {
            "number": "K0-000999",
            "client_key": "replayed",
            "status": "flagged",
            "flag_reason": "",
            "payment_method": "cash",
            "subtotal": product.price,
            "total": product.price,
            "charged_total": charged,
            "charge_difference": -10_000,
            "cash_given": charged,
            "change": 0,
            "sold_at": "2027-05-20T10:00:00+07:00",
            "offline": True,
            "receipt_token": "replayed-token",
            "receipt_url": f"{site}/struk/replayed-token/",
            "lines": [],
        }
        page.route(
            "**/api/v1/pos/*/*/sales",
            lambda route: route.fulfill(
                status=200, content_type="application/json", body=json.dumps(answer)
            ),
        )
        tile.click()
        _complete(page)
        sums = receipt.locator("[data-pos=receipt-sums]")
        expect(sums).to_contain_text(f"{_text('Charged')}{rupiah(charged)}")
        expect(sums).to_contain_text(f"{_text('At the listed prices')}{rupiah(product.price)}")
        expect(sums).to_contain_text(f"{_text('Difference')}-{rupiah(10_000)}")
        expect(receipt.locator("[data-pos=receipt-flag]")).to_contain_text(
            _text(
                "The till was offline and charged %(charged)s at the prices it had; the "
                "products make %(total)s at the listed prices. Cash given and change follow "
                "what was charged.",
                charged=rupiah(charged),
                total=rupiah(product.price),
            )
        )
        page.unroute("**/api/v1/pos/*/*/sales")
        page.locator("[data-pos=next]").click()

        # 8. One more sale is kept on the phone (a portal answers), then the staff signs
        # out: the sign-out page says it waits; signing out removes the till's page
        # (caches, worker) but keeps its database, whose queue holds that sale.
        page.route("**/api/v1/pos/**", _captive_portal)
        tile.click()
        _complete(page)
        expect(page.locator("[data-pos=pending]")).to_have_text("1")
        store = f"gelar-pos-{exhibitor.pk}-{expo.pk}-{owner_pk}"
        kept = page.evaluate(KEPT)
        assert kept["caches"] and kept["databases"] == [store]
        assert kept["workers"] == [site + till_url]
        page.goto(f"{site}/akun/logout/")
        expect(page.locator("[data-signout-pending]")).to_be_visible()
        expect(page.locator("[data-signout-pending]")).to_contain_text(": 1.")
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(f"{site}/")
        assert page.evaluate(KEPT) == {"caches": [], "workers": [], "databases": [store]}
        # With no network the till no longer opens from this phone.
        context.set_offline(True)
        with pytest.raises(PlaywrightError):
            page.goto(site + till_url)
        context.set_offline(False)

        # 9. Signed in again, the till syncs the kept sale: nothing was lost. Signed out
        # with nothing waiting, its database goes too.
        page.unroute("**/api/v1/pos/**")
        _sign_in(page, site)
        expect(page).to_have_url(f"{site}/umkm/{exhibitor.slug}/")
        page.goto(site + till_url)
        expect(page.locator("body[data-ready='1']")).to_have_count(1)
        expect(page.locator("[data-pos=pending]")).to_have_text("0", timeout=SYNC_MS)
        assert PosSale.objects.filter(exhibitor=exhibitor, staff_id=owner_pk).count() == 5
        assert Product.objects.get(pk=product.pk).stock == stock - 6
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        _sign_out(page, site)
        assert page.evaluate(KEPT) == {"caches": [], "workers": [], "databases": []}
    finally:
        context.close()
