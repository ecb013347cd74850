"""Session stats and the attribution of order lines to live pins.

The Mayor's session pinned the batik shirt (7 taps, 3 added to carts) and then
the amplang snack (2 taps, 1 added). Rina bought 2 shirts and 3 snacks from the
pins and paid for the shirts only; Dewi bought a shirt from the pin and has not
paid; Budi bought a shirt outside the stream and paid. Only Rina's shirts count.
"""

import pytest

from gelar.catalog.models import Product
from gelar.events.models import AgendaSession
from gelar.live.models import ChatMessage, Pin, Viewer, ViewerSample
from gelar.live.stats import session_stats
from gelar.orders.models import OrderLine
from gelar.orders.services import (
    BuyerInfo,
    DeliveryInfo,
    LineRequest,
    checkout_submit,
    order_mark_paid,
)
from gelar.testing import accept_every_payment, at, build_expo, make_organizer, make_product

pytestmark = pytest.mark.django_db

RINA = BuyerInfo(name="Rina Kusuma", whatsapp="0812-3456-7890")
DEWI = BuyerInfo(name="Dewi Lestari", whatsapp="085712345678")
BUDI = BuyerInfo(name="Budi Santoso", whatsapp="081398765432")
PICKUP = DeliveryInfo(method="pickup")
COURIER = DeliveryInfo(
    method="courier", address="Jl. Hayam Wuruk 5", city="Kota Pekalongan", postal_code="51111"
)


@pytest.fixture
def world():
    world = accept_every_payment(build_expo())
    Product.objects.filter(pk=world.shirt.pk).update(stock=20)
    world.snack = Product.objects.get(exhibitor=world.amplang)
    world.mayor = AgendaSession.objects.get(expo=world.expo, title__startswith="Promosi")
    return world


def buy(world, lines, *, key, buyer=RINA):
    return checkout_submit(
        expo=world.expo,
        buyer=buyer,
        lines=[LineRequest(product_id=p.pk, quantity=q, pin_id=pin) for p, q, pin in lines],
        idempotency_key=key,
        delivery={world.batik.pk: PICKUP, world.amplang.pk: COURIER},
        payment_method={world.batik.pk: "qris", world.amplang.pk: "transfer"},
    )


def pin(session, product, *, minute: int, until: int | None = None, **counts) -> Pin:
    return Pin.objects.create(
        session=session,
        product=product,
        pinned_at=at(24, 10, minute),
        unpinned_at=at(24, 10, until) if until is not None else None,
        **counts,
    )


def line_pins(checkout) -> dict[str, int | None]:
    lines = OrderLine.objects.filter(order__checkout=checkout)
    return {line.product_name: line.live_pin_id for line in lines}


def test_session_stats_exact_numbers(world):
    session = world.mayor
    shirt_pin = pin(session, world.shirt, minute=5, until=20, clicks=7, add_to_carts=3)
    snack_pin = pin(session, world.snack, minute=20, clicks=2, add_to_carts=1)
    for minute, viewers in [(0, 10), (5, 40), (10, 25), (15, 30)]:
        ViewerSample.objects.create(session=session, at=at(24, 10, minute), viewers=viewers)
    # Another session's samples and messages are not this session's.
    ViewerSample.objects.create(session=world.opening, at=at(24, 9), viewers=500)
    viewer = Viewer.objects.create(expo=world.expo, display_name="Sari")
    for n, hidden in enumerate([None, at(24, 10, 9), None]):
        ChatMessage.objects.create(
            session=session,
            viewer=viewer,
            display_name="Sari",
            text=f"Pesan {n}",
            created_at=at(24, 10, n),
            hidden_at=hidden,
        )
    ChatMessage.objects.create(
        session=world.opening, viewer=viewer, display_name="Sari", text="x", created_at=at(24, 9)
    )

    rina = buy(world, [(world.shirt, 2, shirt_pin.pk), (world.snack, 3, snack_pin.pk)], key="rina")
    order_mark_paid(order=rina.orders.get(exhibitor=world.batik), actor=None)
    buy(world, [(world.shirt, 1, shirt_pin.pk)], key="dewi", buyer=DEWI)  # not paid
    budi = buy(world, [(world.shirt, 1, None)], key="budi", buyer=BUDI)
    order_mark_paid(order=budi.orders.get(), actor=None)

    stats = session_stats(session=session)

    rows = [
        (row["product"].name, row["clicks"], row["add_to_carts"], row["orders"], row["omzet"])
        for row in stats["pins"]
    ]
    assert rows == [
        ("Kemeja Batik Tulis Sekar Jagad", 7, 3, 1, 300000),
        ("Amplang Ikan Tenggiri", 2, 1, 0, 0),
    ]
    assert [(row["pinned_at"], row["unpinned_at"]) for row in stats["pins"]] == [
        (at(24, 10, 5), at(24, 10, 20)),
        (at(24, 10, 20), None),
    ]
    assert {k: v for k, v in stats.items() if k != "pins"} == {
        "peak_viewers": 40,
        # (10 + 40 + 25 + 30) / 4 = 26.25
        "average_viewers": 26,
        "samples": 4,
        "chat_messages": 3,
        "chat_hidden": 1,
        "clicks": 9,
        "add_to_carts": 4,
        "orders": 1,
        "omzet": 300000,
    }


def test_stats_of_a_quiet_session(world):
    assert session_stats(session=world.opening) == {
        "peak_viewers": 0,
        "average_viewers": 0,
        "samples": 0,
        "chat_messages": 0,
        "chat_hidden": 0,
        "pins": [],
        "clicks": 0,
        "add_to_carts": 0,
        "orders": 0,
        "omzet": 0,
    }


def test_average_rounds_half_up(world):
    for minute, viewers in [(0, 1), (1, 2)]:
        ViewerSample.objects.create(session=world.mayor, at=at(24, 10, minute), viewers=viewers)
    assert session_stats(session=world.mayor)["average_viewers"] == 2


def test_one_order_over_two_pins_counts_once_for_the_session(world):
    shirt_pin = pin(world.mayor, world.shirt, minute=5, until=20)
    extra = make_product(exhibitor=world.batik, name="Syal Batik", price=50000)
    scarf_pin = pin(world.mayor, extra, minute=20)
    checkout = buy(world, [(world.shirt, 1, shirt_pin.pk), (extra, 2, scarf_pin.pk)], key="k")
    order_mark_paid(order=checkout.orders.get(), actor=None)

    stats = session_stats(session=world.mayor)

    assert [(row["orders"], row["omzet"]) for row in stats["pins"]] == [(1, 150000), (1, 100000)]
    assert (stats["orders"], stats["omzet"]) == (1, 250000)


# --- attribution ------------------------------------------------------------------


def test_checkout_carries_a_valid_pin_onto_its_line(world):
    shirt_pin = pin(world.mayor, world.shirt, minute=5)
    checkout = buy(world, [(world.shirt, 1, shirt_pin.pk), (world.snack, 1, None)], key="k")
    assert line_pins(checkout) == {
        "Kemeja Batik Tulis Sekar Jagad": shirt_pin.pk,
        "Amplang Ikan Tenggiri": None,
    }


def test_a_wrong_pin_is_ignored_and_the_checkout_goes_through(world):
    other = build_expo(suffix="-lain", organizer=make_organizer(slug="dinas-batang"))
    other_session = AgendaSession.objects.filter(expo=other.expo).first()
    # The same product pinned in another expo's session.
    foreign_pin = pin(other_session, world.shirt, minute=1)
    snack_pin = pin(world.mayor, world.snack, minute=2)
    checkout = buy(
        world,
        [
            (world.shirt, 1, foreign_pin.pk),  # another expo's session
            (world.snack, 1, 2**62),  # no such pin
        ],
        key="k",
    )
    assert line_pins(checkout) == {
        "Kemeja Batik Tulis Sekar Jagad": None,
        "Amplang Ikan Tenggiri": None,
    }
    # A pin of this expo but of another product.
    second = buy(world, [(world.shirt, 1, snack_pin.pk)], key="k2")
    assert line_pins(second) == {"Kemeja Batik Tulis Sekar Jagad": None}
    # Junk the API could pass on is dropped, not a 500.
    third = checkout_submit(
        expo=world.expo,
        buyer=RINA,
        lines=[LineRequest(product_id=world.shirt.pk, quantity=1, pin_id="1")],
        idempotency_key="k3",
        delivery=PICKUP,
        payment_method="qris",
    )
    assert line_pins(third) == {"Kemeja Batik Tulis Sekar Jagad": None}


def test_the_pin_does_not_change_the_idempotent_answer(world):
    shirt_pin = pin(world.mayor, world.shirt, minute=5)
    first = buy(world, [(world.shirt, 1, shirt_pin.pk)], key="same")
    again = buy(world, [(world.shirt, 1, None)], key="same")
    assert again.pk == first.pk
    assert line_pins(first) == {"Kemeja Batik Tulis Sekar Jagad": shirt_pin.pk}


def test_a_deleted_pin_leaves_the_line(world):
    shirt_pin = pin(world.mayor, world.shirt, minute=5)
    checkout = buy(world, [(world.shirt, 1, shirt_pin.pk)], key="k")
    shirt_pin.delete()
    assert line_pins(checkout) == {"Kemeja Batik Tulis Sekar Jagad": None}


def test_an_order_cancelled_after_payment_is_not_counted(world):
    from gelar.orders.services import order_cancel

    shirt_pin = pin(world.mayor, world.shirt, minute=5)
    kept = buy(world, [(world.shirt, 1, shirt_pin.pk)], key="kept")
    order_mark_paid(order=kept.orders.get(), actor=None)
    undone = buy(world, [(world.shirt, 2, shirt_pin.pk)], key="undone")
    order_mark_paid(order=undone.orders.get(), actor=None)
    order_cancel(order=undone.orders.get(), actor=None, reason="Dibatalkan pembeli")

    stats = session_stats(session=world.mayor)

    assert [(row["orders"], row["omzet"]) for row in stats["pins"]] == [(1, 150000)]
    assert (stats["orders"], stats["omzet"]) == (1, 150000)
