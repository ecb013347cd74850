"""A visitor on a phone: opens the expo, filters, opens a booth and a product, goes English."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

# django_db makes pytest-django set up the test database (it sets up only
# the databases that the collected tests ask for); the tests only read.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EXPO = "pekalongan-hybrid-expo-2021"


def test_visitor_browses_the_expo_on_a_phone(demo_site, phone):
    from gelar.exhibitors.models import Exhibitor

    page = phone
    page.goto(demo_site + "/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_role("link", name="Pekalongan Hybrid Expo 2021").first.click()
    expect(page).to_have_url(f"{demo_site}/expo/{EXPO}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pekalongan Hybrid Expo 2021")
    expect(page.get_by_text("Rabu, 24 November 2021").first).to_be_visible()

    page.get_by_role("navigation", name="Pameran").get_by_role("link", name="Peserta").click()
    expect(page.get_by_role("heading", level=2, name="100 peserta")).to_be_visible()

    # Category, then province and regency: the JS refills the regency list.
    page.get_by_text("Saring: nama, kategori, daerah, luring atau daring").click()
    page.get_by_label("Kategori").select_option("batik-fesyen")
    page.get_by_label("Provinsi").select_option("33")
    page.get_by_label("Kabupaten/kota").select_option("33.75")
    page.get_by_label("Luring atau daring").select_option("venue")
    page.get_by_role("button", name="Tampilkan").click()

    expected = Exhibitor.objects.filter(
        category__slug="batik-fesyen",
        region_id="33.75",
        participations__expo__slug=EXPO,
        participations__status="accepted",
        participations__mode="venue",
    ).count()
    assert 1 < expected <= 24
    expect(page.get_by_role("heading", level=2, name=f"{expected} peserta")).to_be_visible()
    assert "category=batik-fesyen" in page.url and "regency=33.75" in page.url
    cards = page.locator(".ex-grid > li")
    expect(cards).to_have_count(expected)

    # A venue booth: profile, products, WhatsApp link, place on the floor plan.
    venue = (
        Exhibitor.objects.filter(
            category__slug="batik-fesyen",
            region_id="33.75",
            participations__expo__slug=EXPO,
            participations__mode="venue",
        )
        .order_by("name")
        .first()
    )
    page.get_by_role("link", name=venue.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(venue.name)
    whatsapp = page.locator("a[href^='https://wa.me/']").first
    expect(whatsapp).to_have_attribute(
        "href", re.compile(rf"^https://wa\.me/{venue.whatsapp}\?text=")
    )
    expect(
        page.locator("svg[role=img]").filter(
            has_text=venue.participations.get(expo__slug=EXPO).booth.code
        )
    ).to_have_count(1)

    product = venue.products.filter(is_active=True).order_by("name").first()
    page.get_by_role("link", name=product.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(product.name)
    price = f"Rp{product.price:,}".replace(",", ".")
    expect(page.get_by_text(price).first).to_be_visible()

    # English on request: the same product, the interface in English.
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.startswith(f"{demo_site}/en/expo/{EXPO}/stan/{venue.slug}/{product.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(product.name)
    expect(
        page.get_by_role("navigation", name="Expo").get_by_role("link", name="Exhibitors")
    ).to_be_visible()


def _page_types(demo_site):
    from gelar.catalog.models import Product
    from gelar.exhibitors.models import Participation

    participation = (
        Participation.objects.filter(expo__slug=EXPO, mode="venue", status="accepted")
        .select_related("exhibitor")
        .order_by("exhibitor__name")
        .first()
    )
    exhibitor = participation.exhibitor
    product = Product.objects.filter(exhibitor=exhibitor, is_active=True).order_by("name").first()
    base = f"{demo_site}/expo/{EXPO}"
    return {
        "expo list": f"{demo_site}/",
        "expo home": f"{base}/",
        "directory": f"{base}/peserta/?category=batik-fesyen&province=33",
        "booth": f"{base}/stan/{exhibitor.slug}/",
        "product": f"{base}/stan/{exhibitor.slug}/{product.slug}/",
        "search": f"{base}/cari/?q=batik",
        "floor plan": f"{base}/denah/",
        "not found": f"{base}/stan/tidak-ada/",
        "english home": f"{demo_site}/en/expo/{EXPO}/",
    }


def test_every_public_page_type_has_no_serious_accessibility_violation(demo_site, phone):
    found = {}
    for name, url in _page_types(demo_site).items():
        phone.goto(url)
        violations = axe_violations(phone)
        if violations:
            found[name] = violations
    assert found == {}


def test_expo_home_transfers_at_most_150_kb_without_product_images(demo_site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sizes = {}

    def record(response):
        request = response.request
        if not response.url.startswith(demo_site) or request.resource_type == "image":
            return
        sizes[response.url] = len(response.body()) + request.sizes()["responseHeadersSize"]

    page.on("response", record)
    page.goto(f"{demo_site}/expo/{EXPO}/", wait_until="networkidle")
    context.close()
    total = sum(sizes.values())
    assert f"{demo_site}/expo/{EXPO}/" in sizes
    assert any(url.endswith(".css") for url in sizes)
    assert total <= 150 * 1024, sizes


def test_pages_work_without_javascript(demo_site, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{demo_site}/expo/{EXPO}/peserta/?province=63")
    # Without the script, the server lists the province's regencies after "Show".
    options = page.get_by_label("Kabupaten/kota").locator("option")
    assert options.count() > 2
    page.get_by_label("Kabupaten/kota").select_option("63.72")
    page.get_by_role("button", name="Tampilkan").click()
    assert "regency=63.72" in page.url
    assert page.locator(".ex-grid > li").count() > 0
    context.close()
