"""The demo's booth till: 2021 sales at four venue stands on both days, an offline
queue synced twice with a sold-out product flagged, and the 24th closed everywhere."""

import datetime

import pytest

from gelar.demo.services import POS_KEY_PREFIX, demo_load
from gelar.events.models import Expo
from gelar.pos.models import PosDay, PosSale, PosSaleLine
from gelar.pos.services import sales_by_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return demo_load(scale=1)


def test_venue_stands_have_booth_sales_by_every_method(demo):
    expo = Expo.objects.get(slug="pekalongan-hybrid-expo-2021")
    sales = PosSale.objects.filter(expo=expo)
    assert sales.count() == 12
    assert sales.values("exhibitor").distinct().count() == 4
    assert set(sales.values_list("payment_method", flat=True)) == {"cash", "qris", "transfer"}
    assert all(s.exhibitor.participations.get(expo=expo).mode == "venue" for s in sales)
    assert all(s.client_key.startswith(POS_KEY_PREFIX) for s in sales)
    assert sales.filter(offline=True).count() == 2
    assert sales_by_channel(expo=expo)["venue"] == sum(sales.values_list("total", flat=True))


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
