"""The organizer's report on a phone: the demo's 2021 expo, opened by the organizer's
staff while the expo is live.

The charts are drawn and visible, the page does not scroll sideways (wide tables
scroll inside their own box), axe finds nothing serious, the report block carries
its 30-second poll, and after a new paid order "Refresh now" swaps in the block with
the new figures without reloading the page (htmx: a marker set on the window
survives).

Elements are found by stable attributes (ids, data-channel), not by visible text,
which is being translated. The expo is made live and the order written with
`committed` (on SQLite in the test's transaction, rolled back after it; on
PostgreSQL in autocommit), and both are undone at the end, so the other browser
tests find the demo as it was.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, axe_violations, committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EXPO = "pekalongan-hybrid-expo-2021"
STAFF = "staf.dinas@gelar.test"


def rupiah_value(text: str) -> int:
    return int(text.replace("Rp", "").replace(".", ""))


def _go_live() -> str:
    from gelar.events.models import Expo

    expo = Expo.objects.get(slug=EXPO)
    previous = expo.status
    Expo.objects.filter(pk=expo.pk).update(status=Expo.Status.LIVE)
    return previous


def _restore(status: str) -> None:
    from gelar.events.models import Expo

    Expo.objects.filter(slug=EXPO).update(status=status)


def _paid_order() -> tuple[int, int]:
    """A paid order of 3 of an accepted exhibitor's product, paid now; (checkout pk, subtotal)."""
    from django.utils import timezone

    from gelar.catalog.models import Product
    from gelar.events.models import Expo
    from gelar.exhibitors.models import Participation
    from gelar.orders.models import Checkout, Order, OrderLine

    expo = Expo.objects.get(slug=EXPO)
    product = (
        Product.objects.filter(
            is_active=True,
            exhibitor__participations__expo=expo,
            exhibitor__participations__status=Participation.Status.ACCEPTED,
        )
        .order_by("pk")
        .first()
    )
    assert product is not None, "the demo's 2021 expo needs an exhibitor with a product"
    now = timezone.now()
    checkout = Checkout.objects.create(
        expo=expo,
        fingerprint="browser-report-journey",
        buyer_name="Pembeli Laporan",
        buyer_whatsapp="6281234509876",
    )
    subtotal = product.price * 3
    order = Order.objects.create(
        checkout=checkout,
        exhibitor=product.exhibitor,
        expo=expo,
        number="BRW-REPORT-1",
        status=Order.Status.PAID,
        delivery_method=Order.Delivery.PICKUP,
        payment_method=Order.PaymentMethod.QRIS,
        subtotal=subtotal,
        total=subtotal,
        reserved_until=now,
        paid_at=now,
    )
    OrderLine.objects.create(
        order=order,
        product=product,
        product_name=product.name,
        unit_price=product.price,
        quantity=3,
        line_total=subtotal,
    )
    return checkout.pk, subtotal


def _remove(checkout_pk: int) -> None:
    from gelar.orders.models import Checkout

    Checkout.objects.filter(pk=checkout_pk).delete()  # its order and lines with it


def _staff_signs_in(page, site):
    from gelar.accounts.demo import DEMO_PASSWORD

    page.goto(f"{site}/akun/login/")
    page.locator("[name=login]").fill(STAFF)
    page.locator("[name=password]").fill(DEMO_PASSWORD)
    page.locator("form:has([name=password]) button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/akun/login/" not in url)


def test_the_report_on_a_phone_refreshes_in_place(demo_site_writable, browser):
    site = demo_site_writable
    previous = committed(_go_live)
    checkout_pk = None
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        _staff_signs_in(page, site)
        page.goto(f"{site}/console/{EXPO}/report/")
        expect(page.locator("h1")).to_be_visible()

        # Five charts, each drawn and visible at the phone's width.
        charts = page.locator("svg.chart")
        expect(charts).to_have_count(5)
        for index in range(5):
            chart = charts.nth(index)
            chart.scroll_into_view_if_needed()
            expect(chart).to_be_visible()
            box = chart.bounding_box()
            assert box["width"] > 250 and box["height"] > 60, box
        # No sideways scroll: wide tables scroll inside their own box.
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], widths
        assert axe_violations(page) == []

        block = page.locator("#report-live")
        expect(block).to_have_attribute("hx-trigger", "every 30s")
        expect(block).to_have_attribute("hx-get", f"/console/{EXPO}/report/live/")
        online = page.locator("#report-live tr[data-channel=online] td")
        orders_before = int(online.nth(0).inner_text())
        omzet_before = rupiah_value(online.nth(2).inner_text())

        checkout_pk, subtotal = committed(_paid_order)
        page.evaluate("() => { window.reportMarker = 'same page'; }")
        page.locator(".report-actions a[hx-get]").click()
        expect(online.nth(0)).to_have_text(str(orders_before + 1))
        assert rupiah_value(online.nth(2).inner_text()) == omzet_before + subtotal
        # Swapped in place: the page was not reloaded, and still polls.
        assert page.evaluate("() => window.reportMarker") == "same page"
        assert page.url == f"{site}/console/{EXPO}/report/"
        expect(page.locator("#report-live")).to_have_attribute("hx-trigger", "every 30s")
        expect(page.locator("svg.chart")).to_have_count(5)
    finally:
        context.close()
        if checkout_pk is not None:
            committed(lambda: _remove(checkout_pk))
        committed(lambda: _restore(previous))


def _teammate_of_a_2021_exhibitor() -> tuple[str, int]:
    """The demo owner joins, as staff, the team of an exhibitor accepted at the 2021 expo
    with a paid sale there; (its slug, the membership's pk)."""
    from gelar.accounts.demo import OWNER_EMAIL
    from gelar.accounts.models import User
    from gelar.exhibitors.models import Exhibitor, ExhibitorMember, Participation
    from gelar.orders.models import Order

    user = User.objects.get(email=OWNER_EMAIL)
    exhibitor = (
        Exhibitor.objects.filter(
            participations__expo__slug=EXPO,
            participations__status=Participation.Status.ACCEPTED,
            orders__expo__slug=EXPO,
            orders__paid_at__isnull=False,
            orders__status__in=[Order.Status.PAID, Order.Status.COMPLETED],
        )
        .exclude(members__user=user)
        .distinct()
        .order_by("name")
        .first()
    )
    assert exhibitor is not None, "the demo's 2021 expo needs an exhibitor with a paid order"
    member = ExhibitorMember.objects.create(
        exhibitor=exhibitor, user=user, role=ExhibitorMember.Role.STAFF
    )
    return exhibitor.slug, member.pk


def _leave_team(member_pk: int) -> None:
    from gelar.exhibitors.models import ExhibitorMember

    ExhibitorMember.objects.filter(pk=member_pk).delete()


def test_the_exhibitors_report_on_a_phone(demo_site_writable, browser):
    from gelar.accounts.demo import DEMO_PASSWORD, OWNER_EMAIL

    site = demo_site_writable
    slug, member_pk = committed(_teammate_of_a_2021_exhibitor)
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(f"{site}/akun/login/")
        page.locator("[name=login]").fill(OWNER_EMAIL)
        page.locator("[name=password]").fill(DEMO_PASSWORD)
        page.locator("form:has([name=password]) button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/akun/login/" not in url)
        page.goto(f"{site}/umkm/{slug}/laporan/")
        page.locator(f"a[href='/umkm/{slug}/laporan/{EXPO}/']").click()
        expect(page).to_have_url(f"{site}/umkm/{slug}/laporan/{EXPO}/")
        online = page.locator("tr[data-channel=online] td")
        assert int(online.nth(0).inner_text()) >= 1  # paid orders
        charts = page.locator("svg.chart")
        expect(charts).to_have_count(3)  # the split, by day, by hour
        for index in range(3):
            charts.nth(index).scroll_into_view_if_needed()
            expect(charts.nth(index)).to_be_visible()
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], widths
        assert axe_violations(page) == []
    finally:
        context.close()
        committed(lambda: _leave_team(member_pk))
