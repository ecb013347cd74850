import datetime

import pytest
from django.core.management import CommandError, call_command

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product
from gelar.events.models import Expo
from gelar.orders.models import Checkout, Order, OrderLine
from gelar.orders.services import (
    AmountMismatch,
    BuyerInfo,
    CheckoutInvalid,
    DeliveryInfo,
    IdempotencyKeyReused,
    InvalidTransition,
    LineRequest,
    OrderError,
    OrderExpired,
    OutOfStock,
    ProductsUnavailable,
    checkout_submit,
    order_cancel,
    order_mark_paid,
    order_set_status,
    reservations_expire,
)
from gelar.payments.models import ExhibitorPaymentSettings
from gelar.testing import accept_every_payment, at, build_expo, make_product, make_user

pytestmark = pytest.mark.django_db

NOW = at(24, 10)
BUYER = BuyerInfo(name="  Rina   Kusuma ", whatsapp="0812-3456-7890", email="rina@example.com")
PICKUP = DeliveryInfo(method="pickup")
COURIER = DeliveryInfo(
    method="courier", address="Jl. Hayam Wuruk 5", city="Kota Pekalongan", postal_code="51111"
)


@pytest.fixture
def world():
    return accept_every_payment(build_expo())


@pytest.fixture
def snack(world):
    return Product.objects.get(exhibitor=world.amplang)


def submit(world, lines, *, key="key-1", delivery=COURIER, payment_method="qris", **kwargs):
    return checkout_submit(
        expo=world.expo,
        buyer=kwargs.pop("buyer", BUYER),
        lines=[LineRequest(product_id=p.pk, quantity=q) for p, q in lines],
        idempotency_key=key,
        delivery=delivery,
        payment_method=payment_method,
        now=kwargs.pop("now", NOW),
        **kwargs,
    )


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


# --- checkout ---------------------------------------------------------------------


def test_checkout_makes_one_order_per_booth_with_server_prices(world, snack):
    checkout = submit(
        world,
        [(world.shirt, 2), (snack, 3)],
        delivery={world.batik.pk: PICKUP, snack.exhibitor_id: COURIER},
        payment_method={world.batik.pk: "cash", snack.exhibitor_id: "transfer"},
    )

    assert checkout.buyer_name == "Rina Kusuma"
    assert checkout.buyer_whatsapp == "6281234567890"
    assert len(checkout.token) == 32
    shirt_order, snack_order = checkout.orders.order_by("pk")
    assert shirt_order.exhibitor == world.batik
    assert shirt_order.number == f"PHE21-{shirt_order.pk:06d}"
    assert shirt_order.status == Order.Status.AWAITING_PAYMENT
    assert shirt_order.delivery_method == "pickup"
    assert shirt_order.address == ""
    assert (shirt_order.subtotal, shirt_order.unique_code, shirt_order.total) == (300000, 0, 300000)
    # Cash is paid at the booth: the buyer gets three hours to come; transfers 15 minutes.
    assert shirt_order.reserved_until == NOW + datetime.timedelta(hours=3)
    assert snack_order.reserved_until == NOW + datetime.timedelta(minutes=15)
    assert snack_order.exhibitor == world.amplang
    assert snack_order.city == "Kota Pekalongan"
    code = snack_order.pk % 999 + 1
    assert (snack_order.subtotal, snack_order.unique_code, snack_order.total) == (
        75000,
        code,
        75000 + code,
    )
    line = OrderLine.objects.get(order=shirt_order)
    assert (line.product_name, line.unit_price, line.quantity, line.line_total) == (
        "Kemeja Batik Tulis Sekar Jagad",
        150000,
        2,
        300000,
    )
    assert (stock(world.shirt), stock(snack)) == (1, 7)
    actions = AuditEntry.objects.filter(action="order.create").order_by("pk")
    assert [(e.exhibitor_id, e.organizer_id) for e in actions] == [
        (world.batik.pk, world.expo.organizer_id),
        (world.amplang.pk, world.expo.organizer_id),
    ]


def test_the_client_cannot_set_a_price_and_later_price_edits_do_not_change_the_order(world):
    with pytest.raises(TypeError):
        LineRequest(product_id=world.shirt.pk, quantity=1, unit_price=1)  # type: ignore[call-arg]
    checkout = submit(world, [(world.shirt, 1)])
    Product.objects.filter(pk=world.shirt.pk).update(price=1)

    line = OrderLine.objects.get(order__checkout=checkout)
    assert (line.unit_price, line.line_total) == (150000, 150000)


def test_duplicate_lines_are_merged(world):
    checkout = submit(world, [(world.shirt, 1), (world.shirt, 2)])

    line = OrderLine.objects.get(order__checkout=checkout)
    assert line.quantity == 3
    assert stock(world.shirt) == 0


@pytest.mark.parametrize("quantity", [0, -1, 101, True, "2"])
def test_bad_quantities_are_refused(world, quantity):
    with pytest.raises(CheckoutInvalid) as error:
        submit(world, [(world.shirt, quantity)])

    assert error.value.code == "quantity_invalid"
    assert stock(world.shirt) == 3
    assert Checkout.objects.count() == 0


def test_merged_lines_over_the_maximum_are_refused(world, snack):
    with pytest.raises(CheckoutInvalid):
        submit(world, [(snack, 60), (snack, 41)])
    assert stock(snack) == 10


def test_hidden_unknown_and_applicants_products_are_refused(world):
    applicants = Product.objects.get(exhibitor=world.applicant)
    lines = [
        LineRequest(product_id=world.shirt.pk, quantity=1),
        LineRequest(product_id=world.hidden.pk, quantity=1),
        LineRequest(product_id=applicants.pk, quantity=1),
        LineRequest(product_id=999999, quantity=1),
    ]
    with pytest.raises(ProductsUnavailable) as error:
        checkout_submit(
            expo=world.expo,
            buyer=BUYER,
            lines=lines,
            idempotency_key="k",
            delivery=COURIER,
            payment_method="qris",
        )

    assert error.value.product_ids == sorted([world.hidden.pk, applicants.pk, 999999])
    assert stock(world.shirt) == 3
    assert Order.objects.count() == 0


def test_a_product_of_another_expo_is_refused(world):
    other = accept_every_payment(build_expo(suffix="-2"))
    with pytest.raises(ProductsUnavailable):
        submit(world, [(other.shirt, 1)])


def test_a_draft_expo_takes_no_orders(world):
    Expo.objects.filter(pk=world.expo.pk).update(status=Expo.Status.DRAFT)
    world.expo.refresh_from_db()
    with pytest.raises(CheckoutInvalid) as error:
        submit(world, [(world.shirt, 1)])
    assert error.value.code == "expo_closed"


def test_a_shortfall_lists_every_short_product_and_reserves_nothing(world, snack):
    with pytest.raises(OutOfStock) as error:
        submit(world, [(snack, 2), (world.shirt, 4), (world.sold_out, 1)])

    assert [(s.product.pk, s.requested, s.available) for s in error.value.shortfalls] == sorted(
        [(world.shirt.pk, 4, 3), (world.sold_out.pk, 1, 0)]
    )
    assert (stock(snack), stock(world.shirt)) == (10, 3)
    assert Checkout.objects.count() == 0
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    ("buyer", "field"),
    [
        (BuyerInfo(name=" ", whatsapp="081234567890"), "name"),
        (BuyerInfo(name="Rina", whatsapp="12345"), "whatsapp"),
        (BuyerInfo(name="Rina", whatsapp="081234567890", email="not-an-email"), "email"),
    ],
)
def test_bad_buyer_details_are_refused(world, buyer, field):
    with pytest.raises(CheckoutInvalid) as error:
        submit(world, [(world.shirt, 1)], buyer=buyer)
    assert error.value.field == field
    assert stock(world.shirt) == 3


@pytest.mark.parametrize(
    ("delivery", "payment_method", "code"),
    [
        (
            DeliveryInfo(method="courier", address="Jl. A", city="Batang"),
            "qris",
            "postal_code_invalid",
        ),
        (DeliveryInfo(method="local", city="Batang"), "qris", "address_required"),
        (DeliveryInfo(method="drone"), "qris", "delivery_invalid"),
        (COURIER, "cash", "cash_needs_pickup"),
        (COURIER, "bitcoin", "payment_method_invalid"),
    ],
)
def test_bad_delivery_or_payment_is_refused(world, delivery, payment_method, code):
    with pytest.raises(CheckoutInvalid) as error:
        submit(world, [(world.shirt, 1)], delivery=delivery, payment_method=payment_method)
    assert error.value.code == code
    assert stock(world.shirt) == 3


def test_a_method_the_booth_does_not_accept_is_refused_and_nothing_reserved(world, snack):
    ExhibitorPaymentSettings.objects.filter(exhibitor=world.amplang).update(bank_name="")
    with pytest.raises(CheckoutInvalid) as error:
        submit(world, [(world.shirt, 1), (snack, 2)], payment_method="transfer")
    assert (error.value.code, error.value.field) == (
        "payment_method_not_accepted",
        "payment_method",
    )
    assert error.value.message == (
        "Amplang Café Banjarbaru tidak menerima Transfer bank; pilih metode pembayaran lain."
    )
    assert (stock(world.shirt), stock(snack)) == (3, 10)
    assert not Checkout.objects.exists()


def test_an_online_only_booth_has_no_pickup(world, snack):
    with pytest.raises(CheckoutInvalid) as error:
        submit(world, [(snack, 1)], delivery=PICKUP)
    assert error.value.code == "no_pickup"


def test_a_booth_without_a_choice_is_refused(world, snack):
    with pytest.raises(CheckoutInvalid) as error:
        submit(world, [(world.shirt, 1), (snack, 1)], delivery={world.batik.pk: PICKUP})
    assert error.value.code == "choice_missing"
    assert Order.objects.count() == 0


# --- idempotency ------------------------------------------------------------------


def test_the_same_key_twice_returns_the_same_checkout_and_reserves_once(world):
    first = submit(world, [(world.shirt, 2)], key="abc")
    second = submit(world, [(world.shirt, 2)], key="abc")

    assert second.pk == first.pk
    assert Checkout.objects.count() == 1
    assert Order.objects.count() == 1
    assert stock(world.shirt) == 1


def test_a_repeat_returns_the_checkout_even_when_the_stock_is_gone_meanwhile(world):
    first = submit(world, [(world.shirt, 3)], key="abc")
    assert submit(world, [(world.shirt, 3)], key="abc").pk == first.pk


def test_the_same_key_with_another_cart_is_refused(world):
    submit(world, [(world.shirt, 1)], key="abc")
    with pytest.raises(IdempotencyKeyReused):
        submit(world, [(world.shirt, 2)], key="abc")
    assert stock(world.shirt) == 2
    assert Order.objects.count() == 1


@pytest.mark.parametrize("key", ["", "with space", "x" * 65, None])
def test_a_malformed_key_is_refused(world, key):
    with pytest.raises(CheckoutInvalid):
        submit(world, [(world.shirt, 1)], key=key)


# --- the order's life -------------------------------------------------------------


def test_paying_keeps_the_stock_taken(world):
    user = make_user(email="siti@example.com")
    order = submit(world, [(world.shirt, 2)]).orders.get()

    order_mark_paid(order=order, actor=user, amount=300000, now=NOW)

    order.refresh_from_db()
    assert (order.status, order.paid_at) == ("paid", NOW)
    assert stock(world.shirt) == 1
    entry = AuditEntry.objects.get(action="order.paid")
    assert (entry.actor, entry.exhibitor, entry.organizer) == (
        user,
        world.batik,
        world.expo.organizer,
    )
    assert entry.changes == {"status": ["awaiting_payment", "paid"], "amount": 300000}


def test_a_wrong_amount_is_refused(world):
    order = submit(world, [(world.shirt, 1)]).orders.get()
    with pytest.raises(AmountMismatch):
        order_mark_paid(order=order, actor=None, amount=149999)
    order.refresh_from_db()
    assert order.status == "awaiting_payment"


def test_paying_twice_is_refused(world):
    order = submit(world, [(world.shirt, 1)]).orders.get()
    order_mark_paid(order=order, actor=None)
    with pytest.raises(InvalidTransition):
        order_mark_paid(order=order, actor=None)
    assert AuditEntry.objects.filter(action="order.paid").count() == 1


def test_cancel_gives_the_stock_back_once(world):
    order = submit(world, [(world.shirt, 2)]).orders.get()

    order_cancel(order=order, actor=None, reason="Buyer changed their mind", now=NOW)
    with pytest.raises(InvalidTransition):
        order_cancel(order=order, actor=None, reason="Again")

    order.refresh_from_db()
    assert (order.status, order.cancelled_at, order.cancel_reason) == (
        "cancelled",
        NOW,
        "Buyer changed their mind",
    )
    assert stock(world.shirt) == 3
    assert reservations_expire(now=NOW + datetime.timedelta(hours=1)) == 0
    assert stock(world.shirt) == 3


def test_cancel_needs_a_reason(world):
    order = submit(world, [(world.shirt, 2)]).orders.get()
    with pytest.raises(OrderError):
        order_cancel(order=order, actor=None, reason="  ")
    assert stock(world.shirt) == 1


def test_expiry_gives_the_stock_back_once_and_an_expired_order_cannot_be_paid(world):
    order = submit(world, [(world.shirt, 2)]).orders.get()

    assert reservations_expire(now=NOW + datetime.timedelta(minutes=14)) == 0
    assert stock(world.shirt) == 1
    assert reservations_expire(now=NOW + datetime.timedelta(minutes=15)) == 1
    assert reservations_expire(now=NOW + datetime.timedelta(minutes=16)) == 0

    order.refresh_from_db()
    assert order.status == "expired"
    assert stock(world.shirt) == 3
    with pytest.raises(OrderExpired):
        order_mark_paid(order=order, actor=None)
    with pytest.raises(InvalidTransition):
        order_cancel(order=order, actor=None, reason="Too late")
    assert stock(world.shirt) == 3
    assert AuditEntry.objects.filter(action="order.expired").count() == 1


def test_expiry_leaves_paid_orders_alone(world):
    order = submit(world, [(world.shirt, 2)]).orders.get()
    order_mark_paid(order=order, actor=None)

    assert reservations_expire(now=NOW + datetime.timedelta(days=1)) == 0
    assert stock(world.shirt) == 1


def test_the_management_command_expires(world, capsys):
    submit(world, [(world.shirt, 1)], now=at(24, 9))
    call_command("expire_reservations")
    assert capsys.readouterr().out == "1 order(s) expired\n"
    assert stock(world.shirt) == 3


def test_the_management_command_keeps_expiring_every_n_seconds(world, capsys, monkeypatch):
    from gelar.orders.management.commands import expire_reservations

    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 1:
            submit(world, [(world.shirt, 1)], key="later", now=at(24, 9))
        else:
            raise KeyboardInterrupt  # Ctrl-C, or the demo's trap

    monkeypatch.setattr(expire_reservations.time, "sleep", sleep)
    # The loop drops stale connections between runs; in a test that would close the
    # connection holding the test's transaction (PostgreSQL, CONN_MAX_AGE).
    monkeypatch.setattr(expire_reservations, "close_old_connections", lambda: None)
    submit(world, [(world.shirt, 1)], now=at(24, 9))
    call_command("expire_reservations", every=60)
    assert sleeps == [60, 60]
    assert capsys.readouterr().out == "1 order(s) expired\n1 order(s) expired\n"
    assert stock(world.shirt) == 3


def test_the_management_command_loop_survives_a_database_error(world, capsys, monkeypatch):
    from django.db import OperationalError

    from gelar.orders.management.commands import expire_reservations

    runs = []

    def flaky(**kwargs):
        runs.append(1)
        if len(runs) == 1:
            raise OperationalError("database is locked")
        return 2

    def sleep(seconds):
        if len(runs) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(expire_reservations, "reservations_expire", flaky)
    monkeypatch.setattr(expire_reservations.time, "sleep", sleep)
    # The loop drops stale connections between runs; in a test that would close the
    # connection holding the test's transaction (PostgreSQL, CONN_MAX_AGE).
    monkeypatch.setattr(expire_reservations, "close_old_connections", lambda: None)
    call_command("expire_reservations", every=60)
    assert len(runs) == 2
    assert capsys.readouterr().out == "2 order(s) expired\n"


def test_the_management_command_refuses_a_busy_loop():
    with pytest.raises(CommandError):
        call_command("expire_reservations", every=1)


def test_an_order_moves_along_the_allowed_transitions_only(world, snack):
    pickup = submit(world, [(world.shirt, 1)], delivery=PICKUP, key="a").orders.get()
    courier = submit(world, [(snack, 1)], key="b").orders.get()
    with pytest.raises(InvalidTransition):
        order_set_status(order=pickup, actor=None, status="processing")  # not paid yet
    order_mark_paid(order=pickup, actor=None)
    order_mark_paid(order=courier, actor=None)

    with pytest.raises(InvalidTransition):
        order_set_status(order=pickup, actor=None, status="shipped")
    order_set_status(order=pickup, actor=None, status="ready_for_pickup")
    order_set_status(order=pickup, actor=None, status="completed")
    order_set_status(order=courier, actor=None, status="processing")
    order_set_status(order=courier, actor=None, status="shipped", tracking_number=" JNE123 ")
    with pytest.raises(InvalidTransition):
        order_cancel(order=courier, actor=None, reason="Lost")

    pickup.refresh_from_db()
    courier.refresh_from_db()
    assert (pickup.status, courier.status, courier.tracking_number) == (
        "completed",
        "shipped",
        "JNE123",
    )
    assert stock(world.shirt) == 2
    assert stock(snack) == 9


def test_cancelling_a_paid_order_gives_the_stock_back(world):
    order = submit(world, [(world.shirt, 3)]).orders.get()
    order_mark_paid(order=order, actor=None)
    order_cancel(order=order, actor=None, reason="Damaged in stock")
    assert stock(world.shirt) == 3


def test_order_numbers_carry_the_expo_initials_and_year():
    other_world = accept_every_payment(build_expo(suffix="-2", name="Batang Craft Fair"))
    checkout = submit(other_world, [(other_world.shirt, 1)])
    order = checkout.orders.get()
    assert order.number.startswith("BCF21-")


def test_make_product_helper_stock_is_untouched_by_failed_checkouts(world):
    product = make_product(exhibitor=world.batik, name="Kain", stock=1, images=0)
    with pytest.raises(OutOfStock):
        submit(world, [(product, 1), (world.sold_out, 1)])
    assert stock(product) == 1


# --- cash on pick-up ------------------------------------------------------------------


def cash_order(world):
    return submit(world, [(world.shirt, 1)], delivery=PICKUP, payment_method="cash").orders.get()


def test_a_cash_order_is_made_ready_before_payment_and_paid_at_the_hand_over(world):
    order = cash_order(world)
    seller = make_user(email="siti@example.com")

    order = order_set_status(order=order, actor=seller, status="ready_for_pickup")
    assert (order.status, order.paid_at) == ("ready_for_pickup", None)
    # Ready orders no longer expire: the exhibitor set the goods aside.
    assert reservations_expire(now=NOW + datetime.timedelta(days=1)) == 0
    with pytest.raises(InvalidTransition) as error:
        order_set_status(order=order, actor=seller, status="completed")
    assert error.value.message == (
        f"Pesanan {order.number} belum dibayar; konfirmasi pembayarannya dulu."
    )

    order = order_mark_paid(order=order, actor=seller, amount=150000, now=NOW)
    assert (order.status, order.paid_at) == ("ready_for_pickup", NOW)
    order = order_set_status(order=order, actor=seller, status="completed")
    assert order.status == "completed"
    assert stock(world.shirt) == 2
    assert list(
        AuditEntry.objects.filter(object_id=str(order.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["order.create", "order.ready_for_pickup", "order.paid", "order.completed"]


def test_a_cash_order_nobody_collects_is_cancelled_and_its_stock_comes_back(world):
    order = cash_order(world)
    order = order_set_status(order=order, actor=None, status="ready_for_pickup")
    order_cancel(order=order, actor=None, reason="Not collected by closing time")
    assert stock(world.shirt) == 3


def test_an_unready_cash_order_expires_after_three_hours(world):
    order = cash_order(world)
    assert reservations_expire(now=NOW + datetime.timedelta(minutes=179)) == 0
    assert reservations_expire(now=NOW + datetime.timedelta(minutes=180)) == 1
    order.refresh_from_db()
    assert order.status == "expired"
    assert stock(world.shirt) == 3


def test_only_cash_orders_are_ready_before_payment(world):
    order = submit(world, [(world.shirt, 1)], delivery=PICKUP, payment_method="qris").orders.get()
    with pytest.raises(InvalidTransition):
        order_set_status(order=order, actor=None, status="ready_for_pickup")
    order.refresh_from_db()
    assert order.status == "awaiting_payment"
