"""The demo's booth till: 2021 sales at four venue stands on both days, an offline
queue synced twice with a sold-out product flagged, and the 24th closed everywhere;
and the demo owner's 2027 booth (081200000002, Abon Pak Saufi at A-25) with sales
rung up on the day the demo is loaded (the 2027 expo's days are still to come)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gelar.accounts.demo import OWNER_PHONE
from gelar.accounts.models import User
from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product
from gelar.common.validators import normalize_whatsapp
from gelar.demo.report import BOOTH_SALE_KEY_PREFIX
from gelar.demo.services import POS_KEY_PREFIX, POS_OWNER_KEY_PREFIX, demo_load
from gelar.events.models import Expo
from gelar.pos.models import PosDay, PosSale, PosSaleLine
from gelar.pos.services import pos_day_summary, sales_by_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return demo_load(scale=1)


@pytest.fixture
def loaded_between():
    """The demo, and the instants just before and after it was loaded."""
    before = timezone.now()
    demo_load(scale=1)
    return before, timezone.now()


def test_venue_stands_have_booth_sales_by_every_method(demo):
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2021")
    # The till's own sales; gelar.demo.report adds 160 more for the report.
    sales = PosSale.objects.filter(expo=expo).exclude(client_key__startswith=BOOTH_SALE_KEY_PREFIX)
    assert sales.count() == 12
    assert sales.filter(client_key__startswith=POS_OWNER_KEY_PREFIX).count() == 0
    assert sales.values("exhibitor").distinct().count() == 4
    assert set(sales.values_list("payment_method", flat=True)) == {"cash", "qris", "transfer"}
    assert all(s.exhibitor.participations.get(expo=expo).mode == "venue" for s in sales)
    assert all(s.client_key.startswith(POS_KEY_PREFIX) for s in sales)
    assert sales.filter(offline=True).count() == 2
    every_sale = PosSale.objects.filter(expo=expo)
    assert sales_by_channel(expo=expo)["venue"] == sum(every_sale.values_list("total", flat=True))


def test_one_flagged_sale_of_a_sold_out_product(demo):
    (flagged,) = PosSale.objects.filter(status="flagged")
    (line,) = flagged.lines.all()
    assert (line.quantity, line.short, line.product.stock) == (1, 1, 0)
    assert flagged.offline and flagged.flag_reason
    assert PosSaleLine.objects.filter(short__gt=0).count() == 1


def test_the_24th_is_closed_at_every_stand_one_short(demo):
    days = PosDay.objects.order_by("difference", "pk")
    assert days.count() == 4
    assert {d.date for d in days} == {datetime.date(2021, 11, 24)}
    assert [d.difference for d in days] == [-5000, 0, 0, 0]
    assert days[0].note


def test_a_reset_rebuilds_the_booth_sales(demo):
    before = list(PosSale.objects.order_by("client_key").values_list("client_key", "total"))
    demo_load(scale=1, reset=True)
    after = list(PosSale.objects.order_by("client_key").values_list("client_key", "total"))
    assert after == before
    assert PosDay.objects.count() == 4


# (minutes before loading, method, total, cash given, change, [(product slug, quantity)])
OWNER_SALES = [
    (150, "cash", 77000, 100000, 23000, [("abon-ikan-tongkol-250-g", 2)]),
    (
        115,
        "qris",
        105500,
        None,
        None,
        [("abon-ikan-tongkol-pedas-100-g", 1), ("sambal-roa-extra-pedas-150-g", 1)],
    ),
    (80, "transfer", 54500, None, None, [("abon-ikan-tongkol-original-100-g", 1)]),
    (45, "cash", 67500, 67500, 0, [("keripik-tempe-original-200-g", 3)]),
    (
        15,
        "cash",
        98500,
        100000,
        1500,
        # The lines in the products' order (pk), as the service writes them.
        [("abon-ikan-tongkol-pedas-100-g", 1), ("abon-ikan-tongkol-250-g", 1)],
    ),
]


def test_the_demo_owners_booth_has_sales_from_the_day_it_was_loaded(loaded_between):
    before, after = loaded_between
    owner = User.objects.get(phone=normalize_whatsapp(OWNER_PHONE))
    shop = owner.exhibitor_memberships.get().exhibitor
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2027")
    assert shop.name == "Abon Pak Saufi"
    assert shop.participations.get(expo=expo).booth.code == "A-25"
    # The expo's days are still to come: the sales are from the day of loading.
    assert expo.start_date > timezone.localdate(after, expo.tzinfo)

    sales = list(PosSale.objects.filter(exhibitor=shop).order_by("sold_at"))

    assert [
        (s.payment_method, s.total, s.cash_given, s.change, s.status, s.staff) for s in sales
    ] == [
        (m, total, given, change, "completed", owner)
        for _, m, total, given, change, _ in OWNER_SALES
    ]
    assert [s.client_key for s in sales] == [f"{POS_OWNER_KEY_PREFIX}{n:03d}" for n in range(5)]
    assert {s.expo for s in sales} == {expo}
    assert [[(line.product.slug, line.quantity) for line in s.lines.all()] for s in sales] == [
        lines for *_, lines in OWNER_SALES
    ]
    for sale, (minutes, *_) in zip(sales, OWNER_SALES, strict=True):
        ago = datetime.timedelta(minutes=minutes)
        assert before - ago <= sale.sold_at <= after - ago
        assert sale.received_at == sale.sold_at
    assert AuditEntry.objects.filter(action="pos.sale.record", exhibitor=shop).count() == 5
    # Through the till's service: the stock dropped by what was sold (planned stock,
    # less the demo orders, less these sales), and nothing sold out.
    assert dict(Product.objects.filter(exhibitor=shop).values_list("slug", "stock")) == {
        "abon-ikan-tongkol-250-g": 76,
        "abon-ikan-tongkol-original-100-g": 55,
        "abon-ikan-tongkol-pedas-100-g": 48,
        "keripik-tempe-original-200-g": 18,
        "sambal-roa-extra-pedas-150-g": 26,
    }
    # The day (or the two days, when loaded just after midnight) is open for them to close.
    days = sorted({timezone.localdate(s.sold_at, expo.tzinfo) for s in sales})
    summaries = [pos_day_summary(exhibitor=shop, expo=expo, date=d) for d in days]
    assert sum(x["count"] for x in summaries) == 5
    assert sum(x["total"] for x in summaries) == 403000
    assert sum(x["cash_expected"] for x in summaries) == 77000 + 67500 + 98500
    assert sum(x["by_method"]["qris"]["total"] for x in summaries) == 105500
    assert sum(x["by_method"]["transfer"]["total"] for x in summaries) == 54500
    assert all(x["closed"] is None for x in summaries)
    assert PosDay.objects.filter(exhibitor=shop).count() == 0


def test_the_demo_owner_sees_the_sales_on_the_closing_page(loaded_between, client):
    owner = User.objects.get(phone=normalize_whatsapp(OWNER_PHONE))
    shop = owner.exhibitor_memberships.get().exhibitor
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2027")
    last = PosSale.objects.filter(exhibitor=shop).latest("sold_at")
    day = timezone.localdate(last.sold_at, expo.tzinfo)
    client.force_login(owner)

    response = client.get(
        reverse("dashboard:pos_day", args=[shop.slug, expo.slug]) + f"?tanggal={day}"
    )

    assert response.status_code == 200
    shown = response.context["sales"]
    assert last in shown
    assert response.context["summary"]["count"] == len(shown) >= 1
    assert response.context["channels"]["venue"] == 403000
