import datetime
import io
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command

from gelar.catalog.models import Product, ProductImage
from gelar.common.text import normalize_search_text
from gelar.common.validators import normalize_whatsapp, validate_nib
from gelar.demo import data
from gelar.demo.services import demo_load, demo_logins_text, products_per_exhibitor
from gelar.events.models import AgendaSession, Booth, Expo, Hall, Organizer
from gelar.exhibitors.models import Category, Exhibitor, ExhibitorLink, Participation

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
# The numbers the seeded plan gives at scale 1; a change to gelar/demo/data.py or
# to the plan changes them on purpose, and these must follow.
PRODUCTS_AT_SCALE_1 = 604
PICTURES_AT_SCALE_1 = 1224


def snapshot() -> list[tuple]:
    """What a visitor sees of the catalogue, independent of primary keys."""
    return list(
        Product.objects.order_by("exhibitor__slug", "slug").values_list(
            "exhibitor__slug", "exhibitor__name", "slug", "name", "price", "stock", "sku"
        )
    )


@pytest.fixture
def demo():
    return demo_load(scale=1)


@pytest.mark.django_db
def test_scale_1_has_the_designed_counts(demo):
    assert demo.loaded
    assert (demo.expos, demo.exhibitors, demo.venue, demo.online) == (2, 100, 30, 70)
    assert demo.products == PRODUCTS_AT_SCALE_1
    assert demo.products >= 500
    assert demo.product_images == PICTURES_AT_SCALE_1
    assert Exhibitor.objects.count() == 100
    assert Category.objects.count() == 6
    organizer = Organizer.objects.get(slug="dindakop-pekalongan")
    assert organizer.short_name == "Dindakop UKM Kota Pekalongan"
    assert organizer.region_id == "33.75"
    for exhibitor in Exhibitor.objects.all():
        assert 5 <= exhibitor.products.count() <= 7
        assert 1 <= exhibitor.links.count() <= 3


@pytest.mark.django_db
def test_venue_and_regions_follow_the_article(demo):
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2021")
    venue = Participation.objects.filter(expo=expo, mode="venue")
    assert venue.count() == 30
    assert venue.filter(exhibitor__region_id="33.75").count() == 25
    assert set(
        venue.exclude(exhibitor__region_id="33.75").values_list("exhibitor__region_id", flat=True)
    ) == {
        "32.06",
        "63.72",
        "63.71",
        "33.01",
        "33.74",
    }
    assert Participation.objects.filter(expo=expo, mode="online").count() == 70
    assert Participation.objects.filter(expo=expo).exclude(status="accepted").count() == 0
    assert set(Exhibitor.objects.values_list("region_id", flat=True)) == {
        "33.75",
        "32.06",
        "63.72",
        "63.71",
        "63.03",
        "33.01",
        "33.74",
    }
    # South Kalimantan beyond Banjarbaru.
    assert (
        Exhibitor.objects.filter(region__province_id="63").exclude(region_id="63.72").count() == 8
    )
    # Online exhibitors supply a product video; the venue ones need not.
    online = Exhibitor.objects.filter(participations__expo=expo, participations__mode="online")
    assert not online.filter(video_url="").exists()
    assert all(
        url.startswith("https://www.youtube.com/watch?v=")
        for url in online.values_list("video_url", flat=True)
    )


@pytest.mark.django_db
def test_every_venue_exhibitor_has_its_own_booth_of_the_2021_hall(demo):
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2021")
    hall = Hall.objects.get(expo=expo)
    assert (hall.name, hall.width, hall.height) == ("Hall Utama", 400, 240)
    assert Booth.objects.filter(hall=hall).count() == 30
    booths = list(
        Participation.objects.filter(expo=expo, mode="venue").values_list(
            "booth__hall_id", "booth_id"
        )
    )
    assert {hall_id for hall_id, _ in booths} == {hall.pk}
    assert len({booth_id for _, booth_id in booths}) == 30
    assert not Participation.objects.filter(expo=expo, mode="online", booth__isnull=False).exists()
    assert sorted(Booth.objects.filter(hall=hall).values_list("code", flat=True)) == [
        f"A-{n:02d}" for n in range(1, 31)
    ]


@pytest.mark.django_db
def test_booths_lie_inside_their_hall_and_do_not_overlap(demo):
    for hall in Hall.objects.all():
        booths = list(hall.booths.all())
        for booth in booths:
            assert booth.x + booth.width <= hall.width
            assert booth.y + booth.height <= hall.height
        for n, a in enumerate(booths):
            for b in booths[n + 1 :]:
                apart = (
                    a.x + a.width <= b.x
                    or b.x + b.width <= a.x
                    or a.y + a.height <= b.y
                    or b.y + b.height <= a.y
                )
                assert apart, (a.code, b.code)


@pytest.mark.django_db
def test_agenda_has_the_promotions_by_the_mayor_and_the_dekranasda_chair(demo):
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2021")
    assert (expo.status, expo.time_zone, expo.planned_venue_percent, expo.venue_booth_quota) == (
        "closed",
        "Asia/Jakarta",
        30,
        30,
    )
    assert expo.phase(today=datetime.date(2026, 11, 29)) == "past"
    assert (expo.start_date, expo.end_date) == (
        datetime.date(2021, 11, 24),
        datetime.date(2021, 11, 25),
    )
    sessions = list(AgendaSession.objects.filter(expo=expo))
    assert len(sessions) == 8
    for session in sessions:
        assert session.starts_at.tzinfo is not None
        assert session.starts_at.astimezone(WIB).date() in (
            datetime.date(2021, 11, 24),
            datetime.date(2021, 11, 25),
        )
        assert session.speakers.exists()
        assert not session.speakers.filter(role="").exists()

    opening = AgendaSession.objects.get(expo=expo, title="Pembukaan Pekalongan Hybrid Expo 2021")
    assert opening.starts_at == datetime.datetime(2021, 11, 24, 9, 0, tzinfo=WIB)
    assert opening.ends_at == datetime.datetime(2021, 11, 24, 10, 0, tzinfo=WIB)
    mayor = AgendaSession.objects.get(expo=expo, title="Promosi Produk UMKM bersama Wali Kota")
    assert mayor.starts_at.astimezone(WIB) == datetime.datetime(2021, 11, 24, 10, 0, tzinfo=WIB)
    assert [(s.name, s.role) for s in mayor.speakers.all()] == [
        ("H. A. Afzan Arslan Djunaid", "Wali Kota Pekalongan")
    ]
    chair = AgendaSession.objects.get(
        expo=expo, title="Promosi Produk oleh Ketua Dekranasda Kota Pekalongan"
    )
    assert chair.starts_at.astimezone(WIB) == datetime.datetime(2021, 11, 25, 9, 30, tzinfo=WIB)
    assert [s.role for s in chair.speakers.all()] == ["Ketua Dekranasda Kota Pekalongan"]
    closing = sessions[-1]
    assert closing.starts_at.astimezone(WIB).date() == datetime.date(2021, 11, 25)


@pytest.mark.django_db
def test_the_2027_expo_is_published_and_upcoming_with_its_own_participants(demo):
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2027")
    assert expo.status == "published"
    assert expo.organizer.slug == "dindakop-pekalongan"
    assert expo.phase(today=datetime.date(2026, 11, 29)) == "upcoming"
    # The five sessions of the programme and the live session on air at load time.
    assert expo.sessions.count() == 6
    assert expo.halls.get().booths.count() == 36
    participations = Participation.objects.filter(expo=expo)
    accepted_venue = participations.filter(status="accepted", mode="venue")
    assert accepted_venue.count() == 20
    assert accepted_venue.filter(booth__hall__expo=expo).count() == 20
    assert participations.filter(status="accepted", mode="online").count() == 15
    assert participations.filter(status="applied").count() == 8
    assert not participations.filter(status="applied", booth__isnull=False).exists()


@pytest.mark.django_db
def test_exhibitor_identifiers_are_valid_and_unique(demo):
    rows = list(Exhibitor.objects.values_list("slug", "nib", "whatsapp"))
    for _slug, nib, whatsapp in rows:
        validate_nib(nib)
        assert normalize_whatsapp(whatsapp) == whatsapp
    assert (
        len({r[0] for r in rows}) == len({r[1] for r in rows}) == len({r[2] for r in rows}) == 100
    )
    assert ExhibitorLink.objects.exclude(url__startswith="https://").count() == 0
    exhibitor = Exhibitor.objects.get(name="Keripik Usus Bu Narti")
    assert exhibitor.slug == "keripik-usus-bu-narti"
    assert exhibitor.search_text == normalize_search_text(
        exhibitor.name, exhibitor.owner_name, exhibitor.description
    )


@pytest.mark.django_db
def test_products_are_priced_in_whole_rupiah_with_stock_and_search_text(demo):
    kinds = {kind.label: kind for kind in data.PRODUCT_KINDS}
    for product in Product.objects.all():
        assert product.price % 500 == 0
        assert 0 <= product.stock <= 120
        assert product.search_text == normalize_search_text(
            product.name, product.sku, product.description
        )
        kind = next(kinds[label] for label in kinds if product.name.startswith(label + " "))
        assert kind.price_min <= product.price <= kind.price_max
    assert Product.objects.filter(stock=0).count() == 34
    assert Product.objects.filter(is_active=False).count() == 20
    featured = Product.objects.filter(is_featured=True)
    assert featured.count() == 16
    assert not featured.filter(is_active=False).exists()
    assert not featured.filter(stock=0).exists()
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2021")
    assert (
        featured.filter(
            exhibitor__participations__expo=expo, exhibitor__participations__status="accepted"
        ).count()
        == 16
    )


@pytest.mark.django_db
def test_every_product_has_pictures_that_exist_in_storage(demo):
    assert not Product.objects.filter(images__isnull=True).exists()
    assert ProductImage.objects.filter(position=0).exclude(alt__startswith="Foto ").count() == 0
    names = set(ProductImage.objects.values_list("image", flat=True))
    names |= set(Exhibitor.objects.values_list("logo", flat=True))
    assert "" not in names
    for name in names:
        assert default_storage.exists(name), name
    assert all(name.startswith(("products/demo/", "logos/demo/")) for name in names)
    with default_storage.open(ProductImage.objects.first().image.name) as f:
        assert f.read(3) == b"\xff\xd8\xff"  # a JPEG


@pytest.mark.django_db
def test_loading_again_changes_nothing(demo):
    before = snapshot()
    again = demo_load(scale=1)
    assert not again.loaded
    assert (again.exhibitors, again.products, again.product_images) == (
        100,
        PRODUCTS_AT_SCALE_1,
        PICTURES_AT_SCALE_1,
    )
    assert snapshot() == before
    assert Expo.objects.count() == 2


@pytest.mark.django_db
def test_reset_rebuilds_the_same_demo_and_spares_other_exhibitors(demo):
    before = snapshot()
    # A real exhibitor who applied to the demo's 2027 expo and also exhibits
    # with another organizer is not demo data.
    other_expo = Expo.objects.create(
        organizer=Organizer.objects.create(name="Dinas Koperasi Kota Tegal", slug="dinkop-tegal"),
        name="Tegal Expo",
        slug="tegal-expo",
        start_date=datetime.date(2027, 1, 5),
        end_date=datetime.date(2027, 1, 6),
    )
    real = Exhibitor.objects.create(
        name="Teh Poci Mbak Ayu",
        slug="teh-poci-mbak-ayu",
        owner_name="Ayu Lestari",
        region_id="33.76",
        category=Category.objects.get(slug="minuman"),
        whatsapp="6281234567890",
    )
    Participation.objects.create(expo=other_expo, exhibitor=real, mode="online")
    Participation.objects.create(
        expo=Expo.objects.get(slug="pekalongan-hybrid-expo-2027"), exhibitor=real, mode="online"
    )

    rebuilt = demo_load(scale=1, reset=True)
    assert rebuilt.loaded
    assert (rebuilt.exhibitors, rebuilt.venue, rebuilt.online) == (100, 30, 70)
    assert snapshot() == before
    assert Exhibitor.objects.filter(pk=real.pk).exists()
    assert Exhibitor.objects.count() == 101
    assert Category.objects.count() == 6
    assert Expo.objects.filter(organizer__slug="dindakop-pekalongan").count() == 2


@pytest.mark.django_db
def test_scale_2_doubles_the_exhibitors_online_and_keeps_the_first_hundred(demo):
    first_hundred = list(Exhibitor.objects.order_by("pk").values_list("name", "owner_name", "nib"))
    summary = demo_load(scale=2, reset=True)
    assert (summary.exhibitors, summary.venue, summary.online) == (200, 30, 170)
    assert products_per_exhibitor(scale=2) == (6, 8)
    assert 200 * 6 <= summary.products <= 200 * 8
    assert list(
        Exhibitor.objects.order_by("pk").values_list("name", "owner_name", "nib")[:100]
    ) == (first_hundred)
    assert products_per_exhibitor(scale=10) == (20, 22)
    assert products_per_exhibitor(scale=40) == (20, 22)


@pytest.mark.django_db
def test_admin_login_and_the_printed_logins():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "100 exhibitors" in out.getvalue()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.email == "admin@gelar.test"
    assert admin.check_password("gelar-demo")

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()

    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert text == demo_logins_text() + "\n"
    assert "http://127.0.0.1:8000/" in text
    assert "http://127.0.0.1:8000/admin/" in text
    assert "admin.dinas@gelar.test" in text
    assert "081200000002" in text
    assert "admin" in text and "gelar-demo" in text


@pytest.mark.django_db
def test_demo_accounts_show_the_console_and_the_dashboard_at_work(demo):
    from gelar.accounts.models import User
    from gelar.events.models import OrganizerMember
    from gelar.exhibitors.models import ExhibitorMember, Participation

    roles = dict(
        OrganizerMember.objects.filter(organizer__slug="dindakop-pekalongan").values_list(
            "user__email", "role"
        )
    )
    assert roles == {
        "admin.dinas@gelar.test": "admin",
        "staf.dinas@gelar.test": "staff",
        "host.dinas@gelar.test": "host",
        "gerbang.dinas@gelar.test": "gate",
    }
    by_email = ExhibitorMember.objects.get(user__email="pemilik.umkm@gelar.test")
    by_phone = ExhibitorMember.objects.get(user__phone="6281200000002")
    assert by_email.role == by_phone.role == "owner"
    waiting = Participation.objects.get(exhibitor=by_email.exhibitor, expo__slug__endswith="2027")
    assert waiting.status == "applied"
    at_venue = Participation.objects.get(exhibitor=by_phone.exhibitor, expo__slug__endswith="2027")
    assert at_venue.status == "accepted" and at_venue.booth is not None
    # The console's queue has pending applications.
    assert Participation.objects.filter(status="applied").count() == 8
    assert User.objects.get(email="admin.dinas@gelar.test").check_password("gelar-demo")


# --- Payments and orders -------------------------------------------------------------


def order_snapshot() -> list[tuple]:
    """The demo's orders without primary keys (numbers and transfer codes come from them)."""
    from gelar.orders.models import Order

    return sorted(
        Order.objects.values_list(
            "exhibitor__name",
            "expo__slug",
            "checkout__buyer_name",
            "status",
            "payment_method",
            "delivery_method",
            "subtotal",
            "tracking_number",
            "cancel_reason",
        )
    )


@pytest.mark.django_db
def test_orders_cover_every_status_both_payment_paths_and_the_demo_owners(demo):
    from collections import Counter

    from gelar.demo.report import ORDER_KEY_PREFIX
    from gelar.exhibitors.models import ExhibitorMember
    from gelar.orders.models import Checkout, Order
    from gelar.payments.models import Payment, Refund

    # 21 orders in every status and 4 paid orders bought from the Mayor's pins in 2021,
    # then the 300 completed orders that fill the 2021 report (test_demo_report.py).
    assert demo.orders == 325
    assert "325 orders" in demo.as_text()
    report_checkouts = Checkout.objects.filter(idempotency_key__startswith=ORDER_KEY_PREFIX)
    shop_orders = Order.objects.exclude(checkout__in=report_checkouts)
    shop_checkouts = Checkout.objects.exclude(pk__in=report_checkouts)
    shop_payments = Payment.objects.filter(order__in=shop_orders)
    statuses = Counter(shop_orders.values_list("status", flat=True))
    assert statuses == {
        "awaiting_payment": 5,
        "paid": 7,
        "processing": 2,
        "shipped": 2,
        "ready_for_pickup": 2,
        "completed": 2,
        "cancelled": 2,
        "expired": 3,
    }
    awaiting = shop_orders.filter(status="awaiting_payment")
    assert set(awaiting.values_list("payment_method", flat=True)) == {"qris", "transfer"}
    assert Counter(shop_orders.values_list("payment_method", flat=True)) == {
        "qris": 16,
        "transfer": 7,
        "cash": 2,
    }
    assert set(
        shop_orders.filter(status="ready_for_pickup").values_list("delivery_method", flat=True)
    ) == {"pickup"}
    # Cash on pick-up: one paid and collected, one set aside to be paid at the hand-over.
    assert {
        (status, paid_at is None)
        for status, paid_at in shop_orders.filter(payment_method="cash").values_list(
            "status", "paid_at"
        )
    } == {("completed", False), ("ready_for_pickup", True)}
    # Unpaid orders stay reserved while somebody looks at the demo.
    now = datetime.datetime.now(tz=WIB)
    assert not awaiting.filter(reserved_until__lt=now + datetime.timedelta(days=2)).exists()
    assert not shop_orders.filter(status="shipped", tracking_number="").exists()
    assert not shop_orders.filter(status="cancelled", cancel_reason="").exists()
    assert not shop_orders.filter(status="expired", cancelled_at__isnull=True).exists()
    assert not shop_orders.filter(status="expired", reserved_until__gt=now).exists()
    # Transfers carry a unique code; the total adds up.
    for order in shop_orders.filter(payment_method="transfer"):
        assert 1 <= order.unique_code <= 999
        assert order.total == order.subtotal + order.unique_code
    # Every order past payment has its confirmed payment, for the exact total.
    paid = shop_orders.exclude(status__in=["awaiting_payment", "cancelled", "expired"]).filter(
        paid_at__isnull=False
    )
    # ... and so has the order cancelled after payment, refunded in full since.
    assert paid.count() == 14
    assert shop_payments.filter(status="confirmed").count() == 14
    refunded = shop_payments.get(order__status="cancelled")
    assert refunded.status == "refunded"
    refund = Refund.objects.get()
    assert (refund.order_id, refund.amount, refund.method) == (
        refunded.order_id,
        refunded.amount,
        "transfer",
    )
    assert refund.reference == f"TRF-DEMO-{refund.order_id:06d}"
    for order in paid:
        payment = order.payments.get()
        assert (payment.status, payment.amount, payment.method) == (
            "confirmed",
            order.total,
            order.payment_method,
        )
        assert payment.confirmed_by is not None
        assert order.paid_at is not None and order.paid_at > order.created_at
    # One cart across two booths.
    assert shop_checkouts.count() == 24
    assert shop_checkouts.filter(orders__isnull=False).distinct().count() == 24
    two_booths = [c for c in shop_checkouts.all() if c.orders.count() == 2]
    assert len(two_booths) == 1
    # Both demo owners see orders in their dashboards; the one still waiting for the
    # 2027 decision sells in the 2021 expo's virtual mall.
    by_email = ExhibitorMember.objects.get(user__email="pemilik.umkm@gelar.test").exhibitor
    by_phone = ExhibitorMember.objects.get(user__phone="6281200000002").exhibitor
    assert set(by_email.orders.values_list("expo__slug", flat=True)) == {
        "pekalongan-hybrid-expo-2021"
    }
    assert by_email.orders.count() == 4
    assert set(by_phone.orders.values_list("expo__slug", flat=True)) == {
        "pekalongan-hybrid-expo-2027"
    }
    assert set(by_phone.orders.values_list("status", flat=True)) == set(statuses)
    for checkout in shop_checkouts.all():
        assert checkout.buyer_whatsapp.startswith("62")
        assert checkout.buyer_email == "" or checkout.buyer_email.endswith("@contoh.id")
        assert checkout.idempotency_key.startswith("gelar-demo-order-")


@pytest.mark.django_db
def test_order_stock_is_what_the_plan_had_minus_what_is_still_held(demo):
    from collections import defaultdict

    from gelar.demo.services import _plan_exhibitors
    from gelar.orders.models import OrderLine
    from gelar.regions.models import Regency

    names = dict(Regency.objects.values_list("code", "name"))
    plans = _plan_exhibitors(scale=1, regency_names=names)
    planned = {(plan.name, p.slug): p.stock for plan in plans for p in plan.products}
    held = defaultdict(int)
    for product_id, quantity in OrderLine.objects.exclude(
        order__status__in=["cancelled", "expired"]
    ).values_list("product_id", "quantity"):
        held[product_id] += quantity
    assert sum(held.values()) > 0
    # The booth sales took what the stock had (a flagged line's shortfall was not there).
    from django.db.models import F

    from gelar.pos.models import PosSaleLine

    for product_id, taken in PosSaleLine.objects.values_list(
        "product_id", F("quantity") - F("short")
    ):
        held[product_id] += taken
    for product in Product.objects.select_related("exhibitor"):
        assert product.stock >= 0
        assert product.stock == planned[(product.exhibitor.name, product.slug)] - held[product.pk]
    # Nothing sold out because of a demo order.
    assert Product.objects.filter(stock=0).count() == 34


@pytest.mark.django_db
def test_every_stored_qris_is_synthetic_valid_and_works_for_an_order(demo):
    from gelar.demo.services import DEMO_NMID_PREFIX, demo_static_qris
    from gelar.orders.models import Order
    from gelar.payments import qris
    from gelar.payments.models import ExhibitorPaymentSettings
    from gelar.payments.services import payment_instructions, payment_methods_for

    settings = ExhibitorPaymentSettings.objects.select_related("exhibitor")
    assert settings.count() == 100
    nmids = set()
    for found in settings:
        info = qris.validate_static_qris(found.qris_payload)
        assert info.nmid == found.qris_nmid
        assert found.qris_nmid.startswith(DEMO_NMID_PREFIX)
        assert len(found.qris_nmid) == 15 and found.qris_nmid[2:].isdigit()
        assert info.merchant_name == found.qris_merchant_name == found.exhibitor.name[:25].strip()
        assert info.acquirers == ("ID.GELAR.DEMO.WWW", "ID.CO.QRIS.WWW")
        assert (info.mcc, info.merchant_city.isupper()) == ("5499", True)
        nmids.add(found.qris_nmid)
        if found.bank_name:
            assert found.bank_account_number.startswith("9999")
            assert found.bank_account_holder == found.exhibitor.owner_name
    assert len(nmids) == 100
    assert settings.exclude(bank_name="").count() == 50
    # The demo owners can show both payment paths.
    owners = Exhibitor.objects.filter(members__role="owner")
    assert owners.count() == 2
    assert settings.filter(exhibitor__in=owners).exclude(bank_name="").count() == 2
    venue = Participation.objects.filter(mode="venue").values("exhibitor_id")
    assert set(settings.filter(accepts_cash=True).values_list("exhibitor_id", flat=True)) == set(
        Exhibitor.objects.filter(pk__in=venue).values_list("pk", flat=True)
    )
    assert settings.filter(accepts_cash=True).count() == 44

    # The builder is deterministic and its CRC is the one QRIS checks.
    payload = demo_static_qris(merchant_name="Batik Tulis Sekar Jagad", city="PEKALONGAN", number=7)
    assert payload == demo_static_qris(
        merchant_name="Batik Tulis Sekar Jagad", city="PEKALONGAN", number=7
    )
    assert payload.startswith("000201010211")
    assert payload[-4:] == qris.crc_of(payload[:-4])
    assert qris.validate_static_qris(payload).nmid == "ID9999000000007"

    order = Order.objects.filter(status="awaiting_payment", payment_method="qris").first()
    instructions = payment_instructions(order=order)
    dynamic = qris.validate_dynamic_qris(instructions.qris_payload)
    assert (dynamic.amount, dynamic.nmid[:6]) == (order.total, DEMO_NMID_PREFIX)
    assert instructions.qris_svg.startswith("<svg")
    transfer = Order.objects.filter(status="awaiting_payment", payment_method="transfer").first()
    assert payment_instructions(order=transfer).bank_account_number.startswith("9999")
    assert payment_methods_for(exhibitor=order.exhibitor)[:2] == ["qris", "transfer"]


@pytest.mark.django_db
def test_reset_reloads_the_same_orders_and_payment_settings(demo):
    from gelar.orders.models import Checkout, Order, OrderLine
    from gelar.payments.models import ExhibitorPaymentSettings, Payment

    before = order_snapshot()
    stock = snapshot()
    qris_before = sorted(ExhibitorPaymentSettings.objects.values_list("qris_payload", flat=True))
    counts = (Checkout.objects.count(), OrderLine.objects.count(), Payment.objects.count())

    rebuilt = demo_load(scale=1, reset=True)
    assert rebuilt.orders == 325
    assert order_snapshot() == before
    assert snapshot() == stock
    assert (Checkout.objects.count(), OrderLine.objects.count(), Payment.objects.count()) == counts
    assert Order.objects.count() == 325
    assert (
        sorted(ExhibitorPaymentSettings.objects.values_list("qris_payload", flat=True))
        == qris_before
    )
