"""The organizer's orders in the console: who may see and act, the list's filters and
query count, confirming a transfer, cancelling, refunds, and the CSV.

The Pekalongan expo runs in WITA here (Asia/Makassar, not the server's WIB), so
every time shown must have gone through the expo's zone. One checkout by Rina buys
from two booths (batik: pick-up, QRIS; amplang: courier, transfer), a second by
Dewi buys a batik shirt by transfer. The organizer has an admin and a staff
member (they may), a live-stream host and a gate officer (they may not); the
outsider is the admin of another organizer, which has an expo with an order too.
"""

import csv
import datetime
import io
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product
from gelar.console import exports_orders
from gelar.console.forms_orders import GROUP_LABELS
from gelar.events.models import Expo, OrganizerMember
from gelar.orders.models import Checkout, Order, OrderLine
from gelar.orders.selectors import STATUS_GROUPS
from gelar.orders.services import (
    AmountMismatch,
    BuyerInfo,
    DeliveryInfo,
    InvalidTransition,
    LineRequest,
    checkout_submit,
)
from gelar.payments.models import Payment, Refund
from gelar.payments.services import payment_confirm, refund_record
from gelar.testing import (
    ExpoWorld,
    build_expo,
    make_organizer,
    make_organizer_member,
    make_payment_settings,
    make_product,
    make_user,
)

pytestmark = pytest.mark.django_db

RINA = BuyerInfo(name="Rina Kusuma", whatsapp="0812-3456-7890", email="rina@example.com")
DEWI = BuyerInfo(name="Dewi Lestari", whatsapp="085712345678")
PICKUP = DeliveryInfo(method="pickup")
COURIER = DeliveryInfo(
    method="courier",
    address="Jl. Hayam Wuruk 5",
    city="Kota Pekalongan",
    postal_code="51111",
    note="Titip di pos satpam",
)
UTC = datetime.UTC


@dataclass
class Shop:
    world: ExpoWorld
    expo: Expo
    snack: Product
    admin: object
    staff: object
    host: object
    gate: object
    outsider: object
    qris_order: Order  # Rina, batik, pick-up, QRIS: 2 shirts
    amplang_order: Order  # Rina, amplang, courier, transfer: 3 snacks
    transfer_order: Order  # Dewi, batik, courier, transfer: 1 shirt
    other_order: Order  # an order of the other organizer's expo


def submit(world, lines, *, key, buyer, delivery, payment_method) -> Checkout:
    return checkout_submit(
        expo=world.expo,
        buyer=buyer,
        lines=[LineRequest(product_id=p.pk, quantity=q) for p, q in lines],
        idempotency_key=key,
        delivery=delivery,
        payment_method=payment_method,
    )


def member(organizer, email: str, role: str):
    user = make_user(email=email, full_name=email.split("@")[0].title())
    make_organizer_member(organizer=organizer, user=user, role=role)
    return user


@pytest.fixture
def shop() -> Shop:
    world = build_expo(time_zone="Asia/Makassar")
    batik, amplang = world.batik, world.amplang
    Product.objects.filter(pk=world.shirt.pk).update(stock=10)
    snack = Product.objects.get(exhibitor=amplang)
    for exhibitor in (batik, amplang):
        make_payment_settings(exhibitor=exhibitor)
    organizer = world.expo.organizer
    first = submit(
        world,
        [(world.shirt, 2), (snack, 3)],
        key="console-1",
        buyer=RINA,
        delivery={batik.pk: PICKUP, amplang.pk: COURIER},
        payment_method={batik.pk: "qris", amplang.pk: "transfer"},
    )
    second = submit(
        world,
        [(world.shirt, 1)],
        key="console-2",
        buyer=DEWI,
        delivery=COURIER,
        payment_method="transfer",
    )
    other = build_expo(suffix="-lain", organizer=make_organizer(slug="dinas-batang"))
    make_payment_settings(exhibitor=other.batik)
    outsider = member(other.expo.organizer, "admin@batang.example", OrganizerMember.Role.ADMIN)
    other_checkout = submit(
        other,
        [(other.shirt, 1)],
        key="console-other",
        buyer=DEWI,
        delivery=PICKUP,
        payment_method="qris",
    )
    return Shop(
        world=world,
        expo=world.expo,
        snack=snack,
        admin=member(organizer, "admin@dindakop.example", OrganizerMember.Role.ADMIN),
        staff=member(organizer, "staf@dindakop.example", OrganizerMember.Role.STAFF),
        host=member(organizer, "host@dindakop.example", OrganizerMember.Role.HOST),
        gate=member(organizer, "gate@dindakop.example", OrganizerMember.Role.GATE),
        outsider=outsider,
        qris_order=first.orders.get(exhibitor=batik),
        amplang_order=first.orders.get(exhibitor=amplang),
        transfer_order=second.orders.get(),
        other_order=other_checkout.orders.get(),
    )


def db_state() -> dict:
    """Every row an order page can change, to prove that a refused request changed nothing."""
    models = (Order, OrderLine, Product, Payment, Refund, AuditEntry)
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def list_url(shop: Shop) -> str:
    return reverse("console:orders", args=[shop.expo.slug])


def url(name: str, order: Order, expo: Expo | None = None) -> str:
    return reverse(f"console:{name}", args=[(expo or order.expo).slug, order.number])


def order_audit(order: Order):
    return AuditEntry.objects.filter(object_type="orders.order", object_id=str(order.pk))


def typed(amount: int) -> str:
    """An amount as a person types it: Rp150.123."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def numbers(response) -> list[str]:
    return [o.number for o in response.context["page"].object_list]


# --- who may ------------------------------------------------------------------------

ORDER_ACTIONS = {
    "order_confirm_payment": {"amount": "300.000"},
    "order_cancel": {"reason": "Diambil alih panitia"},
    "order_refund": {"amount": "1000", "method": "cash", "reason": "Salah hitung"},
}


def every_url(shop: Shop) -> list[tuple[str, dict]]:
    return [
        (list_url(shop), {}),
        (reverse("console:orders_export", args=[shop.expo.slug]), {}),
        (url("order", shop.qris_order), {}),
        *((url(name, shop.qris_order), body) for name, body in ORDER_ACTIONS.items()),
    ]


@pytest.mark.parametrize("who", ["host", "gate", "outsider"])
def test_others_get_404_everywhere_and_change_nothing(client, shop, who):
    client.force_login(getattr(shop, who))
    before = db_state()
    for target, body in every_url(shop):
        assert client.get(target).status_code == 404, target
        assert client.post(target, body).status_code == 404, target
    assert db_state() == before
    assert fresh(shop.qris_order).status == "awaiting_payment"
    assert stock(shop.world.shirt) == 7


def test_anonymous_is_sent_to_sign_in(client, shop):
    for target, _body in every_url(shop):
        response = client.get(target)
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_admin_and_staff_open_the_pages(client, shop, who):
    client.force_login(getattr(shop, who))
    assert client.get(list_url(shop)).status_code == 200
    assert client.get(url("order", shop.qris_order)).status_code == 200
    assert client.get(reverse("console:orders_export", args=[shop.expo.slug])).status_code == 200
    for name in ORDER_ACTIONS:
        assert client.get(url(name, shop.qris_order)).status_code == 405
    assert client.post(list_url(shop)).status_code == 405


def test_another_expos_order_is_404_under_this_expo(client, shop):
    client.force_login(shop.admin)
    before = db_state()
    for name in ("order", *ORDER_ACTIONS):
        target = url(name, shop.other_order, expo=shop.expo)
        assert client.get(target).status_code == 404, name
        assert client.post(target, ORDER_ACTIONS.get(name, {})).status_code == 404, name
    assert db_state() == before


def test_unknown_number_is_404(client, shop):
    client.force_login(shop.staff)
    target = reverse("console:order", args=[shop.expo.slug, "PHE21-999999"])
    assert client.get(target).status_code == 404


def test_the_expo_navigation_links_the_orders(client, shop):
    client.force_login(shop.staff)
    page = client.get(reverse("console:agenda", args=[shop.expo.slug])).content.decode()
    assert f'href="{list_url(shop)}"' in page


# --- the list -----------------------------------------------------------------------


def test_list_rows_in_the_expos_zone(client, shop):
    Order.objects.filter(pk=shop.transfer_order.pk).update(
        created_at=datetime.datetime(2021, 11, 24, 5, 30, tzinfo=UTC)  # 13.30 WITA
    )
    client.force_login(shop.staff)

    response = client.get(list_url(shop))

    assert response.status_code == 200
    # Newest first; the other organizer's order is not there.
    assert numbers(response) == [
        shop.amplang_order.number,
        shop.qris_order.number,
        shop.transfer_order.number,
    ]
    page = response.content.decode()
    assert shop.other_order.number not in page
    assert "13.30 WITA" in page
    assert "Rp300.000" in page  # two shirts by QRIS
    assert typed(shop.transfer_order.total) in page
    assert "Dewi Lestari" in page and "+6285712345678" in page
    assert "Amplang Café Banjarbaru" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["transfer", "amplang", "qris"]),
        ({"status": "paid"}, ["qris"]),
        ({"status": "awaiting_payment"}, ["transfer", "amplang"]),
        ({"status": "closed"}, []),
        ({"method": "transfer"}, ["transfer", "amplang"]),
        ({"method": "qris"}, ["qris"]),
        ({"exhibitor": "amplang"}, ["amplang"]),
        ({"status": "awaiting_payment", "method": "transfer", "exhibitor": "batik"}, ["transfer"]),
        ({"q": "dewi"}, ["transfer"]),
        ({"q": "RINA kusuma"}, ["amplang", "qris"]),
        ({"q": "0812-3456"}, ["amplang", "qris"]),  # stored as 62812...
        ({"q": "+62 857 1234"}, ["transfer"]),
        ({"q": "nobody"}, []),
        # Unknown values drop that filter only.
        ({"status": "nonsense", "method": "qris"}, ["qris"]),
        ({"method": "bitcoin"}, ["transfer", "amplang", "qris"]),
        ({"exhibitor": "999999"}, ["transfer", "amplang", "qris"]),
        ({"q": "x" * 101}, ["transfer", "amplang", "qris"]),
    ],
)
def test_list_filters(client, shop, params, expected):
    payment_confirm(order=shop.qris_order, actor=shop.admin)
    exhibitors = {"amplang": shop.world.amplang.pk, "batik": shop.world.batik.pk}
    if params.get("exhibitor") in exhibitors:
        params = {**params, "exhibitor": exhibitors[params["exhibitor"]]}
    client.force_login(shop.staff)

    response = client.get(list_url(shop), params)

    assert response.status_code == 200
    assert numbers(response) == [getattr(shop, f"{name}_order").number for name in expected]


def test_search_by_order_number(client, shop):
    client.force_login(shop.admin)
    number = shop.amplang_order.number
    response = client.get(list_url(shop), {"q": number.lower()})
    assert numbers(response) == [number]


def test_counts_per_status_group_and_the_transfer_shortcut(client, shop):
    payment_confirm(order=shop.qris_order, actor=shop.admin)
    client.force_login(shop.admin)

    response = client.get(list_url(shop))

    counts = {tab["query"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {
        "": 3,
        "status=awaiting_payment": 2,
        "status=paid": 1,
        "status=processing": 0,
        "status=sent": 0,
        "status=completed": 0,
        "status=closed": 0,
    }
    shortcut = response.context["awaiting_transfer"]
    assert shortcut == {
        "count": 2,
        "current": False,
        "query": "status=awaiting_payment&method=transfer",
    }
    assert 'href="?status=awaiting_payment&amp;method=transfer"' in response.content.decode()

    # The tabs keep the other filters; the shortcut's count ignores the method filter.
    by_qris = client.get(list_url(shop), {"method": "qris"})
    counts = {tab["query"]: tab["count"] for tab in by_qris.context["tabs"]}
    assert counts["method=qris"] == 1
    assert counts["status=paid&method=qris"] == 1
    assert counts["status=awaiting_payment&method=qris"] == 0
    assert by_qris.context["awaiting_transfer"]["count"] == 2

    shortcut = client.get(list_url(shop), {"status": "awaiting_payment", "method": "transfer"})
    assert shortcut.context["awaiting_transfer"]["current"] is True
    assert numbers(shortcut) == [shop.transfer_order.number, shop.amplang_order.number]


def test_group_labels_cover_every_status_group():
    assert list(GROUP_LABELS) == list(STATUS_GROUPS)


def test_list_queries_do_not_grow_with_orders(client, shop):
    client.force_login(shop.staff)
    target = list_url(shop)
    client.get(target)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(target).status_code == 200

    world = shop.world
    extra = [
        make_product(exhibitor=exhibitor, name=f"Produk {i}", stock=50, images=0)
        for i, exhibitor in enumerate([world.batik, world.amplang, world.batik])
    ]
    for i in range(30):
        submit(
            world,
            [(extra[i % 3], 1 + i % 2), (extra[(i + 1) % 3], 1)],
            key=f"many-{i}",
            buyer=BuyerInfo(name=f"Pembeli {i}", whatsapp="081234567890"),
            delivery=COURIER,
            payment_method="transfer" if i % 2 else "qris",
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get(target)

    assert Order.objects.filter(expo=shop.expo).count() > 50
    assert len(response.context["page"].object_list) == 25
    assert len(large.captured_queries) == len(small.captured_queries), [
        q["sql"][:80] for q in large.captured_queries
    ]
    second = client.get(target, {"page": 2})
    assert len(second.context["page"].object_list) == 25


# --- one order ----------------------------------------------------------------------


def test_order_page_shows_lines_buyer_instructions_and_history(client, shop):
    client.force_login(shop.staff)
    order = shop.amplang_order

    response = client.get(url("order", order))

    assert response.status_code == 200
    page = response.content.decode()
    assert [line.product_name for line in response.context["lines"]] == ["Amplang Ikan Tenggiri"]
    assert "Rina Kusuma" in page and "+6281234567890" in page and "rina@example.com" in page
    assert "Jl. Hayam Wuruk 5" in page and "51111" in page and "Titip di pos satpam" in page
    instructions = response.context["instructions"]
    assert instructions.total == order.total == 75000 + order.unique_code
    assert instructions.unique_code == order.unique_code > 0
    assert instructions.reference == order.number
    assert typed(order.total) in page
    assert "002101000123567" in page  # the exhibitor's account to look at
    assert [e.action for e in response.context["history"]] == ["order.create"]
    assert response.context["can_confirm"] is True
    assert response.context["can_cancel"] is True
    assert response.context["can_refund"] is False


def test_confirm_a_transfer_with_the_right_amount(client, shop):
    client.force_login(shop.admin)
    order = shop.transfer_order

    response = client.post(url("order_confirm_payment", order), {"amount": typed(order.total)})

    assert response.status_code == 302
    assert response["Location"] == url("order", order)
    order = fresh(order)
    assert order.status == "paid"
    assert order.paid_at is not None
    payment = Payment.objects.get(order=order)
    assert (payment.method, payment.amount, payment.status) == (
        "transfer",
        order.total,
        "confirmed",
    )
    assert payment.confirmed_by == shop.admin
    paid = order_audit(order).get(action="order.paid")
    assert paid.actor == shop.admin
    assert paid.organizer == shop.expo.organizer
    assert paid.changes == {"status": ["awaiting_payment", "paid"], "amount": order.total}
    confirmed = AuditEntry.objects.get(action="payment.confirm")
    assert (confirmed.actor, confirmed.object_id) == (shop.admin, str(payment.pk))
    assert stock(shop.world.shirt) == 7  # the reservation became a sale
    after = client.get(response["Location"])
    page = after.content.decode()
    message = translation.gettext("Payment for order %(number)s is confirmed.")
    assert message % {"number": order.number} in page
    assert after.context["instructions"] is None
    assert after.context["can_confirm"] is False
    assert [p.pk for p in after.context["payments"]] == [payment.pk]


def test_a_wrong_amount_is_refused_and_nothing_changes(client, shop):
    client.force_login(shop.staff)
    order = shop.transfer_order
    before = db_state()

    response = client.post(url("order_confirm_payment", order), {"amount": "150.000"})

    assert response.status_code == 400
    page = response.content.decode()
    assert escape(AmountMismatch(order=order, amount=150000).message) in page
    assert 'value="150.000"' in page  # what was typed is kept
    assert db_state() == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "This field is required."),
        ("12,5", "Enter the amount received in whole Rupiah, e.g. 150.123."),
        ("-5000", "Enter the amount received in whole Rupiah, e.g. 150.123."),
    ],
)
def test_the_amount_must_be_typed_in_whole_rupiah(client, shop, amount, message):
    client.force_login(shop.admin)
    before = db_state()
    response = client.post(url("order_confirm_payment", shop.transfer_order), {"amount": amount})
    assert response.status_code == 400
    assert response.context["confirm_form"].errors == {"amount": [translation.gettext(message)]}
    assert db_state() == before


def test_confirming_a_paid_order_again_is_a_conflict(client, shop):
    order = shop.qris_order
    payment_confirm(order=order, actor=shop.staff)
    client.force_login(shop.admin)
    before = db_state()

    response = client.post(url("order_confirm_payment", order), {"amount": "300.000"})

    assert response.status_code == 409
    expected = InvalidTransition(order=fresh(order), target="paid").message
    assert escape(expected) in response.content.decode()
    assert db_state() == before


def test_cancel_gives_the_stock_back_once(client, shop):
    order = shop.qris_order
    assert stock(shop.world.shirt) == 7
    client.force_login(shop.staff)

    response = client.post(url("order_cancel", order), {"reason": "Pembeli tidak datang"})

    assert response.status_code == 302
    order = fresh(order)
    assert (order.status, order.cancel_reason) == ("cancelled", "Pembeli tidak datang")
    assert stock(shop.world.shirt) == 9
    entry = order_audit(order).get(action="order.cancelled")
    assert entry.actor == shop.staff
    assert entry.changes == {
        "status": ["awaiting_payment", "cancelled"],
        "reason": "Pembeli tidak datang",
    }
    # Again: refused as a conflict, the stock stays where it is.
    before = db_state()
    again = client.post(url("order_cancel", order), {"reason": "Lagi"})
    assert again.status_code == 409
    expected = InvalidTransition(order=order, target="cancelled").message
    assert escape(expected) in again.content.decode()
    assert db_state() == before
    # The other booth's order of the same checkout is untouched.
    assert fresh(shop.amplang_order).status == "awaiting_payment"
    assert stock(shop.snack) == 7


def test_cancel_needs_a_reason(client, shop):
    client.force_login(shop.admin)
    before = db_state()
    response = client.post(url("order_cancel", shop.qris_order), {"reason": "  "})
    assert response.status_code == 400
    assert list(response.context["cancel_form"].errors) == ["reason"]
    assert db_state() == before


# --- refunds ------------------------------------------------------------------------


def test_refund_a_paid_order_after_cancelling_it(client, shop):
    order = shop.qris_order
    payment = payment_confirm(order=order, actor=shop.staff)
    client.force_login(shop.admin)
    assert client.post(url("order_cancel", order), {"reason": "Stok rusak"}).status_code == 302
    page = client.get(url("order", order))
    assert (page.context["refund_due"], page.context["can_refund"]) == (300000, True)

    response = client.post(
        url("order_refund", order),
        {"amount": "Rp300.000", "method": "transfer", "reason": "Stok rusak", "reference": "BRI-1"},
    )

    assert response.status_code == 302
    refund = Refund.objects.get(order=order)
    assert (refund.amount, refund.method, refund.reason, refund.reference) == (
        300000,
        "transfer",
        "Stok rusak",
        "BRI-1",
    )
    assert (refund.recorded_by, refund.payment) == (shop.admin, payment)
    entry = AuditEntry.objects.get(action="payment.refund")
    assert (entry.actor, entry.organizer) == (shop.admin, shop.expo.organizer)
    assert Payment.objects.get(pk=payment.pk).status == "refunded"
    after = client.get(response["Location"])
    assert (after.context["refund_due"], after.context["can_refund"]) == (0, False)
    message = translation.gettext("A refund of %(amount)s for order %(number)s is recorded.")
    assert message % {"amount": "Rp300.000", "number": order.number} in after.content.decode()


def test_a_refund_above_what_was_paid_is_refused(client, shop):
    order = shop.qris_order
    payment_confirm(order=order, actor=shop.staff)
    client.force_login(shop.staff)
    before = db_state()

    response = client.post(
        url("order_refund", order), {"amount": "300.001", "method": "cash", "reason": "Salah"}
    )

    assert response.status_code == 400
    assert list(response.context["refund_form"].errors) == ["amount"]
    assert "Rp300.000" in response.context["refund_form"].errors["amount"][0]
    assert db_state() == before


def test_an_unpaid_order_has_nothing_to_refund(client, shop):
    client.force_login(shop.admin)
    before = db_state()
    response = client.post(
        url("order_refund", shop.transfer_order),
        {"amount": "1000", "method": "cash", "reason": "Coba"},
    )
    assert response.status_code == 409
    assert list(response.context["refund_form"].errors) == ["__all__"]
    assert db_state() == before


# --- the CSV ------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export_content(client, shop):
    created = {
        shop.qris_order: datetime.datetime(2021, 11, 24, 2, 0, tzinfo=UTC),  # 10.00 WITA
        shop.amplang_order: datetime.datetime(2021, 11, 24, 2, 0, tzinfo=UTC),
        shop.transfer_order: datetime.datetime(2021, 11, 24, 17, 30, tzinfo=UTC),  # 25th, 01.30
    }
    for order, at in created.items():
        Order.objects.filter(pk=order.pk).update(created_at=at)
    payment_confirm(
        order=shop.qris_order,
        actor=shop.staff,
        now=datetime.datetime(2021, 11, 24, 3, 15, tzinfo=UTC),  # 11.15 WITA
    )
    refund_record(
        order=shop.qris_order, actor=shop.staff, amount=1000, method="cash", reason="Salah hitung"
    )
    refund_record(
        order=shop.qris_order, actor=shop.staff, amount=500, method="cash", reason="Ongkos"
    )
    client.force_login(shop.admin)

    response = client.get(reverse("console:orders_export", args=[shop.expo.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="gelar-{shop.expo.slug}-orders-'
    )
    with translation.override("id"):
        header = exports_orders.columns()
        pickup, courier = str(Order.Delivery.PICKUP.label), str(Order.Delivery.COURIER.label)
        qris, transfer = (
            str(Order.PaymentMethod.QRIS.label),
            str(Order.PaymentMethod.TRANSFER.label),
        )
        paid, awaiting = str(Order.Status.PAID.label), str(Order.Status.AWAITING_PAYMENT.label)
    amplang, dewi = shop.amplang_order, shop.transfer_order
    assert read_csv(response) == [
        header,
        [
            shop.qris_order.number,
            "2021-11-24 10:00",
            "Batik Sekar Jagad",
            "Rina Kusuma",
            "6281234567890",
            pickup,
            qris,
            paid,
            "300000",
            "0",
            "300000",
            "2021-11-24 11:15",
            "1500",
        ],
        [
            amplang.number,
            "2021-11-24 10:00",
            "Amplang Café Banjarbaru",
            "Rina Kusuma",
            "6281234567890",
            courier,
            transfer,
            awaiting,
            "75000",
            str(amplang.unique_code),
            str(75000 + amplang.unique_code),
            "",
            "0",
        ],
        [
            dewi.number,
            "2021-11-25 01:30",
            "Batik Sekar Jagad",
            "Dewi Lestari",
            "6285712345678",
            courier,
            transfer,
            awaiting,
            "150000",
            str(dewi.unique_code),
            str(150000 + dewi.unique_code),
            "",
            "0",
        ],
    ]
    assert header[0] == translation.gettext("Order number")


def test_csv_export_keeps_the_lists_filters(client, shop):
    client.force_login(shop.staff)
    target = reverse("console:orders_export", args=[shop.expo.slug])
    rows = read_csv(client.get(target, {"status": "awaiting_payment", "method": "transfer"}))
    assert [row[0] for row in rows[1:]] == [shop.amplang_order.number, shop.transfer_order.number]
    list_page = client.get(list_url(shop), {"method": "qris"}).content.decode()
    assert f'href="{target}?method=qris"' in list_page


def test_csv_export_defuses_formulas_in_buyer_names(client, shop):
    checkout = submit(
        shop.world,
        [(shop.world.shirt, 1)],
        key="formula",
        buyer=BuyerInfo(name='=HYPERLINK("http://evil.example","klik")', whatsapp="081234567890"),
        delivery=PICKUP,
        payment_method="cash",
    )
    client.force_login(shop.admin)
    rows = read_csv(client.get(reverse("console:orders_export", args=[shop.expo.slug])))
    row = next(row for row in rows if row[0] == checkout.orders.get().number)
    assert row[3] == '\'=HYPERLINK("http://evil.example","klik")'


@pytest.mark.parametrize("number", ["%00", "PHE21%00", "x" * 300, "%F0%9F%9B%8D"])
def test_a_malformed_number_is_404_not_an_error(client, shop, number):
    client.force_login(shop.staff)
    assert client.get(f"/console/{shop.expo.slug}/orders/{number}/").status_code == 404
