"""The intake, end to end on phones: an UMKM owner signs up, builds a catalogue and
applies; an organizer admin accepts and assigns a booth; a visitor finds it.

Elements are found by stable attributes (field names, URLs, input types), not by
their visible text, which is being translated; only data (business and product
names, booth codes) is looked for as text.

On SQLite the live server shares the test's database connection
(demo_site_writable): everything runs inside the test's transaction and is
rolled back after it, so the emails the services send after commit
(transaction.on_commit) go out when the capture block ends. On PostgreSQL the
server thread commits (the new business stays for the session; the visitor
journey counts the 2021 expo only) and sends them at once.
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, axe_violations

# django_db makes pytest-django set up the test database (see test_visitor_journey).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EXPO = "pekalongan-hybrid-expo-2027"
EMAIL = "sekar.arum@contoh.id"
PHONE_TYPED = "0857 1234 5678"
PASSWORD = "batik-sekar-arum-27"
BUSINESS = "Batik Sekar Arum Kauman"
OWNER = "Sekar Arumsari"
PRODUCTS = [
    # (name, price typed, stock, photos)
    ("Kain Batik Tulis Sekar Jagad", "150.000", "12", 2),
    ("Selendang Batik Cap Kawung", "Rp85.000", "30", 1),
]
ORGANIZER_ADMIN = "admin.dinas@gelar.test"


def _jpeg(path, color, size=(900, 700)):
    from PIL import Image

    Image.new("RGB", size, color).save(path, "JPEG", quality=80)
    return str(path)


def _submit(page, form_selector: str) -> None:
    page.locator(f"{form_selector} button[type=submit]").first.click()


def _no_serious_violations(page, found: dict, name: str) -> None:
    violations = axe_violations(page)
    if violations:
        found[name] = violations


def _owner_signs_up(page, demo_site, found):
    from gelar.accounts.tests.codes import last_email_code, last_sms_code

    page.goto(f"{demo_site}/akun/signup/")
    _no_serious_violations(page, found, "sign-up")
    page.locator("[name=full_name]").fill(OWNER)
    page.locator("[name=email]").fill(EMAIL)
    page.locator("[name=phone]").fill(PHONE_TYPED)
    page.locator("[name=password1]").fill(PASSWORD)
    page.locator("[name=password2]").fill(PASSWORD)
    _submit(page, "form:has([name=password2])")

    # The number first (a code by SMS), then the address (a code by email).
    expect(page).to_have_url(re.compile(r"/akun/phone/verify/$"))
    page.locator("[name=code]").fill(last_sms_code())
    _submit(page, "form:has([name=code])")
    expect(page).to_have_url(re.compile(r"/akun/confirm-email/$"))
    assert mail.outbox[-1].to == [EMAIL]
    page.locator("[name=code]").fill(last_email_code())
    _submit(page, "form:has([name=code])")

    # Signed in, on the start page: it leads to the business dashboard.
    expect(page).to_have_url(f"{demo_site}/akun/beranda/")
    page.locator("main a[href='/umkm/']").first.click()
    expect(page).to_have_url(f"{demo_site}/umkm/")


def _owner_creates_the_business(page, demo_site) -> str:
    from gelar.exhibitors.models import Category

    batik = Category.objects.get(slug="batik-fesyen")
    form = "form[action$='/umkm/baru/']"
    page.locator(f"{form} [name=name]").fill(BUSINESS)
    page.locator(f"{form} [name=owner_name]").fill(OWNER)
    page.locator(f"{form} [name=category]").select_option(str(batik.pk))
    # The picker: choosing the province fills the regency list.
    page.locator(f"{form} [name=province]").select_option("33")
    expect(page.locator(f"{form} [name=region] option[value='33.75']")).to_have_count(1)
    page.locator(f"{form} [name=region]").select_option("33.75")
    page.locator(f"{form} [name=whatsapp]").fill("0812 3456 7890")
    page.locator(f"{form} [name=description]").fill(
        "Batik tulis dan cap dari Kampung Batik Kauman, Pekalongan."
    )
    _submit(page, form)
    expect(page).to_have_url(re.compile(rf"{re.escape(demo_site)}/umkm/[\w-]+/$"))
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]

    # The checklist's NIB item leads to the legal documents.
    page.locator(f"main a[href='/umkm/{slug}/dokumen/']").first.click()
    expect(page).to_have_url(f"{demo_site}/umkm/{slug}/dokumen/")
    page.locator("[name=nib-number]").fill("9120 3045 6789 1")
    _submit(page, "form:has([name=nib-number])")
    expect(page.locator("[name=nib-number]")).to_have_value("9120304567891")
    return slug


def _owner_adds_products(page, demo_site, slug, tmp_path, found):
    page.goto(f"{demo_site}/umkm/{slug}/")
    page.locator(f"main a[href='/umkm/{slug}/produk/baru/']").first.click()
    expect(page).to_have_url(f"{demo_site}/umkm/{slug}/produk/baru/")
    _no_serious_violations(page, found, "dashboard product form")
    colors = iter(["#7b3f00", "#1f4e79", "#a33b20"])
    form = page.locator("form:has([name=price])")
    for index, (name, price, stock, photos) in enumerate(PRODUCTS):
        form.locator("[name=name]").fill(name)
        form.locator("[name=price]").fill(price)
        form.locator("[name=stock]").fill(stock)
        form.locator("[name=description]").fill(f"{name}, dibuat tangan di Pekalongan.")
        files = [_jpeg(tmp_path / f"produk-{index}-{n}.jpg", next(colors)) for n in range(photos)]
        # The gallery input (the other one opens the camera).
        form.locator("input[type=file]").last.set_input_files(files)
        if index < len(PRODUCTS) - 1:
            form.locator("button[type=submit][name=add_another]").click()
            expect(page).to_have_url(f"{demo_site}/umkm/{slug}/produk/baru/")
            expect(form.locator("[name=name]")).to_have_value("")
        else:
            form.locator("button[type=submit]:not([name])").click()
            expect(page).to_have_url(f"{demo_site}/umkm/{slug}/produk/")
    for name, *_rest in PRODUCTS:
        expect(page.locator(f'main a:has-text("{name}")')).to_be_visible()


def _owner_applies(page, demo_site, slug):
    from gelar.events.models import Expo

    expo = Expo.objects.get(slug=EXPO)
    page.locator(f"a[href='/umkm/{slug}/ikut-expo/']").first.click()
    expect(page).to_have_url(f"{demo_site}/umkm/{slug}/ikut-expo/")
    card = page.locator(f"#expo-{expo.pk}")
    expect(card).to_contain_text("Pekalongan Hybrid Expo 2027")
    card.locator("input[type=radio][name=mode][value=venue]").check()
    card.locator("[name=note]").fill("Kami membawa alat membatik untuk demo canting.")
    card.locator("form:has([name=mode]) button[type=submit]").click()
    # Back on the same page (the form's #expo-N fragment survives the redirect).
    expect(page).to_have_url(
        re.compile(rf"^{re.escape(demo_site)}/umkm/{slug}/ikut-expo/(#expo-{expo.pk})?$")
    )
    expect(page.locator(f"#expo-{expo.pk} .status-applied")).to_be_visible()


def _check_the_application(slug):
    from gelar.catalog.models import Product
    from gelar.exhibitors.models import Exhibitor, ExhibitorMember, Participation

    exhibitor = Exhibitor.objects.get(slug=slug)
    assert (
        exhibitor.name,
        exhibitor.owner_name,
        exhibitor.category.slug,
        exhibitor.region_id,
        exhibitor.whatsapp,
        exhibitor.nib,
    ) == (BUSINESS, OWNER, "batik-fesyen", "33.75", "6281234567890", "9120304567891")
    member = ExhibitorMember.objects.get(exhibitor=exhibitor)
    assert (member.user.email, member.user.phone, member.role) == (
        EMAIL,
        "6285712345678",
        "owner",
    )
    products = list(Product.objects.filter(exhibitor=exhibitor).order_by("name"))
    assert [(p.name, p.price, p.stock, p.is_active) for p in products] == [
        ("Kain Batik Tulis Sekar Jagad", 150000, 12, True),
        ("Selendang Batik Cap Kawung", 85000, 30, True),
    ]
    for product, photos in zip(products, (2, 1), strict=True):
        images = list(product.images.order_by("position", "pk"))
        assert len(images) == photos
        for image in images:
            assert image.image.name and image.thumbnail.name
            assert image.image.storage.exists(image.image.name)
            assert image.thumbnail.storage.exists(image.thumbnail.name)
    participation = Participation.objects.get(exhibitor=exhibitor)
    assert (participation.expo.slug, participation.status, participation.mode) == (
        EXPO,
        "applied",
        "venue",
    )
    assert participation.booth is None
    return exhibitor, participation


def _organizer_signs_in(page, demo_site):
    from gelar.accounts.demo import DEMO_PASSWORD, totp_code

    page.goto(f"{demo_site}/akun/login/")
    page.locator("[name=login]").fill(ORGANIZER_ADMIN)
    page.locator("[name=password]").fill(DEMO_PASSWORD)
    _submit(page, "form:has([name=password])")
    # Organizer admins must pass TOTP (the code of the current period; the
    # previous one is accepted too, MFA_TOTP_TOLERANCE = 1).
    expect(page).to_have_url(re.compile(r"/akun/2fa/authenticate/$"))
    page.locator("[name=code]").fill(totp_code())
    _submit(page, "form:has([name=code])")
    expect(page).to_have_url(f"{demo_site}/console/")


def _organizer_accepts_and_assigns(page, demo_site, exhibitor, participation, found):
    from gelar.events.models import Booth

    page.locator(f"main a[href^='/console/{EXPO}/']").first.click()
    page.locator(f"a[href='/console/{EXPO}/applications/']").first.click()
    expect(page).to_have_url(f"{demo_site}/console/{EXPO}/applications/")
    _no_serious_violations(page, found, "console application queue")

    # Only the waiting ones, through the status filter.
    page.locator("a[href='?status=applied']").first.click()
    row = page.locator("tbody tr").filter(has_text=BUSINESS)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(7)).to_have_text("2")  # products
    row.locator(f"a[href='/console/{EXPO}/applications/{participation.pk}/']").click()
    expect(page).to_have_url(
        re.compile(rf"/console/{EXPO}/applications/{participation.pk}/(\?.*)?$")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(BUSINESS)
    expect(page.locator(".intake-products img")).to_have_count(2)
    _no_serious_violations(page, found, "console application page")

    page.locator("button[type=submit][name=action][value=accept]").click()
    expect(page.locator(".status-accepted").first).to_be_visible()
    page.locator(f"a[href='/console/{EXPO}/booths/?participation={participation.pk}']").click()
    expect(page).to_have_url(f"{demo_site}/console/{EXPO}/booths/?participation={participation.pk}")
    _no_serious_violations(page, found, "console booths page")

    free = (
        Booth.objects.filter(hall__expo__slug=EXPO, participation__isnull=True)
        .order_by("code")
        .first()
    )
    form = "form:has(input[name=form][value=assign])"
    expect(page.locator(f"{form} [name=participation]")).to_have_value(str(participation.pk))
    page.locator(f"{form} [name=booth]").select_option(str(free.pk))
    _submit(page, form)
    expect(page).to_have_url(f"{demo_site}/console/{EXPO}/booths/")
    held = page.locator(".intake-held li").filter(has_text=BUSINESS)
    expect(held.locator(".code")).to_have_text(free.code)
    return free


def _visitor_finds_the_booth(page, demo_site, exhibitor, booth):
    page.goto(f"{demo_site}/expo/{EXPO}/denah/")
    expect(page.locator("svg[role=img] text.code").filter(has_text=booth.code)).to_have_count(1)
    listed = page.locator(".booth-list li").filter(has_text=BUSINESS)
    expect(listed).to_have_count(1)
    expect(listed.locator(".code")).to_have_text(booth.code)

    page.goto(f"{demo_site}/expo/{EXPO}/peserta/?q=Sekar+Arum")
    expect(page.locator(".ex-grid > li")).to_have_count(1)
    link = page.locator(f"main a[href='/expo/{EXPO}/stan/{exhibitor.slug}/']").first
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(f"{demo_site}/expo/{EXPO}/stan/{exhibitor.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(BUSINESS)
    for name, *_rest in PRODUCTS:
        expect(page.locator("main").get_by_text(name).first).to_be_visible()
    expect(page.locator("a[href^='https://wa.me/6281234567890']").first).to_be_visible()
    expect(
        page.locator("svg[role=img]").filter(has=page.locator("text.code", has_text=booth.code))
    ).to_have_count(1)


def test_owner_applies_organizer_accepts_and_visitors_find_the_booth(
    demo_site_writable, browser, tmp_path, django_capture_on_commit_callbacks
):
    from gelar.accounts import sms

    demo_site = demo_site_writable
    # Rate-limit counters and used TOTP codes live in the cache; SMS in a list.
    cache.clear()
    sms.outbox.clear()

    contexts = []

    def phone_page():
        contexts.append(browser.new_context(**PHONE))
        return contexts[-1].new_page()

    try:
        _journey(demo_site, phone_page, tmp_path, django_capture_on_commit_callbacks)
    finally:
        for context in contexts:
            context.close()


def _journey(demo_site, phone_page, tmp_path, django_capture_on_commit_callbacks):
    from gelar.audit.models import AuditEntry
    from gelar.exhibitors.models import Participation

    found: dict[str, list[str]] = {}

    # 1. The UMKM owner, on a phone.
    owner = phone_page()
    _owner_signs_up(owner, demo_site, found)
    slug = _owner_creates_the_business(owner, demo_site)
    _owner_adds_products(owner, demo_site, slug, tmp_path, found)
    _owner_applies(owner, demo_site, slug)
    exhibitor, participation = _check_the_application(slug)
    mail.outbox.clear()

    # 2. The organizer admin, on another phone.
    organizer = phone_page()
    with django_capture_on_commit_callbacks(execute=True):
        _organizer_signs_in(organizer, demo_site)
        booth = _organizer_accepts_and_assigns(
            organizer, demo_site, exhibitor, participation, found
        )

    participation = Participation.objects.select_related("booth", "decided_by").get(
        pk=participation.pk
    )
    assert (participation.status, participation.booth, participation.decided_by.email) == (
        "accepted",
        booth,
        ORGANIZER_ADMIN,
    )
    assert participation.decided_at is not None
    actions = list(
        AuditEntry.objects.filter(
            object_type="exhibitors.participation", object_id=str(participation.pk)
        )
        .order_by("at", "pk")
        .values_list("action", "actor__email")
    )
    assert actions == [
        ("participation.apply", EMAIL),
        ("participation.accept", ORGANIZER_ADMIN),
        ("booth.assign", ORGANIZER_ADMIN),
    ]
    assert AuditEntry.objects.filter(exhibitor=exhibitor, action="product.create").count() == len(
        PRODUCTS
    )
    # The owner is told: accepted, then the booth.
    assert [message.to for message in mail.outbox] == [[EMAIL], [EMAIL]]
    accepted, assigned = mail.outbox
    assert "Pekalongan Hybrid Expo 2027" in accepted.subject
    assert BUSINESS in accepted.body and "/umkm/" in accepted.body
    assert booth.code in assigned.subject + assigned.body

    # The owner sees the decision and the booth on the dashboard.
    owner.goto(f"{demo_site}/umkm/{slug}/ikut-expo/")
    expect(owner.locator("main .status-accepted").first).to_be_visible()
    expect(owner.locator("main").get_by_text(booth.code).first).to_be_visible()

    # 3. A visitor, signed out.
    _visitor_finds_the_booth(phone_page(), demo_site, exhibitor, booth)

    # 4. No serious accessibility violation on the journey's pages.
    assert found == {}
