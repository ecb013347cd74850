import datetime

import pytest
from django.utils import translation

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor
from gelar.orders.models import Order
from gelar.orders.services import BuyerInfo, DeliveryInfo, LineRequest, checkout_submit
from gelar.pos.models import PosDay, PosSale
from gelar.pos.selectors import pos_booth
from gelar.pos.services import (
    PosError,
    label_code,
    parse_label_code,
    pos_catalogue,
    pos_day_close,
    pos_day_summary,
    pos_sale_record,
    pos_sale_resolve,
    pos_sync,
    sales_by_channel,
)
from gelar.testing import (
    WIB,
    at,
    build_expo,
    make_exhibitor_member,
    make_payment_settings,
    make_product,
    make_user,
)

pytestmark = pytest.mark.django_db

NOW = at(24, 10)


@pytest.fixture(autouse=True)
def english():
    """Flag reasons are stored in the language of the request; these tests read English."""
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    return build_expo()


@pytest.fixture
def staff(world):
    user = make_user(email="kasir@batik.test")
    make_exhibitor_member(exhibitor=world.batik, user=user, role="staff")
    return user


def sell(world, staff, *, key="k1", lines=None, method="cash", cash=200000, **kwargs):
    return pos_sale_record(
        exhibitor=kwargs.pop("exhibitor", world.batik),
        expo=world.expo,
        staff=staff,
        client_key=key,
        lines=lines if lines is not None else [(world.shirt.pk, 1)],
        payment_method=method,
        cash_given=cash,
        now=kwargs.pop("now", NOW),
        **kwargs,
    )


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def refused(call) -> str:
    with pytest.raises(PosError) as caught:
        call()
    return caught.value.code


# --- labels and catalogue -------------------------------------------------------------


def test_label_code_round_trips(world):
    assert label_code(world.shirt) == f"GLRP.{world.shirt.pk}"
    assert parse_label_code(f"GLRP.{world.shirt.pk}") == world.shirt.pk
    assert parse_label_code(f"  glrp.{world.shirt.pk}\n") == world.shirt.pk
    assert parse_label_code("GLRP.") is None
    assert parse_label_code("GLRP.0") is None
    assert parse_label_code("GLRP.-3") is None
    assert parse_label_code("8991234567890") is None
    assert parse_label_code("GLRP.99999999999999999999") is None
    assert parse_label_code(None) is None


def test_catalogue_lists_the_active_products_of_the_booth(world):
    rows = pos_catalogue(exhibitor=world.batik, expo=world.expo)

    assert [row["name"] for row in rows] == [
        "Kemeja Batik Tulis Sekar Jagad",
        "Selendang Sutra Pesisiran",
    ]
    assert rows[0] == {
        "id": world.shirt.pk,
        "name": "Kemeja Batik Tulis Sekar Jagad",
        "price": 150000,
        "stock": 3,
        "sku": "",
        "label_code": f"GLRP.{world.shirt.pk}",
        "image": "/media/products/kemeja-batik-tulis-0.jpg",
    }
    assert rows[1]["stock"] == 0


# --- an online sale ---------------------------------------------------------------------


def test_cash_sale_takes_the_stock_and_gives_change(world, staff):
    sale = sell(world, staff, lines=[(world.shirt.pk, 2)], cash=400000, expected_total=300000)

    assert sale.number == f"K{world.batik.pk}-{sale.pk:06d}"
    assert sale.status == "completed"
    assert sale.flag_reason == ""
    assert (sale.subtotal, sale.total, sale.cash_given, sale.change) == (
        300000,
        300000,
        400000,
        100000,
    )
    assert sale.sold_at == NOW
    assert sale.offline is False
    assert len(sale.receipt_token) >= 20
    assert [
        (line.product_name, line.unit_price, line.quantity, line.line_total, line.short)
        for line in sale.lines.all()
    ] == [("Kemeja Batik Tulis Sekar Jagad", 150000, 2, 300000, 0)]
    assert stock(world.shirt) == 1
    entry = AuditEntry.objects.get(action="pos.sale.record")
    assert entry.actor == staff
    assert entry.exhibitor == world.batik
    assert entry.organizer == world.expo.organizer
    assert entry.changes["lines"] == [[world.shirt.pk, 2, 150000, 0]]


def test_the_same_product_twice_is_one_line(world, staff):
    sale = sell(world, staff, lines=[(world.shirt.pk, 1), (world.shirt.pk, 1)], cash=300000)

    assert [(line.quantity, line.line_total) for line in sale.lines.all()] == [(2, 300000)]
    assert stock(world.shirt) == 1


def test_qris_and_transfer_need_the_booths_payment_settings(world, staff):
    assert refused(lambda: sell(world, staff, method="qris", cash=None)) == (
        "payment_method_not_accepted"
    )
    make_payment_settings(exhibitor=world.batik, transfer=False)
    sale = sell(world, staff, method="qris", cash=999999)

    assert (sale.payment_method, sale.cash_given, sale.change) == ("qris", None, None)
    assert refused(lambda: sell(world, staff, key="k2", method="transfer")) == (
        "payment_method_not_accepted"
    )
    assert stock(world.shirt) == 2


def test_a_tampered_total_is_refused_online(world, staff):
    code = refused(lambda: sell(world, staff, expected_total=1000))

    assert code == "total_mismatch"
    assert PosSale.objects.count() == 0
    assert stock(world.shirt) == 3


def test_too_little_cash_is_refused_online(world, staff):
    assert refused(lambda: sell(world, staff, cash=100000)) == "cash_insufficient"
    assert refused(lambda: sell(world, staff, cash=None)) == "cash_required"
    assert PosSale.objects.count() == 0
    assert stock(world.shirt) == 3


@pytest.mark.parametrize(
    "lines, code",
    [
        ([], "lines_empty"),
        ([(0, 1)], "product_unknown"),
        ([(-5, 1)], "product_unknown"),
        ([("1", 1)], "product_unknown"),
        ([(999999, 1)], "product_unknown"),
        ([(None, 0)], "product_unknown"),
        ("shirt", "lines_empty"),
        ([(1, 2, 3)], "line_invalid"),
    ],
)
def test_malformed_lines_are_refused(world, staff, lines, code):
    assert refused(lambda: sell(world, staff, lines=lines)) == code
    assert PosSale.objects.count() == 0


@pytest.mark.parametrize("quantity", [0, -1, 101, 2.5, True, "2"])
def test_impossible_quantities_are_refused(world, staff, quantity):
    assert refused(lambda: sell(world, staff, lines=[(world.shirt.pk, quantity)])) == (
        "quantity_invalid"
    )
    assert PosSale.objects.count() == 0
    assert stock(world.shirt) == 3


def test_quantities_of_one_product_add_up_to_at_most_100(world, staff):
    lines = [(world.shirt.pk, 60), (world.shirt.pk, 41)]
    assert refused(lambda: sell(world, staff, lines=lines)) == "quantity_invalid"


def test_another_booths_product_is_unknown_even_offline(world, staff):
    amplang = Product.objects.get(exhibitor=world.amplang)

    for offline in (False, True):
        code = refused(
            lambda offline=offline: sell(world, staff, lines=[(amplang.pk, 1)], offline=offline)
        )
        assert code == "product_unknown"
    assert PosSale.objects.count() == 0
    assert stock(amplang) == 10


def test_bad_payment_method_key_and_amounts_are_refused(world, staff):
    assert refused(lambda: sell(world, staff, method="bitcoin")) == "payment_method_invalid"
    assert refused(lambda: sell(world, staff, key="")) == "client_key_invalid"
    assert refused(lambda: sell(world, staff, key="a b")) == "client_key_invalid"
    assert refused(lambda: sell(world, staff, key="x" * 65)) == "client_key_invalid"
    assert refused(lambda: sell(world, staff, cash=-1)) == "amount_invalid"
    assert refused(lambda: sell(world, staff, cash="200000")) == "amount_invalid"
    assert refused(lambda: sell(world, staff, expected_total=-150000)) == "amount_invalid"
    assert PosSale.objects.count() == 0


def test_an_inactive_product_is_refused_online_and_flagged_offline(world, staff):
    hidden = world.hidden  # 150000, stock 10
    assert refused(lambda: sell(world, staff, lines=[(hidden.pk, 1)])) == "product_unavailable"

    sale = sell(world, staff, lines=[(hidden.pk, 1)], offline=True)

    assert sale.status == "flagged"
    assert sale.flag_reason == "Sarung Lama was no longer for sale."
    assert stock(hidden) == 9


def test_a_draft_expo_has_no_till(world, staff):
    Expo.objects.filter(pk=world.expo.pk).update(status=Expo.Status.DRAFT)
    world.expo.refresh_from_db()
    assert refused(lambda: sell(world, staff)) == "expo_closed"


# --- short stock -------------------------------------------------------------------------


def test_a_sale_beyond_the_stock_is_kept_and_flagged(world, staff):
    sale = sell(world, staff, lines=[(world.shirt.pk, 5)], cash=750000)

    assert sale.status == "flagged"
    assert sale.flag_reason == "Out of stock: Kemeja Batik Tulis Sekar Jagad was short by 2."
    assert [(line.quantity, line.short) for line in sale.lines.all()] == [(5, 2)]
    assert sale.total == 750000
    assert stock(world.shirt) == 0


def test_a_sold_out_product_sold_at_the_booth_is_flagged_and_stays_at_zero(world, staff):
    sale = sell(world, staff, lines=[(world.sold_out.pk, 1), (world.shirt.pk, 1)], cash=300000)

    assert sale.status == "flagged"
    assert [(line.product_id, line.short) for line in sale.lines.all()] == [
        (world.shirt.pk, 0),
        (world.sold_out.pk, 1),
    ]
    assert stock(world.sold_out) == 0
    assert stock(world.shirt) == 2


# --- idempotency ------------------------------------------------------------------------


def test_a_replayed_key_returns_the_stored_sale_and_takes_nothing(world, staff):
    first = sell(world, staff)
    again = sell(world, staff, now=NOW + datetime.timedelta(minutes=3))

    assert again.pk == first.pk
    assert PosSale.objects.count() == 1
    assert stock(world.shirt) == 2
    assert AuditEntry.objects.filter(action="pos.sale.record").count() == 1


def test_a_replayed_key_with_other_contents_is_refused(world, staff):
    sell(world, staff)

    assert refused(lambda: sell(world, staff, lines=[(world.shirt.pk, 2)])) == ("client_key_reused")
    assert stock(world.shirt) == 2


def test_keys_are_per_booth(world, staff):
    make_exhibitor_member(exhibitor=world.amplang, user=staff, role="staff")
    amplang = Product.objects.get(exhibitor=world.amplang)
    sell(world, staff)

    other = pos_sale_record(
        exhibitor=world.amplang,
        expo=world.expo,
        staff=staff,
        client_key="k1",
        lines=[(amplang.pk, 1)],
        payment_method="cash",
        cash_given=25000,
    )

    assert other.exhibitor == world.amplang
    assert PosSale.objects.count() == 2


# --- offline ---------------------------------------------------------------------------


def test_offline_sale_at_old_prices_is_kept_at_the_new_ones_and_flagged(world, staff):
    sold_at = at(24, 9, 30)
    sale = sell(world, staff, offline=True, sold_at=sold_at, expected_total=140000, cash=150000)

    assert sale.status == "flagged"
    assert sale.flag_reason == "The device's total was Rp 140000; the prices make Rp 150000."
    assert (sale.total, sale.cash_given, sale.change) == (150000, 150000, 10000)
    # What the buyer was charged is kept beside the server's total: the change was
    # worked out on it (150000 given - 140000 charged).
    assert (sale.charged_total, sale.charged, sale.charge_difference) == (140000, 140000, -10000)
    assert PosSale.objects.get(pk=sale.pk).charged_total == 140000
    assert AuditEntry.objects.get(action="pos.sale.record").changes["charged_total"] == 140000
    assert sale.sold_at == sold_at
    assert sale.offline is True


def test_a_sale_at_the_servers_prices_was_charged_its_total(world, staff):
    online = sell(world, staff, expected_total=150000)
    without_total = sell(world, staff, key="k2", offline=True)
    make_payment_settings(exhibitor=world.batik)
    qris = sell(
        world, staff, key="k3", method="qris", cash=None, offline=True, expected_total=145000
    )

    assert (online.charged_total, online.charge_difference) == (150000, 0)
    assert (without_total.charged_total, without_total.charge_difference) == (150000, 0)
    assert (qris.total, qris.charged_total, qris.charge_difference) == (150000, 145000, -5000)
    # A sale stored before the charged total was kept counts as charged its total.
    PosSale.objects.filter(pk=online.pk).update(charged_total=None)
    online.refresh_from_db()
    assert (online.charged, online.charge_difference) == (150000, 0)


def test_a_business_without_a_place_in_the_expo_sells_nothing(world, staff):
    tenun = Product.objects.get(exhibitor=world.applicant)
    world.applicant.participations.all().delete()

    code = refused(
        lambda: sell(world, staff, key="nowhere", lines=[(tenun.pk, 1)], exhibitor=world.applicant)
    )
    closing = refused(
        lambda: pos_day_close(
            exhibitor=world.applicant,
            expo=world.expo,
            date=datetime.date(2021, 11, 24),
            actor=staff,
            cash_counted=0,
        )
    )

    assert (code, closing) == ("booth_unknown", "booth_unknown")
    assert (PosSale.objects.count(), PosDay.objects.count()) == (0, 0)
    assert stock(tenun) == 10


def test_offline_cash_short_of_the_total_is_flagged(world, staff):
    sale = sell(world, staff, offline=True, cash=100000)

    assert sale.status == "flagged"
    assert sale.flag_reason == "The cash given (Rp 100000) is less than the total (Rp 150000)."
    assert (sale.cash_given, sale.change) == (100000, 0)


def test_device_time_naive_is_the_expos_zone_and_the_future_is_clamped(world, staff):
    naive = sell(world, staff, offline=True, sold_at=datetime.datetime(2021, 11, 24, 9, 15))
    ahead = sell(world, staff, key="k2", offline=True, sold_at=NOW + datetime.timedelta(hours=2))
    online = sell(world, staff, key="k3", sold_at=at(20, 1))
    reset = sell(
        world, staff, key="k4", offline=True, sold_at=datetime.datetime(1970, 1, 1, tzinfo=WIB)
    )

    assert naive.sold_at == at(24, 9, 15)
    assert ahead.sold_at == NOW
    assert online.sold_at == NOW  # an online sale is timed by the server
    assert reset.sold_at == NOW


def test_sync_records_each_item_and_rejects_the_malformed(world, staff):
    good = {
        "client_key": "dev-1",
        "lines": [{"product_id": world.shirt.pk, "quantity": 1}],
        "payment_method": "cash",
        "cash_given": 200000,
        "total": 150000,
        "sold_at": "2021-11-24T09:05:00+07:00",
    }
    items = [
        good,
        good,
        "nonsense",
        {**good, "client_key": "dev-2", "lines": "all"},
        {**good, "client_key": "dev-3", "lines": [[world.shirt.pk, 1]]},
        {**good, "client_key": "dev-4", "sold_at": "yesterday"},
        {**good, "client_key": "dev-5", "sold_at": 12},
        {**good, "client_key": "dev-6", "lines": [{"product_id": world.shirt.pk, "quantity": -2}]},
        {**good, "client_key": None},
        {**good, "client_key": "dev-7", "payment_method": "qris", "cash_given": None},
        {**good, "client_key": "dev-8", "lines": [{"product_id": world.shirt.pk, "quantity": 3}]},
    ]

    results = pos_sync(exhibitor=world.batik, expo=world.expo, staff=staff, sales=items, now=NOW)

    assert [(r["client_key"], r["status"], r["code"], r["flagged"]) for r in results] == [
        ("dev-1", "recorded", "", False),
        ("dev-1", "duplicate", "", False),
        (None, "rejected", "item_invalid", False),
        ("dev-2", "rejected", "lines_empty", False),
        ("dev-3", "rejected", "line_invalid", False),
        ("dev-4", "rejected", "sold_at_invalid", False),
        ("dev-5", "rejected", "sold_at_invalid", False),
        ("dev-6", "rejected", "quantity_invalid", False),
        (None, "rejected", "client_key_invalid", False),
        ("dev-7", "recorded", "", False),
        ("dev-8", "recorded", "", True),
    ]
    first = PosSale.objects.get(client_key="dev-1")
    assert results[0]["number"] == results[1]["number"] == first.number
    assert results[0]["receipt_token"] == first.receipt_token
    assert first.sold_at == at(24, 9, 5)
    assert first.offline is True
    assert results[1]["reason"] == "Already recorded."
    assert results[10]["reason"] == (
        "The device's total was Rp 150000; the prices make Rp 450000. "
        "Out of stock: Kemeja Batik Tulis Sekar Jagad was short by 2."
    )
    # The server's total beside what the device charged (rejected items have neither).
    assert [(r["total"], r["charged_total"]) for r in results] == [
        (150000, 150000),
        (150000, 150000),
        *[(None, None)] * 7,
        (150000, 150000),
        (450000, 150000),
    ]
    # Offline, a QRIS sale is recorded even where the settings have no QRIS (it was paid).
    assert PosSale.objects.get(client_key="dev-7").payment_method == "qris"
    assert stock(world.shirt) == 0

    again = pos_sync(exhibitor=world.batik, expo=world.expo, staff=staff, sales=items, now=NOW)

    assert [r["status"] for r in again if r["status"] != "rejected"] == ["duplicate"] * 4
    assert PosSale.objects.count() == 3
    assert stock(world.shirt) == 0


def test_sync_refuses_a_batch_that_is_not_a_list_or_too_long(world, staff):
    def sync(sales):
        return lambda: pos_sync(exhibitor=world.batik, expo=world.expo, staff=staff, sales=sales)

    assert refused(sync(None)) == "batch_invalid"
    assert refused(sync({"client_key": "x"})) == "batch_invalid"
    assert refused(sync([{}] * 201)) == "batch_too_large"
    assert pos_sync(exhibitor=world.batik, expo=world.expo, staff=staff, sales=[]) == []


# --- flagged sales -----------------------------------------------------------------------


def test_a_flagged_sale_is_resolved_once(world, staff):
    owner = make_user(email="pemilik@batik.test")
    flagged = sell(world, staff, lines=[(world.shirt.pk, 4)], cash=600000)

    resolved = pos_sale_resolve(sale=flagged, actor=owner, note="  Stok gudang  dipakai ")

    assert resolved.status == "resolved"
    assert resolved.resolved_by == owner
    assert resolved.resolve_note == "Stok gudang dipakai"
    assert resolved.flag_reason == flagged.flag_reason
    entry = AuditEntry.objects.get(action="pos.sale.resolve")
    assert entry.actor == owner
    assert entry.changes == {"status": ["flagged", "resolved"], "note": "Stok gudang dipakai"}
    assert refused(lambda: pos_sale_resolve(sale=flagged, actor=owner, note="")) == "not_flagged"
    scarf = make_product(exhibitor=world.batik, name="Syal Batik", price=50000, stock=5)
    completed = sell(world, staff, key="k2", lines=[(scarf.pk, 1)], cash=50000)
    assert completed.status == "completed"
    assert refused(lambda: pos_sale_resolve(sale=completed, actor=owner, note="")) == (
        "not_flagged"
    )
    assert stock(world.shirt) == 0


# --- the day ------------------------------------------------------------------------------


def day_sales(world, staff):
    make_payment_settings(exhibitor=world.batik)
    sell(world, staff, key="a", cash=200000)  # change 50000
    sell(world, staff, key="b", method="qris", cash=None)
    sell(
        world,
        staff,
        key="c",
        method="transfer",
        cash=None,
        lines=[(world.hidden.pk, 1)],
        offline=True,
    )
    # Synced offline at an old price: the drawer got what the device asked (140000).
    sell(world, staff, key="d", offline=True, expected_total=140000, cash=140000)
    # Another day (in WIB) and another booth do not count.
    sell(world, staff, key="e", offline=True, sold_at=at(23, 23, 59), cash=150000)


def test_day_summary_counts_by_method_in_the_expos_zone(world, staff):
    day_sales(world, staff)

    summary = pos_day_summary(
        exhibitor=world.batik, expo=world.expo, date=datetime.date(2021, 11, 24)
    )

    assert summary["count"] == 4
    assert summary["total"] == 600000
    assert summary["by_method"] == {
        "cash": {"label": "Cash", "count": 2, "total": 300000},
        "qris": {"label": "QRIS", "count": 1, "total": 150000},
        "transfer": {"label": "Bank transfer", "count": 1, "total": 150000},
    }
    assert summary["cash_expected"] == 290000
    assert summary["flagged"] == 2  # c: inactive product; d: old price (e: another day)
    assert summary["closed"] is None


def test_closing_the_day_once(world, staff):
    day_sales(world, staff)
    date = datetime.date(2021, 11, 24)

    day = pos_day_close(
        exhibitor=world.batik,
        expo=world.expo,
        date=date,
        actor=staff,
        cash_counted=285000,
        note="x",
    )

    assert (day.cash_expected, day.cash_counted, day.difference) == (290000, 285000, -5000)
    assert day.closed_by == staff
    assert pos_day_summary(exhibitor=world.batik, expo=world.expo, date=date)["closed"] == day
    entry = AuditEntry.objects.get(action="pos.day.close")
    assert entry.changes == {
        "date": "2021-11-24",
        "cash_expected": 290000,
        "cash_counted": 285000,
        "difference": -5000,
        "sales": 4,
        "total": 600000,
    }
    again = refused(
        lambda: pos_day_close(
            exhibitor=world.batik, expo=world.expo, date=date, actor=staff, cash_counted=290000
        )
    )
    assert again == "day_closed"
    assert PosDay.objects.count() == 1

    late = sell(
        world, staff, key="late", offline=True, sold_at=at(24, 16), lines=[(world.hidden.pk, 1)]
    )
    assert late.flag_reason == (
        "Sarung Lama was no longer for sale. Sold on 2021-11-24, a day already closed."
    )


@pytest.mark.parametrize("counted", [-1, None, "100", 1.5, 10**13])
def test_closing_needs_a_whole_amount(world, staff, counted):
    code = refused(
        lambda: pos_day_close(
            exhibitor=world.batik,
            expo=world.expo,
            date=datetime.date(2021, 11, 24),
            actor=staff,
            cash_counted=counted,
        )
    )
    assert code == "amount_invalid"
    assert PosDay.objects.count() == 0


# --- reports and access ------------------------------------------------------------------


def test_sales_by_channel(world, staff):
    make_payment_settings(exhibitor=world.batik)
    checkout = checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Rina", whatsapp="081234567890"),
        lines=[LineRequest(product_id=world.shirt.pk, quantity=1)],
        idempotency_key="online-1",
        delivery=DeliveryInfo(method="pickup"),
        payment_method="qris",
    )
    unpaid = checkout_submit(
        expo=world.expo,
        buyer=BuyerInfo(name="Budi", whatsapp="081234567891"),
        lines=[LineRequest(product_id=world.shirt.pk, quantity=1)],
        idempotency_key="online-2",
        delivery=DeliveryInfo(method="pickup"),
        payment_method="qris",
    )
    Order.objects.filter(checkout=checkout).update(status="paid", paid_at=NOW)
    sell(world, staff, lines=[(world.shirt.pk, 2)], cash=300000)

    assert sales_by_channel(expo=world.expo) == {"online": 150000, "venue": 300000}
    assert sales_by_channel(expo=world.expo, exhibitor=world.amplang) == {"online": 0, "venue": 0}
    assert unpaid.orders.get().paid_at is None


def test_pos_booth_is_for_the_team_and_a_venue_booth(world, staff):
    owner = make_user(email="pemilik@batik.test")
    make_exhibitor_member(exhibitor=world.batik, user=owner, role="owner")
    outsider = make_user(email="orang@luar.test")
    make_exhibitor_member(exhibitor=world.amplang, user=outsider, role="owner")
    slug, expo_slug = world.batik.slug, world.expo.slug

    assert pos_booth(user=owner, exhibitor_slug=slug, expo_slug=expo_slug) == (
        world.batik,
        world.expo,
    )
    assert pos_booth(user=staff, exhibitor_slug=slug, expo_slug=expo_slug)[0] == world.batik
    with pytest.raises(Exhibitor.DoesNotExist):
        pos_booth(user=outsider, exhibitor_slug=slug, expo_slug=expo_slug)
    with pytest.raises(Expo.DoesNotExist):  # an online-only booth has no till
        pos_booth(user=outsider, exhibitor_slug=world.amplang.slug, expo_slug=expo_slug)
    with pytest.raises(Expo.DoesNotExist):
        pos_booth(user=owner, exhibitor_slug=slug, expo_slug="no-such-expo")


def test_an_offline_cash_sale_without_the_cash_given_adds_what_was_charged_to_the_drawer(
    world, staff
):
    # The till always sends the cash given; an API client may not. The drawer then got
    # what the device asked (140000), not the total at today's prices (150000).
    sell(world, staff, key="a", offline=True, sold_at=at(24, 10), expected_total=140000, cash=None)

    summary = pos_day_summary(
        exhibitor=world.batik, expo=world.expo, date=datetime.date(2021, 11, 24)
    )

    assert (summary["total"], summary["cash_expected"]) == (150000, 140000)
