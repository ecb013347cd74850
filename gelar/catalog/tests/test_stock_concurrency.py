"""Two people set the stock of the same product at the same moment, both having
seen 10: exactly one count is applied, the others are told it changed meanwhile.

PostgreSQL only (see gelar/exhibitors/tests/test_booth_concurrency.py): SQLite
serialises every writer, so there is no race to see.
"""

import threading

import pytest
from django.db import connection, connections

from gelar.catalog.models import Product
from gelar.catalog.services import StockChanged, product_set_stock
from gelar.testing import make_exhibitor, make_product

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to test",
    ),
]

THREADS = 8


def test_only_one_of_concurrent_stock_edits_from_the_same_count_wins():
    product = make_product(
        exhibitor=make_exhibitor(name="Batik"), name="Kemeja", stock=10, images=0
    )
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    guard = threading.Lock()

    def work(new_stock: int):
        try:
            barrier.wait(timeout=10)
            product_set_stock(product=product, actor=None, expected=10, stock=new_stock)
            outcome = f"set {new_stock}"
        except StockChanged:
            outcome = "changed"
        except Exception as error:  # noqa: BLE001 -- reported in the assertion
            outcome = f"error: {error!r}"
        finally:
            connections.close_all()
        with guard:
            results.append(outcome)

    threads = [threading.Thread(target=work, args=(20 + i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [r for r in results if r.startswith("set")]
    assert len(winners) == 1, results
    assert results.count("changed") == THREADS - 1, results
    assert Product.objects.get(pk=product.pk).stock == int(winners[0].split()[1])
