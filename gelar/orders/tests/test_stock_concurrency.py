"""A flash sale in miniature: 20 buyers at once for the last 5 units of one product.

Each buyer is a thread on its own database connection; a barrier lines them up
so that their checkouts start together. With the lock (the product row locked
by select_for_update, then a conditional UPDATE) exactly 5 orders are made and
the stock ends at 0, never below. With the lock switched off the checkout reads
the stock, waits a moment (a busy server) and writes it back: more than 5 buyers
"get" the product -- which shows the test can see the race it guards against.

PostgreSQL runs everything. SQLite runs all but the lock-off run: there,
IMMEDIATE transactions serialise the writers and the busy timeout makes them
wait. Its in-memory test database is shared between threads through table locks
that fail at once instead of waiting, so the SQLite run copies the test database
into a file first and points the threads at that -- the set-up the embedded
deployment really uses (WAL, IMMEDIATE, timeout). The demonstrations of a race
are PostgreSQL only: SQLite serialises all writers, so it has no race to show.
"""

import datetime
import threading
import time

import pytest
from django.db import connection, connections

from gelar import testing
from gelar.catalog.models import Product
from gelar.orders import services
from gelar.orders.models import Checkout, Order
from gelar.orders.services import (
    BuyerInfo,
    DeliveryInfo,
    LineRequest,
    OutOfStock,
    checkout_submit,
    reservations_expire,
)
from gelar.testing import accept_every_payment, at, build_expo, make_product

pytestmark = [
    # The regions come from a data migration: restore them after the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to show",
)

THREADS = 20
STOCK = 5
NOW = at(24, 10)
COURIER = DeliveryInfo(
    method="courier", address="Jl. Hayam Wuruk 5", city="Kota Pekalongan", postal_code="51111"
)


@pytest.fixture
def flash_sale():
    world = accept_every_payment(build_expo())
    product = make_product(
        exhibitor=world.batik, name="Batik Promo Wali Kota", price=99000, stock=STOCK, images=0
    )
    return world.expo, product


@pytest.fixture
def slow_write(monkeypatch):
    """Widen the window between reading the stock and writing it, as a busy server would."""
    save = Product.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.05)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Product, "save", slow_save)


def in_thread(function):
    """Run function on a fresh connection in another thread; return its result."""
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


def run_together(count: int, function) -> list[str]:
    return testing.run_together(count, function, refusals=(OutOfStock,))


def buy_one(expo, product, *, lock: bool = True, key: str = "", payload: int = 1):
    def buy(i: int) -> str:
        checkout = checkout_submit(
            expo=expo,
            buyer=BuyerInfo(name=f"Pembeli {payload}", whatsapp=f"0812345{payload:05d}"),
            lines=[LineRequest(product_id=product.pk, quantity=1)],
            idempotency_key=key or f"buyer-{i}",
            delivery=COURIER,
            payment_method="qris",
            now=NOW,
            lock=lock,
        )
        return f"checkout {checkout.pk}" if key else "ordered"

    return buy


def sale_result(product) -> tuple[int, int, int]:
    """(orders, units sold in them, stock left), read on a fresh connection."""

    def read():
        orders = Order.objects.filter(lines__product=product)
        return (
            orders.count(),
            sum(orders.values_list("lines__quantity", flat=True)),
            Product.objects.values_list("stock", flat=True).get(pk=product.pk),
        )

    return in_thread(read)


def test_with_the_lock_exactly_the_stock_is_sold(flash_sale, slow_write, threads_database):
    expo, product = flash_sale
    threads_database()

    results = run_together(THREADS, buy_one(expo, product))

    assert results == ["ordered"] * STOCK + ["out_of_stock"] * (THREADS - STOCK)
    assert sale_result(product) == (STOCK, STOCK, 0)


@postgres_only
def test_without_the_lock_the_product_is_oversold(flash_sale, slow_write):
    expo, product = flash_sale

    results = run_together(THREADS, buy_one(expo, product, lock=False))

    orders, sold, left = sale_result(product)
    assert results.count("ordered") > STOCK
    assert orders > STOCK
    assert sold + left > STOCK  # more units sold than there ever were


def test_racing_duplicate_submits_make_one_checkout(flash_sale, threads_database):
    expo, product = flash_sale
    threads_database()

    results = run_together(8, buy_one(expo, product, key="same-cart"))

    checkouts = in_thread(lambda: list(Checkout.objects.values_list("pk", flat=True)))
    assert len(checkouts) == 1
    assert results == [f"checkout {checkouts[0]}"] * 8
    assert sale_result(product) == (1, 1, STOCK - 1)


@pytest.fixture
def slow_release(monkeypatch):
    release = services._release_stock

    def slow(order):
        time.sleep(0.05)
        release(order)

    monkeypatch.setattr(services, "_release_stock", slow)


def test_two_expiry_runs_at_once_give_the_stock_back_once(
    flash_sale, slow_release, threads_database
):
    expo, product = flash_sale
    for i in range(STOCK):
        buy_one(expo, product)(i)
    assert Product.objects.get(pk=product.pk).stock == 0
    threads_database()
    later = NOW + datetime.timedelta(minutes=20)

    results = run_together(4, lambda i: str(reservations_expire(now=later)))

    assert sum(int(r) for r in results) == STOCK, results
    expired = in_thread(lambda: Order.objects.filter(status="expired").count())
    assert expired == STOCK
    assert sale_result(product) == (STOCK, STOCK, STOCK)
