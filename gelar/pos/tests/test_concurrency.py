"""The booth and the online shop racing for the last units of one product.

Each seller is a thread on its own database connection, lined up by a barrier. Online
checkouts are refused when the stock is gone; booth sales are recorded anyway (the
goods were handed over) and flagged with what the stock could not cover. The stock
never goes below zero and every unit is counted exactly once: taken by an order, taken
by a booth sale, or short on a flagged booth sale.

As in gelar/orders/tests/test_stock_concurrency.py: PostgreSQL runs everything, SQLite
(a file copy of the test database, WAL and IMMEDIATE transactions) all but the run
that shows the race without the lock.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils.translation import gettext as _

from gelar import testing
from gelar.catalog.models import Product
from gelar.events.models import Booth, Expo
from gelar.exhibitors.models import Participation
from gelar.exhibitors.services.participation import booth_assign
from gelar.orders.models import Order
from gelar.orders.services import (
    BuyerInfo,
    DeliveryInfo,
    LineRequest,
    OutOfStock,
    checkout_submit,
)
from gelar.pos.models import PosDay, PosSale, PosSaleLine
from gelar.pos.services import PosError, pos_day_close, pos_sale_record
from gelar.testing import accept_every_payment, at, build_expo, make_exhibitor_member, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to show",
)

STOCK = 5
THREADS = 12
NOW = at(24, 10)
COURIER = DeliveryInfo(
    method="courier", address="Jl. Hayam Wuruk 5", city="Kota Pekalongan", postal_code="51111"
)


@pytest.fixture
def booth():
    world = accept_every_payment(build_expo())
    product = make_product_for(world)
    staff = make_user(email="kasir@batik.test")
    make_exhibitor_member(exhibitor=world.batik, user=staff, role="staff")
    return world, product, staff


def make_product_for(world):
    return testing.make_product(
        exhibitor=world.batik, name="Batik Promo Wali Kota", price=99000, stock=STOCK, images=0
    )


def ring_up(world, product, staff, client_key: str, **kwargs):
    """One unit of the product sold at the booth's till, paid in cash (100000 given)."""
    return pos_sale_record(
        exhibitor=world.batik,
        expo=world.expo,
        staff=staff,
        client_key=client_key,
        lines=[(product.pk, 1)],
        payment_method="cash",
        cash_given=100000,
        **kwargs,
    )


@pytest.fixture
def slow_write(monkeypatch):
    """Widen the window between reading the stock and writing it, as a busy server would."""
    save = Product.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.05)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Product, "save", slow_save)


def in_thread(function):
    result = {}

    def work():
        try:
            result["value"] = function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=60)
    return result["value"]


def counts(product) -> dict:
    """What happened to the product, read on a fresh connection."""

    def read():
        lines = PosSaleLine.objects.filter(product=product)
        return {
            "orders": Order.objects.filter(lines__product=product).count(),
            "sales": lines.count(),
            "booth_taken": sum(q - s for q, s in lines.values_list("quantity", "short")),
            "booth_short": sum(lines.values_list("short", flat=True)),
            "flagged": PosSale.objects.filter(lines__product=product, status="flagged").count(),
            "stock": Product.objects.values_list("stock", flat=True).get(pk=product.pk),
        }

    return in_thread(read)


def sell_or_order(world, product, staff, *, lock: bool = True):
    def act(i: int) -> str:
        if i % 2:
            ring_up(world, product, staff, f"till-{i}", offline=True, lock=lock)
            return "booth sale"
        checkout_submit(
            expo=world.expo,
            buyer=BuyerInfo(name=f"Pembeli {i}", whatsapp=f"0812345{i:05d}"),
            lines=[LineRequest(product_id=product.pk, quantity=1)],
            idempotency_key=f"buyer-{i}",
            delivery=COURIER,
            payment_method="qris",
            now=NOW,
            lock=lock,
        )
        return "ordered"

    return act


def test_booth_and_shop_race_for_the_last_units(booth, slow_write, threads_database):
    world, product, staff = booth
    threads_database()

    results = testing.run_together(
        THREADS, sell_or_order(world, product, staff), refusals=(OutOfStock, PosError)
    )

    found = counts(product)
    # Every handed-over sale is recorded; only online checkouts can be refused.
    assert results.count("booth sale") == THREADS // 2
    assert found["sales"] == THREADS // 2
    assert set(results) <= {"booth sale", "ordered", "out_of_stock"}
    assert found["orders"] == results.count("ordered")
    # Not one unit below zero, each counted once; the shortfall is flagged.
    assert found["stock"] == 0
    assert found["orders"] + found["booth_taken"] == STOCK
    assert found["booth_short"] == THREADS // 2 - found["booth_taken"]
    assert found["flagged"] == found["booth_short"]


def test_racing_replays_of_one_booth_sale_record_it_once(booth, threads_database):
    world, product, staff = booth
    threads_database()

    def replay(i: int) -> str:
        sale = pos_sale_record(
            exhibitor=world.batik,
            expo=world.expo,
            staff=staff,
            client_key="till-same",
            lines=[(product.pk, 2)],
            payment_method="qris",
            offline=True,
        )
        return sale.number

    results = testing.run_together(8, replay, refusals=(PosError,))

    numbers = in_thread(lambda: list(PosSale.objects.values_list("number", flat=True)))
    assert len(numbers) == 1
    assert results == numbers * 8
    assert counts(product)["stock"] == STOCK - 2


@postgres_only
def test_without_the_lock_the_booth_oversells_unflagged(booth, slow_write):
    world, product, staff = booth

    testing.run_together(
        THREADS, sell_or_order(world, product, staff, lock=False), refusals=(OutOfStock, PosError)
    )

    found = counts(product)
    # More units left the booth and the shop than there ever were, and nobody was told.
    assert found["orders"] + found["booth_taken"] + found["stock"] > STOCK


# --- closing the day while a sale is being recorded ----------------------------------------

DAY = NOW.date()


@pytest.fixture
def closing_waits(monkeypatch):
    """The closing reads the day's summary, then waits up to 1.5 s for the racing sale to
    finish before it writes the day: the sale runs exactly inside the closing's window."""
    from gelar.pos import services

    summary_read = threading.Event()
    sale_done = threading.Event()
    summary = services.pos_day_summary

    def summary_then_wait(**kwargs):
        found = summary(**kwargs)
        summary_read.set()
        # With the booth's lock the sale is waiting for this transaction: no deadlock,
        # the wait just runs out.
        sale_done.wait(timeout=1.5)
        return found

    monkeypatch.setattr(services, "pos_day_summary", summary_then_wait)
    return summary_read, sale_done


def close_or_sell(world, product, staff, closing_waits, *, lock: bool = True):
    summary_read, sale_done = closing_waits

    def act(i: int) -> str:
        if i == 0:
            pos_day_close(
                exhibitor=world.batik,
                expo=world.expo,
                date=DAY,
                actor=staff,
                cash_counted=99000,
                lock=lock,
            )
            return "closed"
        assert summary_read.wait(timeout=10)
        try:
            ring_up(world, product, staff, "till-late", now=NOW + timedelta(minutes=1), lock=lock)
        finally:
            sale_done.set()
        return "sold"

    return act


def first_sale(world, product, staff):
    return ring_up(world, product, staff, "till-early", now=NOW)


def the_day_and_the_late_sale():
    return in_thread(
        lambda: (PosDay.objects.get(date=DAY), PosSale.objects.get(client_key="till-late"))
    )


def test_a_sale_racing_the_closing_is_flagged_never_left_out(
    booth, closing_waits, threads_database
):
    world, product, staff = booth
    first_sale(world, product, staff)  # 99000 into the drawer before the closing
    threads_database()

    results = testing.run_together(
        2, close_or_sell(world, product, staff, closing_waits), refusals=(PosError,)
    )

    assert results == ["closed", "sold"]
    day, late = the_day_and_the_late_sale()
    # The closing counted the first sale only; the late one waited for the booth's lock,
    # then found its day closed: recorded, its stock taken, and flagged for a look.
    assert (day.cash_expected, day.cash_counted, day.difference) == (99000, 99000, 0)
    assert late.status == "flagged"
    assert late.flag_reason == _("Sold on %(date)s, a day already closed.") % {"date": "2021-11-24"}
    assert (late.total, late.change) == (99000, 1000)
    assert counts(product)["stock"] == STOCK - 2


@postgres_only
def test_without_the_lock_a_sale_racing_the_closing_is_left_out(booth, closing_waits):
    world, product, staff = booth
    first_sale(world, product, staff)

    results = testing.run_together(
        2, close_or_sell(world, product, staff, closing_waits, lock=False), refusals=(PosError,)
    )

    assert results == ["closed", "sold"]
    day, late = the_day_and_the_late_sale()
    # The sale committed between the summary and the day: in neither, and nobody told.
    assert day.cash_expected == 99000
    assert (late.status, late.flag_reason) == ("completed", "")


# --- a booth moved while it sells ------------------------------------------------------------


@pytest.fixture
def sale_holds_the_booth(monkeypatch):
    """The sale pauses 0.5 s once it holds the booth's lock, before its products."""
    from gelar.pos import services

    held = threading.Event()
    products = services._locked_products

    def pause_then_lock(quantities, *, lock):
        held.set()
        time.sleep(0.5)
        return products(quantities, lock=lock)

    monkeypatch.setattr(services, "_locked_products", pause_then_lock)
    return held


@postgres_only
def test_a_booth_moved_while_it_sells_does_not_deadlock(booth, sale_holds_the_booth):
    # booth_assign locks the expo's row, then the participation. The sale holds the
    # participation; were the expo's row (which its foreign keys take at commit) not
    # already shared by it, each would wait for the other until PostgreSQL killed one.
    world, product, staff = booth
    Expo.objects.filter(pk=world.expo.pk).update(venue_booth_quota=5)
    participation = Participation.objects.get(exhibitor=world.batik, expo=world.expo)
    free = Booth.objects.get(hall=world.hall, code="A-99")

    def act(i: int) -> str:
        if i == 0:
            ring_up(world, product, staff, "till-moving", now=NOW)
            return "sold"
        assert sale_holds_the_booth.wait(timeout=10)
        booth_assign(participation=participation, booth=free, actor=staff)
        return "moved"

    results = testing.run_together(2, act, refusals=(PosError,))

    assert results == ["moved", "sold"]
    assert in_thread(lambda: Participation.objects.get(pk=participation.pk).booth_id) == free.pk
    assert counts(product)["stock"] == STOCK - 1
