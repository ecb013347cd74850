"""Two staff assigning the last venue booth at the same moment: the quota holds.

Eight threads, each on its own database connection, assign a different free
booth to a different accepted venue exhibitor when one place of the quota is
left. With the lock (the expo row, select_for_update) exactly one wins. With
the lock switched off, a barrier lines the threads up and a short sleep
between the quota check and the write lets them all pass the check: the
quota is exceeded -- which shows the test can see the race it guards against.

PostgreSQL only: there, transactions run concurrently and the lock is what
serialises them. SQLite serialises every writer (IMMEDIATE transactions), so
the race cannot happen there and the test would prove nothing; its in-memory
test database is also shared between threads with table locks that fail
instead of waiting.
"""

import threading
import time

import pytest
from django.db import connection, connections

from gelar.events.models import Booth, Hall
from gelar.exhibitors.models import Participation
from gelar.exhibitors.services.participation import QuotaFull, booth_assign, booths_held
from gelar.testing import make_exhibitor, make_expo, make_participation

pytestmark = [
    # The regions come from a data migration: restore them after the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to test",
    ),
]

THREADS = 8
QUOTA = 3


def _setup():
    """An expo with QUOTA - 1 booths held and THREADS accepted venue exhibitors waiting."""
    expo = make_expo(venue_booth_quota=QUOTA)
    hall = Hall.objects.create(expo=expo, name="Hall Utama", width=1000, height=400)
    booths = [
        Booth.objects.create(hall=hall, code=f"A-{i:02d}", x=10 + 40 * i, y=10)
        for i in range(QUOTA - 1 + THREADS)
    ]
    for i in range(QUOTA - 1):
        make_participation(
            expo=expo,
            exhibitor=make_exhibitor(name=f"Sudah Dapat {i}"),
            mode="venue",
            booth=booths[i],
        )
    waiting = [
        make_participation(expo=expo, exhibitor=make_exhibitor(name=f"Menunggu {i}"), mode="venue")
        for i in range(THREADS)
    ]
    return expo, waiting, booths[QUOTA - 1 :]


def _assign_all(waiting, free_booths, *, lock: bool):
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    guard = threading.Lock()

    def work(participation, booth):
        try:
            barrier.wait(timeout=10)
            booth_assign(participation=participation, booth=booth, actor=None, lock=lock)
            outcome = "assigned"
        except QuotaFull:
            outcome = "quota_full"
        except Exception as error:  # noqa: BLE001 -- reported in the assertion
            outcome = f"error: {error!r}"
        finally:
            connections.close_all()
        with guard:
            results.append(outcome)

    threads = [
        threading.Thread(target=work, args=(participation, booth))
        for participation, booth in zip(waiting, free_booths, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)


@pytest.fixture
def slow_write(monkeypatch):
    """Widen the window between the quota check and the write, as a busy server would."""
    save = Participation.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.2)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Participation, "save", slow_save)


def test_with_the_lock_only_one_of_eight_gets_the_last_place(slow_write):
    expo, waiting, free_booths = _setup()

    results = _assign_all(waiting, free_booths, lock=True)

    assert results == ["assigned"] + ["quota_full"] * (THREADS - 1)
    assert booths_held(expo=expo) == QUOTA


def test_without_the_lock_the_quota_is_exceeded(slow_write):
    expo, waiting, free_booths = _setup()

    results = _assign_all(waiting, free_booths, lock=False)

    assert results.count("assigned") > 1
    assert booths_held(expo=expo) > QUOTA
