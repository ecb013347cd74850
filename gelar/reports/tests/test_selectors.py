"""The report's figures against the hand-computed ones of the fixture (fixtures.py)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _

from gelar.catalog.models import Product
from gelar.events.models import Expo
from gelar.exhibitors.models import ExhibitorDocument, Participation
from gelar.live.stats import session_stats
from gelar.orders.models import Order
from gelar.pos.models import PosSale
from gelar.reports import selectors
from gelar.reports.models import Inquiry, Outcome, Visit
from gelar.reports.selectors import (
    exhibitor_report,
    expo_report,
    percent,
    previous_participation,
)
from gelar.reports.tests.fixtures import (
    EXPECTED,
    NOW,
    _order,
    _sale,
    _ticket,
    busy_expo,
    report_fixture,
    when,
)
from gelar.testing import (
    WIB,
    at,
    build_expo,
    make_exhibitor,
    make_expo,
    make_organizer,
    make_participation,
)
from gelar.tickets.models import Invitation

pytestmark = pytest.mark.django_db

EXPO_ROW_FIELDS = ["online", "venue", "omzet", "orders", "items"]


@pytest.fixture
def world():
    return report_fixture()


@pytest.fixture
def report(world):
    return expo_report(expo=world["expo"], now=NOW)


def without(row: dict, *keys) -> dict:
    return {key: value for key, value in row.items() if key not in keys}


def test_percent_rounds_half_up_to_one_decimal():
    assert percent(625, 10000) == Decimal("6.3")  # 6.25: half up, not to even
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(-1, 8) == Decimal("-12.5")
    assert percent(-1, 16) == Decimal("-6.3")  # -6.25: away from zero
    assert percent(0, 5) == Decimal("0.0")
    assert percent(5, 0) is None
    assert percent(None, 5) is None
    assert str(percent(1, 4)) == "25.0"


def test_header_planned_and_visitors(world, report):
    assert report["expo"] == world["expo"]
    assert report["generated_at"] == NOW
    assert report["time_zone"] == "Asia/Jakarta"
    assert report["planned"] == EXPECTED["planned"] == {"online": 70, "venue": 30}
    assert report["visitors"] == EXPECTED["visitors"]


def test_channels_retail_bulk_and_self_reported(report):
    assert [row["label"] for row in report["channels"]] == [_("Online"), _("At the venue")]
    assert [without(row, "label") for row in report["channels"]] == EXPECTED["channels"]
    for key in ("retail", "bulk", "self_reported"):
        assert report[key] == EXPECTED[key]


def test_exhibitors_categories_and_regions(report):
    for key in ("exhibitors", "by_category", "by_region"):
        assert report[key] == EXPECTED[key]


def test_by_exhibitor_rows(world, report):
    rows = report["by_exhibitor"]
    assert [(row["slug"], *[row[f] for f in EXPO_ROW_FIELDS]) for row in rows] == EXPECTED[
        "by_exhibitor_omzet"
    ]
    a = rows[0]
    assert a["exhibitor"] == world["exhibitors"]["A"]
    assert a["name"] == "Batik Sekar Jagad"
    assert a["previous_expo"] == world["earlier"]
    for row in rows:
        expected = dict(EXPECTED["by_exhibitor"][row["slug"]])
        slug = expected.pop("previous_expo")
        assert (row["previous_expo"].slug if row["previous_expo"] else None) == slug, row["slug"]
        assert without(row, "exhibitor", "name", "slug", "previous_expo", *EXPO_ROW_FIELDS) == (
            expected
        ), row["slug"]


def test_by_day_is_in_the_expo_zone_and_zero_filled(report):
    # O2 was paid on the 25th at 06:30 WIB, the 24th in UTC: it is on the 25th. After the
    # expo (24-25) only the days with a figure: the 27th (O11), not the empty 26th.
    assert report["by_day"] == EXPECTED["by_day"]


def test_by_hour_has_24_hours_in_the_expo_zone(report):
    hours = {row["hour"]: row for row in report["by_hour"] if row["omzet"]}
    assert [row["hour"] for row in report["by_hour"]] == list(range(24))
    assert {
        hour: (row["online"], row["venue"], row["omzet"], row["orders"])
        for hour, row in hours.items()
    } == {
        6: (100000, 0, 100000, 1),
        9: (330000, 50000, 380000, 2),
        10: (300000, 100000, 400000, 2),
        11: (25000, 0, 25000, 1),
        13: (0, 150000, 150000, 1),
        14: (150000, 0, 150000, 1),
        15: (0, 180000, 180000, 1),
        23: (200000, 0, 200000, 1),  # O3 at 23:30 WIB (16:30 UTC)
    }
    assert report["by_hour"] == EXPECTED["by_hour"]


def test_top_products(world, report):
    products = world["products"]
    assert [row["product_id"] for row in report["top_products"]] == [
        products["kemeja"].pk,
        products["selendang"].pk,
        products["kopi"].pk,
        products["kain"].pk,
        products["amplang"].pk,
    ]
    assert [without(row, "product_id") for row in report["top_products"]] == EXPECTED[
        "top_products"
    ]


def test_top_products_keeps_ten_by_omzet_then_name(world):
    expo, a = world["expo"], world["exhibitors"]["A"]
    owner = world["users"]["owner"]
    # Eleven more products of A, each sold once at the booth for 10,000: with the five
    # products above, the list stops at ten, the ties among the cheap ones by name.
    for letter in "KJIHGFEDCBA":
        product = Product.objects.create(
            exhibitor=a,
            name=f"Gantungan {letter}",
            slug=f"gantungan-{letter.lower()}",
            price=10000,
            stock=5,
        )
        sale = PosSale.objects.create(
            exhibitor=a,
            expo=expo,
            number=f"G-{letter}",
            client_key=f"g-{letter}",
            sold_at=at(25, 16),
            staff=owner,
            payment_method="cash",
            subtotal=10000,
            total=10000,
        )
        sale.lines.create(
            product=product,
            product_name=product.name,
            unit_price=10000,
            quantity=1,
            line_total=10000,
        )
    names = [row["name"] for row in expo_report(expo=expo, now=NOW)["top_products"]]
    assert names == [
        "Kemeja Batik Tulis",
        "Selendang Sutra",
        "Kopi Robusta 250 g",
        "Kain Batik Tasik",
        "Amplang Tenggiri",
        "Gantungan A",
        "Gantungan B",
        "Gantungan C",
        "Gantungan D",
        "Gantungan E",
    ]


def test_live_sessions(world, report):
    assert [
        {
            **without(row, "session", "pins"),
            "pins": [
                (p["product"].name, p["clicks"], p["add_to_carts"], p["orders"], p["omzet"])
                for p in row["pins"]
            ],
        }
        for row in report["live"]
    ] == EXPECTED["live"]
    assert [row["session"] for row in report["live"]] == [
        world["sessions"]["promosi"],
        world["sessions"]["talkshow"],
    ]
    # The same figures as the host console's (live.stats), session by session.
    for row in report["live"]:
        stats = session_stats(session=row["session"])
        assert row["pins"] == stats["pins"]
        for key in ("peak_viewers", "average_viewers", "clicks", "add_to_carts", "orders", "omzet"):
            assert row[key] == stats[key], key


def test_naik_kelas(report):
    assert report["naik_kelas"] == EXPECTED["naik_kelas"]


def test_growth_median_of_an_odd_count_and_of_halves(world):
    # C now reports a turnover since the expo: growths 25.0, -10.0 and 8,100,000 vs
    # 8,000,000 = 1.25 % -> 1.3; the median is the middle one.
    Outcome.objects.filter(expo=world["expo"], exhibitor=world["exhibitors"]["C"]).update(
        turnover_after=8100000
    )
    report = expo_report(expo=world["expo"], now=NOW)
    assert report["naik_kelas"]["growth_median"] == Decimal("1.3")
    assert report["naik_kelas"]["grew"] == 2
    # B alone with A: (25.0 + 0.5) / 2 = 12.75 -> 12.8 (half up).
    Outcome.objects.filter(expo=world["expo"], exhibitor=world["exhibitors"]["C"]).delete()
    Outcome.objects.filter(expo=world["expo"], exhibitor=world["exhibitors"]["B"]).update(
        turnover_after=2010000
    )
    report = expo_report(expo=world["expo"], now=NOW)
    assert report["naik_kelas"]["growth_median"] == Decimal("12.8")


def test_exhibitor_report_of_batik_sekar_jagad(world):
    a = world["exhibitors"]["A"]
    mine = exhibitor_report(expo=world["expo"], exhibitor=a, now=NOW)
    expected = EXPECTED["exhibitor_A"]
    assert mine["expo"] == world["expo"]
    assert mine["generated_at"] == NOW
    assert mine["row"] == expo_report(expo=world["expo"], now=NOW)["by_exhibitor"][0]
    assert (mine["row"]["omzet"], mine["row"]["growth"]) == (960000, Decimal("25.0"))
    assert [without(row, "label") for row in mine["channels"]] == expected["channels"]
    assert mine["by_day"] == expected["by_day"]
    assert {row["hour"]: row["omzet"] for row in mine["by_hour"] if row["omzet"]} == {
        9: 330000,
        10: 300000,
        13: 150000,
        15: 180000,
    }
    assert mine["by_hour"] == expected["by_hour"]
    assert [(row["name"], row["quantity"], row["omzet"]) for row in mine["top_products"]] == [
        ("Kemeja Batik Tulis", 4, 600000),
        ("Selendang Sutra", 4, 360000),
    ]
    assert mine["orders_by_status"] == {"awaiting_payment": 1, "paid": 2}
    assert mine["inquiries"] == expected["inquiries"]
    assert mine["outcome"] == world["outcomes"]["A"]
    assert [
        (
            row["session"].title,
            row["product"].name,
            row["pinned_at"],
            row["clicks"],
            row["orders"],
            row["omzet"],
        )
        for row in mine["live"]
    ] == expected["live"]


def test_exhibitor_report_of_others_hold_only_their_own(world):
    b = exhibitor_report(expo=world["expo"], exhibitor=world["exhibitors"]["B"], now=NOW)
    assert [
        (row["code"], row["orders"], row["items"], row["omzet"], row["share"])
        for row in b["channels"]
    ] == [("online", 2, 5, 125000, Decimal("100.0")), ("venue", 0, 0, 0, Decimal("0.0"))]
    # The 27th (O11) adds a day; the cancelled O5 is only in the status counts.
    assert [(row["day"].day, row["omzet"], row["visitors"]) for row in b["by_day"]] == [
        (24, 0, 0),
        (25, 100000, 1),
        (27, 25000, 0),
    ]
    assert b["orders_by_status"] == {"cancelled": 1, "completed": 1, "paid": 1}
    # Their pin P2 brought one order, cancelled since: no order, no omzet.
    assert [
        (row["product"].name, row["pinned_at"], row["clicks"], row["orders"], row["omzet"])
        for row in b["live"]
    ] == [("Amplang Tenggiri", at(24, 10, 20), 4, 0, 0)]
    f = exhibitor_report(expo=world["expo"], exhibitor=world["exhibitors"]["F"], now=NOW)
    assert [(row["omzet"], row["share"]) for row in f["channels"]] == [(0, None), (0, None)]
    assert f["top_products"] == []
    assert f["outcome"] is None
    assert f["row"]["self_reported"] is None
    assert f["inquiries"]["total"] == 0


def test_previous_participation(world):
    ex = world["exhibitors"]
    assert previous_participation(expo=world["expo"], exhibitor=ex["A"]) == world["earlier"]
    assert previous_participation(expo=world["earlier"], exhibitor=ex["A"]) == world["oldest"]
    assert previous_participation(expo=world["oldest"], exhibitor=ex["A"]) is None
    assert previous_participation(expo=world["expo"], exhibitor=ex["B"]) == world["earlier"]
    assert previous_participation(expo=world["expo"], exhibitor=ex["D"]) is None  # refused
    assert previous_participation(expo=world["expo"], exhibitor=ex["C"]) is None


def test_an_empty_expo_has_zeros_not_errors():
    expo = build_expo().expo
    report = expo_report(expo=expo, now=at(24, 12))
    assert [(row["omzet"], row["share"]) for row in report["channels"]] == [(0, None), (0, None)]
    assert report["retail"] == {"orders": 0, "items": 0, "omzet": 0}
    assert [row["day"] for row in report["by_day"]] == [
        datetime.date(2021, 11, 24),
        datetime.date(2021, 11, 25),
    ]
    assert report["top_products"] == [] and report["live"] == []
    assert report["visitors"]["peak_viewers_at"] is None
    assert report["naik_kelas"]["growth_median"] is None
    assert [row["share"] for row in report["by_category"]] == [None, None]


def test_a_sale_before_the_first_day_adds_its_day_alone(world):
    Order.objects.filter(pk=world["orders"]["O1"].pk).update(
        paid_at=datetime.datetime(2021, 11, 22, 20, tzinfo=WIB)
    )
    days = expo_report(expo=world["expo"], now=NOW)["by_day"]
    # The 22nd has a sale; the 23rd and the 26th, outside the expo, have nothing.
    assert [(row["day"].day, row["online"]) for row in days] == [
        (22, 300000),
        (24, 200000),
        (25, 580000),
        (27, 25000),
    ]


def test_another_zone_moves_the_days_and_hours(world):
    # The same instants seen from WIT (UTC+9): O3 (24th 23:30 WIB) is the 25th 01:30.
    Expo.objects.filter(pk=world["expo"].pk).update(time_zone="Asia/Jayapura")
    expo = Expo.objects.get(pk=world["expo"].pk)
    report = expo_report(expo=expo, now=NOW)
    assert [(row["day"].day, row["online"], row["venue"]) for row in report["by_day"]] == [
        (24, 300000, 250000),
        (25, 780000, 230000),
        (27, 25000, 0),
    ]
    hours = {row["hour"]: row["omzet"] for row in report["by_hour"] if row["omzet"]}
    assert hours == {
        1: 200000,
        8: 100000,
        11: 380000,
        12: 400000,
        13: 25000,
        15: 150000,
        16: 150000,
        17: 180000,
    }


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


def test_query_count_does_not_grow_with_exhibitors():
    small, large = busy_expo(2), busy_expo(6, suffix="-b")
    small_queries = _queries(lambda: expo_report(expo=small.expo, now=NOW))
    large_queries = _queries(lambda: expo_report(expo=large.expo, now=NOW))
    assert small_queries == large_queries
    assert len(expo_report(expo=large.expo, now=NOW)["by_exhibitor"]) == 8
    assert _queries(
        lambda: exhibitor_report(expo=small.expo, exhibitor=small.exhibitors[0], now=NOW)
    ) == _queries(lambda: exhibitor_report(expo=large.expo, exhibitor=large.exhibitors[5], now=NOW))


# --- Review of issue 8: the rows add up, one snapshot, previous expo, licences, days ---

SUMMED = ("online", "venue", "omzet", "orders", "items")


def test_an_exhibitor_withdrawn_after_selling_keeps_a_row_and_the_sums_add_up(world):
    expo, ex = world["expo"], world["exhibitors"]
    # C sold 200,000 online, had an inquiry (lost) and reported 300,000, then withdrew.
    Participation.objects.filter(expo=expo, exhibitor=ex["C"]).update(
        status=Participation.Status.WITHDRAWN
    )
    # G never took part, yet a buyer's inquiry to it was won (1,000,000).
    g = make_exhibitor(name="Gerabah Kasongan", slug="gerabah-kasongan", category=ex["F"].category)
    Inquiry.objects.create(
        expo=expo,
        exhibitor=g,
        buyer_name="Toko Gerabah",
        buyer_whatsapp="6281300000001",
        quantity="50 pcs",
        message="Harga grosir?",
        status=Inquiry.Status.WON,
        quoted_value=1200000,
        won_value=1000000,
    )
    report = expo_report(expo=expo, now=NOW)
    rows = report["by_exhibitor"]
    assert [(row["slug"], row["status"], row["mode"], row["omzet"]) for row in rows] == [
        ("batik-sekar-jagad", "accepted", "venue", 960000),
        ("kopi-petungkriyono", "accepted", "venue", 300000),
        ("batik-tasik-indah", "withdrawn", "online", 200000),
        ("amplang-banjarbaru", "accepted", "online", 125000),
        ("anyaman-pandan-ayu", "accepted", "online", 0),
        ("gerabah-kasongan", "", "", 0),
    ]
    c, g_row = rows[2], rows[5]
    assert (c["inquiries"], c["bulk_won"], c["self_reported"], c["new_channels"]) == (
        1,
        0,
        300000,
        ["social"],
    )
    assert (g_row["booth"], g_row["inquiries"], g_row["bulk_won"], g_row["self_reported"]) == (
        "",
        1,
        1000000,
        None,
    )
    # Every figure of the rows adds up to the report's totals.
    online, venue = report["channels"]
    assert [sum(row[key] for row in rows) for key in SUMMED] == [
        1105000,
        480000,
        1585000,
        10,
        20,
    ]
    assert (online["omzet"], venue["omzet"], report["retail"]) == (
        1105000,
        480000,
        {"orders": 10, "items": 20, "omzet": 1585000},
    )
    assert sum(row["inquiries"] for row in rows) == report["bulk"]["inquiries"] == 8
    assert sum(row["bulk_won"] for row in rows) == report["bulk"]["won_value"] == 6500000
    assert sum(row["self_reported"] or 0 for row in rows) == 1250000
    assert report["self_reported"]["total"] == 1250000
    # The roll-ups come from the same rows.
    assert [
        (group["slug"], group["exhibitors"], group["omzet"], group["orders"], group["share"])
        for group in report["by_category"]
    ] == [
        ("batik-fashion", 2, 1160000, 5, Decimal("73.2")),
        ("makanan", 2, 425000, 5, Decimal("26.8")),
        ("kerajinan", 2, 0, 0, Decimal("0.0")),
    ]
    assert [
        (group["code"], group["exhibitors"], group["omzet"], group["orders"])
        for group in report["by_region"]
    ] == [("33", 4, 1260000, 7), ("32", 1, 200000, 1), ("63", 1, 125000, 2)]
    # C's new channel still counts; naik kelas is what it was.
    assert report["naik_kelas"] == EXPECTED["naik_kelas"]
    # The exhibitors taking part: the accepted ones only (C's Jawa Barat and Kain go).
    assert report["exhibitors"] == {
        "total": 4,
        "venue": 2,
        "online": 2,
        "provinces": 2,
        "products": 5,
    }
    # Their own report has the same row.
    mine = exhibitor_report(expo=expo, exhibitor=ex["C"], now=NOW)
    assert mine["row"] == c
    assert mine["row"]["status"] == "withdrawn"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reports_read_in_one_snapshot_on_postgresql_and_in_autocommit_on_sqlite(monkeypatch):
    world = report_fixture()
    seen = []
    original = selectors._sales

    def sales_and_the_transaction(expo, exhibitor=None):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('transaction_isolation'), "
                    "current_setting('transaction_read_only')"
                )
                seen.append((connection.in_atomic_block, *cursor.fetchone()))
        else:
            seen.append((connection.in_atomic_block,))
        return original(expo, exhibitor)

    monkeypatch.setattr(selectors, "_sales", sales_and_the_transaction)
    expo_report(expo=world["expo"], now=NOW)
    exhibitor_report(expo=world["expo"], exhibitor=world["exhibitors"]["A"], now=NOW)
    if connection.vendor == "postgresql":
        assert seen == [(True, "repeatable read", "on")] * 2
    else:
        # SQLite's transactions are IMMEDIATE: one would hold the write lock (tills,
        # checkouts, beacons) for the whole report, so it reads in autocommit.
        assert seen == [(False,)] * 2
    assert not connection.in_atomic_block


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite reads the report in autocommit (see gelar/reports/selectors.py)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sale_committed_while_the_report_runs_is_in_no_figure(monkeypatch):
    world = report_fixture()
    expo, a = world["expo"], world["exhibitors"]["A"]
    kemeja, p1 = world["products"]["kemeja"], world["pins"]["P1"]
    errors = []

    def buy_from_the_pin_elsewhere():
        try:
            with transaction.atomic():
                _order(expo, a, Order.Status.PAID, [(kemeja, 1, p1)], paid_at=at(25, 10, 30))
        except Exception as error:  # noqa: BLE001 -- reported by the assertion below
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    original = selectors._visitors

    def a_sale_between_two_queries(expo, now):
        # After the sales were read, before the live sessions are.
        writer = threading.Thread(target=buy_from_the_pin_elsewhere)
        writer.start()
        writer.join(30)
        return original(expo, now)

    monkeypatch.setattr(selectors, "_visitors", a_sale_between_two_queries)
    report = expo_report(expo=expo, now=NOW)
    assert errors == []
    assert report["channels"][0]["omzet"] == 1105000
    assert (report["live"][0]["orders"], report["live"][0]["omzet"]) == (1, 300000)
    monkeypatch.setattr(selectors, "_visitors", original)
    later = expo_report(expo=expo, now=NOW)
    assert later["channels"][0]["omzet"] == 1255000
    assert (later["live"][0]["orders"], later["live"][0]["omzet"]) == (2, 450000)


def test_the_previous_expo_is_the_same_organizers_and_never_a_draft(world):
    expo, ex = world["expo"], world["exhibitors"]
    a, d, kemeja = ex["A"], ex["D"], world["products"]["kemeja"]
    # Another organizer's expo in June 2021, where A sold and reported more licences.
    elsewhere = make_expo(
        organizer=make_organizer(name="Dinas Koperasi DKI Jakarta", short_name="DKI"),
        name="Jakarta Craft Week 2021",
        start_date=datetime.date(2021, 6, 10),
        end_date=datetime.date(2021, 6, 12),
        status="closed",
    )
    make_participation(expo=elsewhere, exhibitor=a)
    _order(elsewhere, a, Order.Status.PAID, [(kemeja, 2, None)], paid_at=when(2021, 6, 10, 10))
    Outcome.objects.create(
        expo=elsewhere,
        exhibitor=a,
        sales_whatsapp=900000,
        turnover_before=4000000,
        licences=["nib", "halal", "pirt"],
        reported_at=when(2021, 6, 20, 10),
    )
    # The same organizer's draft of May 2021 (never held) and a published one of August.
    draft = make_expo(
        organizer=world["organizer"],
        start_date=datetime.date(2021, 5, 1),
        end_date=datetime.date(2021, 5, 2),
        status="draft",
    )
    make_participation(expo=draft, exhibitor=a)
    published = make_expo(
        organizer=world["organizer"],
        start_date=datetime.date(2021, 8, 1),
        end_date=datetime.date(2021, 8, 2),
        status="published",
    )
    make_participation(expo=published, exhibitor=d)

    assert previous_participation(expo=expo, exhibitor=a) == world["earlier"]
    assert previous_participation(expo=expo, exhibitor=d) == published
    rows = {row["slug"]: row for row in expo_report(expo=expo, now=NOW)["by_exhibitor"]}
    a_row, d_row = rows["batik-sekar-jagad"], rows["kopi-petungkriyono"]
    assert (
        a_row["previous_expo"],
        a_row["previous_omzet"],
        a_row["vs_previous"],
        a_row["licences_new"],
    ) == (world["earlier"], 550000, Decimal("220.0"), ["halal", "pirt"])
    # D sold nothing there: no growth against 0.
    assert (d_row["previous_expo"], d_row["previous_omzet"], d_row["vs_previous"]) == (
        published,
        0,
        None,
    )


def _document(exhibitor, kind, uploaded_at):
    document = ExhibitorDocument.objects.create(exhibitor=exhibitor, kind=kind, number="1")
    # uploaded_at is auto_now: set the moment afterwards.
    ExhibitorDocument.objects.filter(pk=document.pk).update(uploaded_at=uploaded_at)


def test_new_licences_come_from_the_documents_when_a_report_is_missing(world):
    expo, earlier, ex = world["expo"], world["earlier"], world["exhibitors"]
    a, b, d = ex["A"], ex["B"], ex["D"]
    # A reported in 2021 (NIB, halal, P-IRT) but not in 2020 (25-26 Nov 2020, WIB):
    # what A held then is what its documents showed by the end of the 26th, WIB.
    Outcome.objects.filter(expo=earlier, exhibitor=a).delete()
    _document(a, "nib", when(2019, 6, 1, 10))
    _document(a, "halal", when(2020, 11, 26, 23, 30))  # the last evening: held
    _document(a, "pirt", when(2020, 11, 27, 0, 30))  # after the expo: new
    # B reported in 2020 (NIB) but not in 2021: what B holds now is on file.
    Outcome.objects.filter(expo=expo, exhibitor=b).delete()
    _document(b, "nib", when(2019, 6, 1, 10))
    _document(b, "pirt", when(2021, 2, 1, 10))
    _document(b, "npwp", when(2021, 2, 1, 10))  # a tax number, not a licence
    # D has no previous expo: nothing to compare with.
    _document(d, "halal", when(2021, 3, 1, 10))

    report = expo_report(expo=expo, now=NOW)
    licences = {row["slug"]: row["licences_new"] for row in report["by_exhibitor"]}
    assert licences == {
        "batik-sekar-jagad": ["pirt"],
        "kopi-petungkriyono": [],
        "batik-tasik-indah": [],
        "amplang-banjarbaru": ["pirt"],
        "anyaman-pandan-ayu": [],
    }
    assert report["naik_kelas"]["licences_new"] == 2
    mine = exhibitor_report(expo=expo, exhibitor=b, now=NOW)
    assert mine["row"]["licences_new"] == ["pirt"]


def test_by_day_adds_only_days_with_a_figure_and_every_column_sums_to_the_total(world):
    expo, ex = world["expo"], world["exhibitors"]
    # A visit before the expo, an admission after it, a till sale half a year later.
    Visit.objects.create(
        expo=expo,
        visitor="v5" * 32,
        day=datetime.date(2021, 11, 20),
        first_seen=when(2021, 11, 20, 9),
    )
    guest = Invitation.objects.create(expo=expo, name="Tamu Dinas", status="accepted")
    _ticket(expo, invitation=guest, admitted_at=when(2021, 11, 30, 10))
    _sale(
        expo,
        ex["D"],
        world["users"]["owner"],
        when(2022, 5, 10, 11),
        [(world["products"]["kopi"], 1, 0)],
    )
    report = expo_report(expo=expo, now=NOW)
    days = report["by_day"]
    assert [
        (row["day"], row["omzet"], row["orders"], row["visitors"], row["admitted"]) for row in days
    ] == [
        (datetime.date(2021, 11, 20), 0, 0, 1, 0),
        (datetime.date(2021, 11, 24), 750000, 4, 2, 3),
        (datetime.date(2021, 11, 25), 810000, 5, 3, 1),
        (datetime.date(2021, 11, 27), 25000, 1, 0, 0),
        (datetime.date(2021, 11, 30), 0, 0, 0, 1),
        (datetime.date(2022, 5, 10), 50000, 1, 0, 0),
    ]
    totals = {key: sum(row[key] for row in days) for key in days[0] if key != "day"}
    assert totals == {
        "online": 1105000,
        "venue": 530000,
        "omzet": 1635000,
        "orders": 11,
        "visitors": 6,
        "admitted": 5,
    }
    online, venue = report["channels"]
    assert (online["omzet"], venue["omzet"]) == (totals["online"], totals["venue"])
    assert (report["retail"]["omzet"], report["retail"]["orders"]) == (1635000, 11)
    assert report["visitors"]["online_visits"] == totals["visitors"]
    assert report["visitors"]["venue_admitted"] == totals["admitted"]
    # The exhibitor's own days: theirs, summing to their row.
    mine = exhibitor_report(expo=expo, exhibitor=ex["D"], now=NOW)
    assert [(row["day"], row["omzet"]) for row in mine["by_day"]] == [
        (datetime.date(2021, 11, 24), 100000),
        (datetime.date(2021, 11, 25), 200000),
        (datetime.date(2022, 5, 10), 50000),
    ]
    assert sum(row["omzet"] for row in mine["by_day"]) == mine["row"]["omzet"] == 350000
    a = exhibitor_report(expo=expo, exhibitor=ex["A"], now=NOW)
    assert sum(row["visitors"] for row in a["by_day"]) == a["row"]["booth_visits"] == 3


def test_the_fixtures_days_sum_to_the_totals(report):
    days = report["by_day"]
    assert sum(row["online"] for row in days) == report["channels"][0]["omzet"]
    assert sum(row["venue"] for row in days) == report["channels"][1]["omzet"]
    assert sum(row["omzet"] for row in days) == report["retail"]["omzet"]
    assert sum(row["orders"] for row in days) == report["retail"]["orders"]
    assert sum(row["visitors"] for row in days) == report["visitors"]["online_visits"]
    assert sum(row["admitted"] for row in days) == report["visitors"]["venue_admitted"]
