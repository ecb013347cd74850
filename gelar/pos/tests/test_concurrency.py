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

import pytest
from django.db import connection, connections

from gelar import testing
from gelar.catalog.models import Product
from gelar.orders.models import Order
from gelar.orders.services import (
    BuyerInfo,
    DeliveryInfo,
    LineRequest,
    OutOfStock,
    checkout_submit,
)
from gelar.pos.models import PosSale, PosSaleLine
from gelar.pos.services import PosError, pos_sale_record
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
            pos_sale_record(
                exhibitor=world.batik,
                expo=world.expo,
                staff=staff,
                client_key=f"till-{i}",
                lines=[(product.pk, 1)],
                payment_method="cash",
                cash_given=100000,
                offline=True,
                lock=lock,
            )
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
