"""The exhibitor's order pages: three users on every URL, the actions through the
order services, the list's filters and query count, and the packing slip.

One checkout buys from two booths of the Pekalongan expo: the batik shop (owner
Siti, staff Budi) and the amplang seller, owned by Joko -- the outsider here,
who has an order of his own in the very same checkout.
"""

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product
from gelar.exhibitors.models import Exhibitor
from gelar.orders.models import Checkout, Order, OrderLine
from gelar.orders.services import (
    AmountMismatch,
    BuyerInfo,
    DeliveryInfo,
    InvalidTransition,
    LineRequest,
    OrderExpired,
    checkout_submit,
    order_mark_paid,
    reservations_expire,
)
from gelar.payments.models import ExhibitorPaymentSettings, Payment
from gelar.testing import (
    build_expo,
    make_exhibitor_member,
    make_payment_settings,
    make_product,
    make_user,
)

pytestmark = pytest.mark.django_db

BUYER = BuyerInfo(name="Rina Kusuma", whatsapp="0812-3456-7890", email="rina@example.com")
PICKUP = DeliveryInfo(method="pickup")
COURIER = DeliveryInfo(
    method="courier",
    address="Jl. Hayam Wuruk 5",
    city="Kota Pekalongan",
    postal_code="51111",
    note="Titip di pos satpam",
)
# A static ShopeePay QRIS as published in Netzme's API documentation (see
# gelar/payments/tests/test_qris.py): the batik shop's code in these tests.
GULU_GULU = (
    "00020101021126570016ID.CO.SHOPEE.WWW0118936009180000001402020413500303UME"
    "51440014ID.CO.QRIS.WWW0215ID10190045322970303UME5204581253033605802ID"
    "5925Gulu Gulu Mall Ambassador6015Jakarta Selatan61051294062070703A01630494FA"
)


@dataclass
class Shop:
    world: object
    batik: Exhibitor
    amplang: Exhibitor
    shirt: Product
    snack: Product
    owner: object
    staff: object
    outsider: object
    qris_order: Order  # batik, pick-up, QRIS: 2 shirts
    other_order: Order  # amplang's order from the same checkout
    courier_order: Order  # batik, courier, bank transfer: 1 shirt


def submit(world, lines, *, key, delivery, payment_method, buyer=BUYER, now=None) -> Checkout:
    return checkout_submit(
        expo=world.expo,
        buyer=buyer,
        lines=[LineRequest(product_id=p.pk, quantity=q) for p, q in lines],
        idempotency_key=key,
        delivery=delivery,
        payment_method=payment_method,
        now=now,
    )


@pytest.fixture
def shop() -> Shop:
    world = build_expo()
    batik, amplang = world.batik, world.amplang
    world.shirt.stock = 10
    world.shirt.save(update_fields=["stock"])
    snack = Product.objects.get(exhibitor=amplang)
    owner = make_user(email="siti@example.com", full_name="Siti Rahmawati")
    staff = make_user(email="budi@example.com", full_name="Budi Santoso")
    outsider = make_user(email="joko@example.com", full_name="Joko Amplang")
    make_exhibitor_member(exhibitor=batik, user=owner, role="owner")
    make_exhibitor_member(exhibitor=batik, user=staff, role="staff")
    make_exhibitor_member(exhibitor=amplang, user=outsider, role="owner")
    ExhibitorPaymentSettings.objects.create(
        exhibitor=batik,
        qris_payload=GULU_GULU,
        qris_merchant_name="Gulu Gulu Mall Ambassador",
        bank_name="BRI",
        bank_account_number="0123456789",
        bank_account_holder="Siti Rahmawati",
    )
    make_payment_settings(exhibitor=amplang, qris=False, cash=False)
    first = submit(
        world,
        [(world.shirt, 2), (snack, 3)],
        key="checkout-1",
        delivery={batik.pk: PICKUP, amplang.pk: COURIER},
        payment_method={batik.pk: "qris", amplang.pk: "transfer"},
    )
    second = submit(
        world,
        [(world.shirt, 1)],
        key="checkout-2",
        buyer=BuyerInfo(name="Dewi Lestari", whatsapp="085712345678"),
        delivery=COURIER,
        payment_method="transfer",
    )
    return Shop(
        world=world,
        batik=batik,
        amplang=amplang,
        shirt=world.shirt,
        snack=snack,
        owner=owner,
        staff=staff,
        outsider=outsider,
        qris_order=first.orders.get(exhibitor=batik),
        other_order=first.orders.get(exhibitor=amplang),
        courier_order=second.orders.get(),
    )


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def db_state() -> dict:
    """Every row an order page can change, to prove that a refused request changed nothing."""
    models = (Order, OrderLine, Product, Payment, AuditEntry)
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def url(name: str, order: Order, slug: str | None = None) -> str:
    return reverse(f"dashboard:{name}", args=[slug or order.exhibitor.slug, order.number])


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def order_audit(order: Order):
    return AuditEntry.objects.filter(object_type="orders.order", object_id=str(order.pk))


# --- three users on every URL -----------------------------------------------------

ORDER_PAGES = {
    "order": {},
    "order_slip": {},
    "order_confirm_payment": {"amount": ""},
    "order_status": {"status": "processing"},
    "order_cancel": {"reason": "Diambil alih"},
}
POST_ONLY = {"order_confirm_payment", "order_status", "order_cancel"}


@pytest.mark.parametrize("name", ["orders", *sorted(ORDER_PAGES)])
def test_outsider_gets_404_and_changes_nothing(client, shop, name):
    client.force_login(shop.outsider)
    if name == "orders":
        target, body = reverse("dashboard:orders", args=[shop.batik.slug]), {}
    else:
        target, body = url(name, shop.qris_order), ORDER_PAGES[name]
    before = db_state()

    assert client.get(target).status_code == 404
    assert client.post(target, body).status_code == 404
    assert db_state() == before
    assert fresh(shop.qris_order).status == "awaiting_payment"
    assert stock(shop.shirt) == 7


@pytest.mark.parametrize("who", ["owner", "staff"])
@pytest.mark.parametrize("name", sorted(ORDER_PAGES))
def test_team_opens_every_order_page(client, shop, who, name):
    client.force_login(getattr(shop, who))
    response = client.get(url(name, shop.qris_order))
    assert response.status_code == (405 if name in POST_ONLY else 200)


def test_anonymous_is_sent_to_sign_in(client, shop):
    response = client.get(url("order", shop.qris_order))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("name", sorted(ORDER_PAGES))
def test_another_booths_order_from_the_same_checkout_is_404(client, shop, name):
    """The amplang order shares the checkout, not the business: 404 under the batik slug."""
    assert shop.other_order.checkout_id == shop.qris_order.checkout_id
    client.force_login(shop.owner)
    target = url(name, shop.other_order, slug=shop.batik.slug)
    before = db_state()

    assert client.get(target).status_code == 404
    assert client.post(target, ORDER_PAGES[name]).status_code == 404
    assert db_state() == before


def test_unknown_number_is_404(client, shop):
    client.force_login(shop.owner)
    response = client.get(reverse("dashboard:order", args=[shop.batik.slug, "PHE21-999999"]))
    assert response.status_code == 404


# --- payment ----------------------------------------------------------------------


def test_owner_confirms_a_qris_payment(client, shop):
    client.force_login(shop.owner)
    order = shop.qris_order

    response = client.post(url("order_confirm_payment", order), {"amount": ""})

    assert response.status_code == 302
    assert response["Location"] == url("order", order)
    order = fresh(order)
    assert order.status == "paid"
    assert order.paid_at is not None
    payment = Payment.objects.get(order=order)
    assert (payment.method, payment.amount, payment.status) == ("qris", 300000, "confirmed")
    assert payment.confirmed_by == shop.owner
    paid = order_audit(order).get(action="order.paid")
    assert paid.actor == shop.owner
    assert paid.changes == {"status": ["awaiting_payment", "paid"], "amount": 300000}
    assert stock(shop.shirt) == 7  # the reservation became a sale
    after = client.get(response["Location"])
    page = after.content.decode()
    assert gettext("Payment for order %(number)s is confirmed.") % {"number": order.number} in page
    assert "order.paid" in page  # the history
    assert after.context["can_confirm"] is False
    assert after.context["instructions"] is None


def test_confirm_with_the_exact_transfer_amount(client, shop):
    client.force_login(shop.staff)
    order = shop.courier_order
    typed = f"Rp{order.total:,}".replace(",", ".")  # e.g. "Rp150.123"

    response = client.post(url("order_confirm_payment", order), {"amount": typed})

    assert response.status_code == 302
    assert fresh(order).status == "paid"
    assert Payment.objects.get(order=order).confirmed_by == shop.staff


def test_a_wrong_amount_is_refused_next_to_the_field(client, shop):
    client.force_login(shop.owner)
    order = shop.courier_order
    before = db_state()

    response = client.post(url("order_confirm_payment", order), {"amount": "150.000"})

    assert response.status_code == 200
    message = AmountMismatch(order=order, amount=150000).message
    page = response.content.decode()
    assert escape(message) in page
    assert 'value="150.000"' in page  # what was typed is kept
    assert db_state() == before


def test_a_malformed_amount_is_a_form_error(client, shop):
    client.force_login(shop.owner)
    before = db_state()
    response = client.post(url("order_confirm_payment", shop.courier_order), {"amount": "12,5"})
    assert response.status_code == 200
    assert response.context["confirm_form"].errors == {
        "amount": [gettext("Enter the amount received in whole Rupiah, e.g. 150.123.")]
    }
    assert db_state() == before


def test_confirming_an_expired_order_shows_why_and_changes_nothing(client, shop):
    order = shop.qris_order
    assert reservations_expire(now=timezone.now() + timezone.timedelta(hours=1)) == 3
    assert stock(shop.shirt) == 10
    client.force_login(shop.owner)
    before = db_state()

    response = client.post(url("order_confirm_payment", order), {"amount": ""})

    assert response.status_code == 200
    expected = OrderExpired(order=fresh(order)).message
    assert escape(expected) in response.content.decode()
    assert db_state() == before
    assert fresh(order).status == "expired"
    assert not Payment.objects.exists()


# --- the order's life -------------------------------------------------------------


def test_shipped_with_courier_and_tracking_number(client, shop):
    order = shop.courier_order
    order_mark_paid(order=order, actor=shop.owner)
    client.force_login(shop.staff)

    response = client.post(
        url("order_status", order),
        {"status": "shipped", "courier": " JNE ", "tracking_number": "JP1234567890"},
    )

    assert response.status_code == 302
    order = fresh(order)
    assert (order.status, order.tracking_number) == ("shipped", "JNE JP1234567890")
    entry = order_audit(order).get(action="order.shipped")
    assert entry.actor == shop.staff
    assert entry.changes == {
        "status": ["paid", "shipped"],
        "tracking_number": "JNE JP1234567890",
    }
    page = client.get(url("order", order)).content.decode()
    assert "JNE JP1234567890" in page
    assert client.post(url("order_status", order), {"status": "completed"}).status_code == 302
    assert fresh(order).status == "completed"


def test_a_too_long_tracking_text_is_a_form_error(client, shop):
    order = shop.courier_order
    order_mark_paid(order=order, actor=shop.owner)
    client.force_login(shop.owner)
    before = db_state()
    response = client.post(
        url("order_status", order),
        {"status": "shipped", "courier": "K" * 30, "tracking_number": "9" * 40},
    )
    assert response.status_code == 200
    assert list(response.context["status_form"].errors) == ["tracking_number"]
    assert 'value="' + "9" * 40 + '"' in response.content.decode()
    assert db_state() == before


def test_processing_then_ready_for_pick_up(client, shop):
    order = shop.qris_order
    order_mark_paid(order=order, actor=shop.owner)
    client.force_login(shop.owner)

    assert client.post(url("order_status", order), {"status": "processing"}).status_code == 302
    assert fresh(order).status == "processing"
    # A pick-up order is never shipped: the service says why, nothing changes.
    before = db_state()
    response = client.post(url("order_status", order), {"status": "shipped"})
    assert response.status_code == 200
    expected = gettext(
        "Order %(number)s is delivered by %(delivery)s; it cannot become %(target)s."
    ) % {
        "number": order.number,
        "delivery": Order.Delivery.PICKUP.label,
        "target": Order.Status.SHIPPED.label,
    }
    assert escape(expected) in response.content.decode()
    assert db_state() == before
    assert (
        client.post(url("order_status", order), {"status": "ready_for_pickup"}).status_code == 302
    )
    assert fresh(order).status == "ready_for_pickup"
    assert [e.action for e in order_audit(order).order_by("pk")] == [
        "order.create",
        "order.paid",
        "order.processing",
        "order.ready_for_pickup",
    ]


def test_unpaid_order_cannot_be_marked_processing(client, shop):
    client.force_login(shop.owner)
    order = shop.qris_order
    before = db_state()
    response = client.post(url("order_status", order), {"status": "processing"})
    assert response.status_code == 200
    expected = InvalidTransition(order=order, target="processing").message
    assert escape(expected) in response.content.decode()
    assert db_state() == before


def test_cancel_gives_the_stock_back_exactly_once(client, shop):
    order = shop.qris_order
    assert stock(shop.shirt) == 7
    client.force_login(shop.owner)

    response = client.post(url("order_cancel", order), {"reason": "Stok rusak kena air"})

    assert response.status_code == 302
    order = fresh(order)
    assert (order.status, order.cancel_reason) == ("cancelled", "Stok rusak kena air")
    assert stock(shop.shirt) == 9
    # Again (a double tap, or a second tab): refused, the stock stays where it is.
    before = db_state()
    again = client.post(url("order_cancel", order), {"reason": "Lagi"})
    assert again.status_code == 200
    expected = InvalidTransition(order=order, target="cancelled").message
    assert escape(expected) in again.content.decode()
    assert db_state() == before
    assert stock(shop.shirt) == 9
    assert order_audit(order).filter(action="order.cancelled").count() == 1
    # The other booth's order of the same checkout is untouched.
    assert fresh(shop.other_order).status == "awaiting_payment"
    assert stock(shop.snack) == 7


def test_cancel_needs_a_reason(client, shop):
    client.force_login(shop.owner)
    before = db_state()
    response = client.post(url("order_cancel", shop.qris_order), {"reason": "  "})
    assert response.status_code == 200
    assert list(response.context["cancel_form"].errors) == ["reason"]
    assert db_state() == before


# --- what the pages show ----------------------------------------------------------


def test_order_page_shows_lines_buyer_and_what_to_match(client, shop):
    client.force_login(shop.staff)
    order = shop.courier_order

    response = client.get(url("order", order))

    page = response.content.decode()
    assert response.context["lines"][0].product_name == "Kemeja Batik Tulis Sekar Jagad"
    assert "Dewi Lestari" in page
    assert "+6285712345678" in page
    assert "Jl. Hayam Wuruk 5" in page and "51111" in page
    assert "Titip di pos satpam" in page
    instructions = response.context["instructions"]
    assert instructions.total == order.total == 150000 + order.unique_code
    assert instructions.reference == order.number
    assert instructions.unique_code == order.unique_code
    assert "Rp" + f"{order.total:,}".replace(",", ".") in page
    assert "0123456789" in page
    # WhatsApp to the buyer, with a message naming the order.
    link = response.context["whatsapp_url"]
    assert link.startswith("https://wa.me/6285712345678?text=")
    assert quote(order.number, safe="") in link
    assert escape(link) in page
    assert "order.create" in page
    assert [e.action for e in response.context["history"]] == ["order.create"]


def test_packing_slip_shows_the_lines_and_the_number_as_qr(client, shop):
    client.force_login(shop.owner)
    order = shop.qris_order

    response = client.get(url("order_slip", order))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Kemeja Batik Tulis Sekar Jagad" in page
    assert "2&times;" in page
    assert "Rina Kusuma" in page
    assert page.count(order.number) >= 2  # as text (and in the title)
    assert "<svg" in page and 'role="img"' in page
    assert f"{order.number}" in response.context["qr_svg"]  # its accessible name
    assert "dash-tabs" not in page  # no dashboard navigation on the slip
    narrow = client.get(url("order_slip", order) + "?paper=58mm")
    assert 'class="slip slip-58"' in narrow.content.decode()


def test_order_list_rows_tabs_and_countdown(client, shop):
    client.force_login(shop.owner)
    order_mark_paid(order=shop.courier_order, actor=shop.owner)

    response = client.get(reverse("dashboard:orders", args=[shop.batik.slug]))

    page = response.content.decode()
    rows = list(response.context["page"].object_list)
    assert [o.number for o in rows] == [shop.courier_order.number, shop.qris_order.number]
    assert [o.item_count for o in rows] == [1, 2]
    assert shop.other_order.number not in page
    counts = {tab["query"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {
        "": 2,
        "status=awaiting_payment": 1,
        "status=paid": 1,
        "status=processing": 0,
        "status=sent": 0,
        "status=completed": 0,
        "status=closed": 0,
    }
    assert "Rina Kusuma" in page and "Dewi Lestari" in page
    assert "Rp300.000" in page
    # The awaiting order shows how long its stock is held.
    assert page.count("order-hold") == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "awaiting_payment"}, ["qris"]),
        ({"status": "paid"}, ["courier"]),
        ({"status": "closed"}, []),
        ({"q": "dewi"}, ["courier"]),
        ({"q": "rina kusuma"}, ["qris"]),
        ({"status": "nonsense"}, ["courier", "qris"]),
        ({"expo": "999999"}, []),
    ],
)
def test_order_list_filters(client, shop, params, expected):
    order_mark_paid(order=shop.courier_order, actor=shop.owner)
    client.force_login(shop.staff)
    response = client.get(reverse("dashboard:orders", args=[shop.batik.slug]), params)
    numbers = [o.number for o in response.context["page"].object_list]
    assert numbers == [getattr(shop, f"{name}_order").number for name in expected]


def test_order_list_search_by_number_and_expo(client, shop):
    client.force_login(shop.owner)
    target = reverse("dashboard:orders", args=[shop.batik.slug])
    number = shop.qris_order.number
    by_number = client.get(target, {"q": number[-4:]})
    assert [o.number for o in by_number.context["page"].object_list] == [number]
    by_expo = client.get(target, {"expo": shop.world.expo.pk})
    assert len(by_expo.context["page"].object_list) == 2


def test_order_list_queries_do_not_grow_with_orders(client, shop):
    client.force_login(shop.owner)
    target = reverse("dashboard:orders", args=[shop.batik.slug])
    client.get(target)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(target).status_code == 200

    extra = [
        make_product(exhibitor=shop.batik, name=f"Batik {i}", stock=50, images=0) for i in range(3)
    ]
    for i in range(30):
        submit(
            shop.world,
            [(extra[i % 3], 1 + i % 2), (extra[(i + 1) % 3], 1)],
            key=f"many-{i}",
            buyer=BuyerInfo(name=f"Pembeli {i}", whatsapp="081234567890"),
            delivery=COURIER,
            payment_method="transfer" if i % 2 else "qris",
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get(target)

    assert len(response.context["page"].object_list) == 25
    assert len(large.captured_queries) == len(small.captured_queries), [
        q["sql"][:80] for q in large.captured_queries
    ]


@pytest.mark.parametrize("number", ["%00", "PHE21%00", "x" * 300, "%F0%9F%9B%8D"])
def test_a_malformed_number_is_404_not_an_error(client, shop, number):
    client.force_login(shop.owner)
    assert client.get(f"/umkm/{shop.batik.slug}/pesanan/{number}/").status_code == 404
