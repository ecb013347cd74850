"""Checkout, the stock it reserves, and the life of an order.

Stock is the scarce thing (gelar.catalog.models.Product.stock, the one stock
shared by the shop and the booth). A checkout reserves it in ONE transaction:
the product rows are locked late (after every check that needs no lock), in
pk order (two carts holding the same products in another order cannot
deadlock), availability is re-checked under the lock and every shortfall is
reported at once; then each row is decremented with a conditional UPDATE
(`stock >= q`) whose row count is checked, so even a write that bypassed the
lock could not take the stock below zero. On SQLite the lock clause is a no-op:
transactions are IMMEDIATE (settings), so writers serialise anyway.

A reservation lasts RESERVATION_MINUTES. Payment turns it into a sale (the
stock stays decremented); cancel and expiry give it back. Giving back happens
only on the transition into CANCELLED or EXPIRED, which are terminal and reached
by one conditional change of the status, so the stock comes back exactly once
however often (or however concurrently) a cancel or the expiry job runs.
gelar/orders/tests/test_stock_concurrency.py proves both on PostgreSQL and SQLite.
"""

import dataclasses
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record
from gelar.catalog.models import Product
from gelar.catalog.selectors import public_products
from gelar.catalog.signals import send_products_changed
from gelar.common.validators import normalize_whatsapp
from gelar.events.models import Expo
from gelar.exhibitors.models import Participation
from gelar.live.models import Pin
from gelar.ops import metrics as ops_metrics
from gelar.orders.models import MAX_LINE_QUANTITY, Checkout, Order, OrderLine
from gelar.payments.methods import payment_methods_by_exhibitor

RESERVATION_MINUTES = 15
# Cash is paid at the booth: the buyer needs time to reach the venue. Once the
# exhibitor marks the order ready for pick-up it no longer expires (see TRANSITIONS).
CASH_RESERVATION_MINUTES = 180
# More distinct products than any real cart; bounds the work one request can ask for.
MAX_CHECKOUT_LINES = 50

Status = Order.Status
Method = Order.PaymentMethod
DeliveryMethod = Order.Delivery

# The order's life. CANCELLED and EXPIRED give the stock back; they and COMPLETED
# are terminal, so no order can give its stock back twice. order_targets narrows
# these by delivery and payment: a cash order may be made ready for pick-up before
# it is paid (the buyer pays at the hand-over), and nothing unpaid is completed.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.AWAITING_PAYMENT: frozenset({Status.PAID, Status.CANCELLED, Status.EXPIRED}),
    Status.PAID: frozenset(
        {Status.PROCESSING, Status.SHIPPED, Status.READY_FOR_PICKUP, Status.CANCELLED}
    ),
    Status.PROCESSING: frozenset({Status.SHIPPED, Status.READY_FOR_PICKUP, Status.CANCELLED}),
    Status.SHIPPED: frozenset({Status.COMPLETED}),
    Status.READY_FOR_PICKUP: frozenset({Status.COMPLETED, Status.CANCELLED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.EXPIRED: frozenset(),
}
RELEASES_STOCK = frozenset({Status.CANCELLED, Status.EXPIRED})
# Statuses that only make sense for some deliveries.
NEEDS_DELIVERY = {
    Status.SHIPPED: frozenset({DeliveryMethod.COURIER, DeliveryMethod.LOCAL}),
    Status.READY_FOR_PICKUP: frozenset({DeliveryMethod.PICKUP}),
}

_POSTAL_CODE = re.compile(r"^\d{5}$")
_KEY = re.compile(r"^[\x21-\x7e]{1,64}$")  # printable ASCII, no spaces


# --- what the caller passes -------------------------------------------------------


@dataclass(frozen=True)
class BuyerInfo:
    name: str
    whatsapp: str
    email: str = ""


@dataclass(frozen=True)
class LineRequest:
    """All a client may say about a line: which product and how many -- never a price.

    `pin_id`: the live pin the product was bought from, for the session's stats; a
    pin of another expo or another product is ignored (never fails a checkout).
    """

    product_id: int
    quantity: int
    pin_id: int | None = None


@dataclass(frozen=True)
class DeliveryInfo:
    method: str
    address: str = ""
    city: str = ""
    postal_code: str = ""
    note: str = ""


# --- errors -----------------------------------------------------------------------


class OrderError(Exception):
    """A rule said no; `message` is for the buyer or exhibitor, `field` the form field."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class CheckoutInvalid(OrderError):
    """The request itself is wrong: buyer, quantities, delivery, payment method, key."""


class ProductsUnavailable(OrderError):
    """Products that are unknown, inactive or not sold publicly in this expo."""

    def __init__(self, *, product_ids: Sequence[int]) -> None:
        super().__init__(
            _("Some products in the cart are no longer for sale; please remove them."),
            field="lines",
            code="products_unavailable",
        )
        self.product_ids = list(product_ids)


class Shortfall(NamedTuple):
    product: Product
    requested: int
    available: int


class OutOfStock(OrderError):
    """Not enough stock for one or more lines; lists every short product at once."""

    def __init__(self, *, shortfalls: Sequence[Shortfall]) -> None:
        details = ", ".join(
            _("%(name)s (%(available)s left)") % {"name": s.product.name, "available": s.available}
            for s in shortfalls
        )
        super().__init__(
            _("Not enough stock: %(details)s.") % {"details": details},
            field="lines",
            code="out_of_stock",
        )
        self.shortfalls = list(shortfalls)


class IdempotencyKeyReused(OrderError):
    def __init__(self) -> None:
        super().__init__(
            _("This checkout was already submitted with other contents; please reload the cart."),
            field="idempotency_key",
            code="idempotency_key_reused",
        )


class InvalidTransition(OrderError):
    def __init__(self, *, order: Order, target: str, message: str = "") -> None:
        super().__init__(
            message
            or _("Order %(number)s is %(status)s; it cannot become %(target)s.")
            % {
                "number": order.number,
                "status": order.get_status_display(),
                "target": Status(target).label,
            },
            code="invalid_transition",
        )
        self.current = order.status
        self.target = target


class OrderExpired(InvalidTransition):
    """A payment for an order whose reservation has expired (its stock went back)."""

    def __init__(self, *, order: Order) -> None:
        super().__init__(
            order=order,
            target=Status.PAID,
            message=_(
                "Order %(number)s expired before it was paid and its stock was released; "
                "the payment cannot be accepted for it."
            )
            % {"number": order.number},
        )
        self.code = "order_expired"


class AmountMismatch(OrderError):
    def __init__(self, *, order: Order, amount: int) -> None:
        super().__init__(
            _("Order %(number)s costs Rp %(total)s, not Rp %(amount)s.")
            % {"number": order.number, "total": order.total, "amount": amount},
            field="amount",
            code="amount_mismatch",
        )


# --- checkout ---------------------------------------------------------------------


def checkout_submit(
    *,
    expo: Expo,
    buyer: BuyerInfo,
    lines: Sequence[LineRequest],
    idempotency_key: str,
    delivery: DeliveryInfo | Mapping[int, DeliveryInfo],
    payment_method: str | Mapping[int, str],
    now: datetime | None = None,
    lock: bool = True,
) -> Checkout:
    """Reserve the stock of every line and create one order per exhibitor.

    `delivery` and `payment_method` are one choice for every booth, or a mapping
    exhibitor id -> choice. Prices come from the products, never from the caller.
    The same idempotency key returns the same checkout and creates nothing (also
    when two submits race); with another request it raises IdempotencyKeyReused.
    Raises CheckoutInvalid, ProductsUnavailable, OutOfStock.
    `lock=False` exists only for the test that shows the race without the lock.
    """
    now = now or timezone.now()
    key = _clean_key(idempotency_key)
    buyer = _clean_buyer(buyer)
    quantities = _merge_lines(lines)
    delivery = _clean_choice(delivery, _clean_delivery)
    payment_method = _clean_choice(payment_method, _clean_payment_method)
    fingerprint = _fingerprint(
        expo=expo,
        buyer=buyer,
        quantities=quantities,
        delivery=delivery,
        payment_method=payment_method,
    )
    existing = _existing_checkout(key=key, fingerprint=fingerprint)
    if existing is not None:
        return existing

    if not expo.is_public:
        raise CheckoutInvalid(_("This expo is not open for orders."), code="expo_closed")
    sellable = {p.pk: p for p in public_products(expo=expo).filter(pk__in=list(quantities))}
    missing = sorted(set(quantities) - set(sellable))
    if missing:
        raise ProductsUnavailable(product_ids=missing)
    pins = _live_pins(expo=expo, lines=lines)
    exhibitors = {p.exhibitor_id: p.exhibitor for p in sellable.values()}
    accepted = payment_methods_by_exhibitor(exhibitor_ids=exhibitors)
    choices = {
        exhibitor_id: _booth_choice(
            expo=expo,
            exhibitor=exhibitor,
            delivery=delivery,
            payment_method=payment_method,
            accepted_methods=accepted[exhibitor_id],
        )
        for exhibitor_id, exhibitor in exhibitors.items()
    }

    try:
        with transaction.atomic():
            # First, so that a racing duplicate waits here (unique key) and then fails
            # before it has touched any stock.
            checkout = Checkout.objects.create(
                idempotency_key=key,
                fingerprint=fingerprint,
                expo=expo,
                buyer_name=buyer.name,
                buyer_whatsapp=buyer.whatsapp,
                buyer_email=buyer.email,
            )
            products = _reserve_stock(quantities=quantities, lock=lock)
            _stock_moved(quantities)
            by_exhibitor: dict[int, list[Product]] = defaultdict(list)
            for product in products:
                by_exhibitor[product.exhibitor_id].append(product)
            for exhibitor_id in sorted(by_exhibitor):
                _create_order(
                    checkout=checkout,
                    expo=expo,
                    exhibitor=exhibitors[exhibitor_id],
                    products=by_exhibitor[exhibitor_id],
                    quantities=quantities,
                    pins=pins,
                    choice=choices[exhibitor_id],
                    reserved_until=now + reservation_time(choices[exhibitor_id].payment_method),
                )
    except IntegrityError:
        existing = _existing_checkout(key=key, fingerprint=fingerprint)
        if existing is None:
            raise
        return existing
    except OutOfStock:
        ops_metrics.checkout_refused(reason="out_of_stock")
        raise
    return checkout


def _existing_checkout(*, key: str, fingerprint: str) -> Checkout | None:
    checkout = Checkout.objects.filter(idempotency_key=key).first()
    if checkout is not None and checkout.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return checkout


def _reserve_stock(*, quantities: Mapping[int, int], lock: bool) -> list[Product]:
    """Take the stock of every line, or none of it; the products in pk order."""
    ids = sorted(quantities)
    if not lock:
        return _reserve_stock_racy(quantities=quantities, ids=ids)
    products = list(Product.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    # Deactivated between the checks above and the lock.
    gone = sorted(set(ids) - {p.pk for p in products if p.is_active})
    if gone:
        raise ProductsUnavailable(product_ids=gone)
    shortfalls = [
        Shortfall(p, quantities[p.pk], p.stock) for p in products if p.stock < quantities[p.pk]
    ]
    if shortfalls:
        raise OutOfStock(shortfalls=shortfalls)
    for product in products:
        quantity = quantities[product.pk]
        taken = Product.objects.filter(pk=product.pk, stock__gte=quantity).update(
            stock=F("stock") - quantity
        )
        if not taken:
            # Only a write that bypassed the lock gets here; the condition still
            # kept the stock from going below zero.
            available = Product.objects.values_list("stock", flat=True).get(pk=product.pk)
            raise OutOfStock(shortfalls=[Shortfall(product, quantity, available)])
        product.stock -= quantity
    return products


def _reserve_stock_racy(*, quantities: Mapping[int, int], ids: list[int]) -> list[Product]:
    # The read-check-write the lock prevents; the concurrency test needs it to show
    # that it can see the race. Never used otherwise.
    products = list(Product.objects.filter(pk__in=ids).order_by("pk"))
    shortfalls = [
        Shortfall(p, quantities[p.pk], p.stock) for p in products if p.stock < quantities[p.pk]
    ]
    if shortfalls:
        raise OutOfStock(shortfalls=shortfalls)
    for product in products:
        product.stock -= quantities[product.pk]
        product.save(update_fields=["stock"])
    return products


@dataclass(frozen=True)
class _BoothChoice:
    delivery: DeliveryInfo
    payment_method: str


def _booth_choice(
    *, expo: Expo, exhibitor, delivery, payment_method, accepted_methods: Sequence[str]
) -> _BoothChoice:
    chosen_delivery = _for_booth(delivery, exhibitor=exhibitor, what=_("a delivery"))
    chosen_method = _for_booth(payment_method, exhibitor=exhibitor, what=_("a payment method"))
    if chosen_method not in accepted_methods:
        raise CheckoutInvalid(
            _("%(booth)s does not accept %(method)s; choose another payment method.")
            % {"booth": exhibitor.name, "method": Method(chosen_method).label},
            field="payment_method",
            code="payment_method_not_accepted",
        )
    if chosen_delivery.method == DeliveryMethod.PICKUP:
        at_venue = Participation.objects.filter(
            expo=expo,
            exhibitor=exhibitor,
            status=Participation.Status.ACCEPTED,
            mode=Participation.Mode.VENUE,
        ).exists()
        if not at_venue:
            raise CheckoutInvalid(
                _("%(booth)s sells online only; choose courier or local delivery.")
                % {"booth": exhibitor.name},
                field="delivery",
                code="no_pickup",
            )
    if chosen_method == Method.CASH and chosen_delivery.method != DeliveryMethod.PICKUP:
        raise CheckoutInvalid(
            _("Cash is paid on pick-up at the booth; choose another payment method for %(booth)s.")
            % {"booth": exhibitor.name},
            field="payment_method",
            code="cash_needs_pickup",
        )
    return _BoothChoice(delivery=chosen_delivery, payment_method=chosen_method)


def _for_booth(choice, *, exhibitor, what: str):
    if not isinstance(choice, Mapping):
        return choice
    if exhibitor.pk not in choice:
        raise CheckoutInvalid(
            _("Choose %(what)s for %(booth)s.") % {"what": what, "booth": exhibitor.name},
            code="choice_missing",
        )
    return choice[exhibitor.pk]


def _create_order(
    *,
    checkout: Checkout,
    expo: Expo,
    exhibitor,
    products: list[Product],
    quantities: Mapping[int, int],
    pins: Mapping[int, int],
    choice: _BoothChoice,
    reserved_until: datetime,
) -> Order:
    lines = [
        OrderLine(
            product=product,
            product_name=product.name,
            unit_price=product.price,
            quantity=quantities[product.pk],
            line_total=product.price * quantities[product.pk],
            live_pin_id=pins.get(product.pk),
        )
        for product in products
    ]
    subtotal = sum(line.line_total for line in lines)
    delivery = choice.delivery
    order = Order.objects.create(
        checkout=checkout,
        exhibitor=exhibitor,
        expo=expo,
        delivery_method=delivery.method,
        address=delivery.address,
        city=delivery.city,
        postal_code=delivery.postal_code,
        delivery_note=delivery.note,
        payment_method=choice.payment_method,
        subtotal=subtotal,
        # Shipping rates are not modelled yet: the exhibitor arranges the courier.
        shipping=0,
        total=subtotal,
        reserved_until=reserved_until,
    )
    # Numbers from the primary key: unique without a per-expo counter row that every
    # checkout of the expo would have to lock (a hot row in a flash sale). The price:
    # numbers have gaps and are not consecutive per expo.
    order.number = f"{order_number_prefix(expo)}-{order.pk:06d}"
    if order.payment_method == Method.TRANSFER:
        # 1..999 from the pk: orders placed close together get different codes, so
        # two transfers of the same price can be told apart.
        order.unique_code = order.pk % 999 + 1
        order.total = order.subtotal + order.shipping + order.unique_code
    order.save(update_fields=["number", "unique_code", "total"])
    for line in lines:
        line.order = order
    OrderLine.objects.bulk_create(lines)
    _audit(
        order,
        actor=None,
        action="order.create",
        changes={
            "status": order.status,
            "total": order.total,
            "lines": [[line.product_id, line.quantity, line.unit_price] for line in lines],
            "delivery": order.delivery_method,
            "payment_method": order.payment_method,
        },
    )
    return order


def reservation_time(payment_method: str) -> timedelta:
    """How long a checkout holds the stock of an order paid this way."""
    if payment_method == Method.CASH:
        return timedelta(minutes=CASH_RESERVATION_MINUTES)
    return timedelta(minutes=RESERVATION_MINUTES)


def order_number_prefix(expo: Expo | None) -> str:
    """The expo's initials and year, e.g. "PHE21" for Pekalongan Hybrid Expo 2021."""
    if expo is None:
        return "GLR"
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z]+", expo.name))[:4].upper()
    return f"{initials or 'GLR'}{expo.start_date:%y}"


# --- input cleaning -----------------------------------------------------------------


def _clean_key(key: str) -> str:
    if not isinstance(key, str) or not _KEY.match(key):
        raise CheckoutInvalid(
            _("The checkout key is missing or malformed; please reload the page."),
            field="idempotency_key",
            code="idempotency_key_invalid",
        )
    return key


def _clean_buyer(buyer: BuyerInfo) -> BuyerInfo:
    name = " ".join((buyer.name or "").split())
    if not name:
        raise CheckoutInvalid(_("Enter your name."), field="name", code="name_required")
    if len(name) > 200:
        raise CheckoutInvalid(
            _("The name can have at most 200 characters."), field="name", code="name_too_long"
        )
    try:
        whatsapp = normalize_whatsapp(buyer.whatsapp)
    except ValidationError as error:
        raise CheckoutInvalid(error.messages[0], field="whatsapp", code=error.code) from None
    email = (buyer.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CheckoutInvalid(
                _("Enter a valid email address, or leave it empty."),
                field="email",
                code="email_invalid",
            ) from None
    return BuyerInfo(name=name, whatsapp=whatsapp, email=email)


def _merge_lines(lines: Sequence[LineRequest]) -> dict[int, int]:
    """{product id: quantity}, duplicate products added together, each 1..100."""
    if not lines:
        raise CheckoutInvalid(_("The cart is empty."), field="lines", code="cart_empty")
    merged: dict[int, int] = defaultdict(int)
    for line in lines:
        product_id, quantity = line.product_id, line.quantity
        if not _is_int(product_id) or product_id <= 0:
            raise ProductsUnavailable(product_ids=[product_id])
        if not _is_int(quantity) or not 1 <= quantity <= MAX_LINE_QUANTITY:
            raise _bad_quantity()
        merged[product_id] += quantity
    if any(quantity > MAX_LINE_QUANTITY for quantity in merged.values()):
        raise _bad_quantity()
    if len(merged) > MAX_CHECKOUT_LINES:
        raise CheckoutInvalid(
            _("A checkout can hold at most %(max)s different products.")
            % {"max": MAX_CHECKOUT_LINES},
            field="lines",
            code="too_many_lines",
        )
    return dict(merged)


def _live_pins(*, expo: Expo, lines: Sequence[LineRequest]) -> dict[int, int]:
    """{product id: pin id} for the lines that name a pin of this expo and this product.

    Attribution only feeds the live stats: a stale, forged or foreign pin id is
    dropped silently rather than refusing the buyer's order. It is left out of the
    idempotency fingerprint for the same reason.
    """
    asked = {
        line.product_id: line.pin_id
        for line in reversed(lines)
        if _is_int(line.pin_id) and 0 < line.pin_id <= 2**63 - 1
    }
    if not asked:
        return {}
    found = set(
        Pin.objects.filter(
            pk__in=set(asked.values()), session__expo=expo, product_id__in=list(asked)
        ).values_list("pk", "product_id")
    )
    return {
        product_id: pin_id for product_id, pin_id in asked.items() if (pin_id, product_id) in found
    }


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bad_quantity() -> CheckoutInvalid:
    return CheckoutInvalid(
        _("Each quantity must be between 1 and %(max)s.") % {"max": MAX_LINE_QUANTITY},
        field="lines",
        code="quantity_invalid",
    )


def _clean_choice(choice, clean):
    if isinstance(choice, Mapping):
        return {exhibitor_id: clean(value) for exhibitor_id, value in choice.items()}
    return clean(choice)


def _clean_delivery(delivery: DeliveryInfo) -> DeliveryInfo:
    if not isinstance(delivery, DeliveryInfo) or delivery.method not in DeliveryMethod.values:
        raise CheckoutInvalid(
            _("Choose pick-up, courier or local delivery."),
            field="delivery",
            code="delivery_invalid",
        )
    note = " ".join((delivery.note or "").split())[:300]
    if delivery.method == DeliveryMethod.PICKUP:
        return DeliveryInfo(method=delivery.method, note=note)
    address = " ".join((delivery.address or "").split())
    city = " ".join((delivery.city or "").split())
    postal_code = (delivery.postal_code or "").strip()
    if not address or len(address) > 300:
        raise CheckoutInvalid(
            _("Enter the delivery address (at most 300 characters)."),
            field="address",
            code="address_required",
        )
    if not city or len(city) > 100:
        raise CheckoutInvalid(
            _("Enter the city or regency (at most 100 characters)."),
            field="city",
            code="city_required",
        )
    if (postal_code or delivery.method == DeliveryMethod.COURIER) and not _POSTAL_CODE.match(
        postal_code
    ):
        raise CheckoutInvalid(
            _("Enter the five-digit postal code."), field="postal_code", code="postal_code_invalid"
        )
    return DeliveryInfo(
        method=delivery.method, address=address, city=city, postal_code=postal_code, note=note
    )


def _clean_payment_method(method: str) -> str:
    if method not in Method.values:
        raise CheckoutInvalid(
            _("Choose a payment method."), field="payment_method", code="payment_method_invalid"
        )
    return str(method)


def _fingerprint(*, expo: Expo, buyer: BuyerInfo, quantities, delivery, payment_method) -> str:
    def plain(choice):
        if isinstance(choice, Mapping):
            return {str(k): plain(v) for k, v in choice.items()}
        return dataclasses.asdict(choice) if dataclasses.is_dataclass(choice) else choice

    request = {
        "expo": expo.pk,
        "buyer": dataclasses.asdict(buyer),
        "lines": sorted([product_id, quantity] for product_id, quantity in quantities.items()),
        "delivery": plain(delivery),
        "payment_method": plain(payment_method),
    }
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- the order's life -------------------------------------------------------------


def order_mark_paid(
    *, order: Order, actor, amount: int | None = None, now: datetime | None = None
) -> Order:
    """The payment arrived: the reservation becomes a sale (the stock stays taken).

    A payment landing after reserved_until but before the expiry job ran is
    accepted: the stock is still held for the order, so nothing is oversold.
    Raises OrderExpired, InvalidTransition, AmountMismatch.
    """
    now = now or timezone.now()
    with transaction.atomic():
        order = _locked(order)
        if order.status == Status.EXPIRED:
            raise OrderExpired(order=order)
        if amount is not None and amount != order.total:
            raise AmountMismatch(order=order, amount=amount)
        changes = {"amount": order.total if amount is None else amount}
        if order_awaits_payment(order) and order.status == Status.READY_FOR_PICKUP:
            # Cash at the hand-over: the order stays ready until it is marked completed.
            order.paid_at = now
            order.save(update_fields=["paid_at"])
            _audit(order, actor=actor, action="order.paid", changes=changes)
            return order
        return _transition(order, target=Status.PAID, actor=actor, paid_at=now, changes=changes)


def order_awaits_payment(order: Order) -> bool:
    """Unpaid and still payable: awaiting payment, or a cash order ready for pick-up."""
    if order.paid_at is not None:
        return False
    return order.status == Status.AWAITING_PAYMENT or (
        order.status == Status.READY_FOR_PICKUP and order.payment_method == Method.CASH
    )


def order_targets(order: Order) -> frozenset[str]:
    """The statuses the order may move to now: TRANSITIONS narrowed by delivery and payment.

    The one place these rules live: _transition enforces them under the lock and
    the dashboards read them to decide which buttons to show.
    """
    targets = set(TRANSITIONS[order.status])
    if order.status == Status.AWAITING_PAYMENT and order.payment_method == Method.CASH:
        targets.add(Status.READY_FOR_PICKUP)
    if order.paid_at is None:
        targets.discard(Status.COMPLETED)
    return frozenset(
        target
        for target in targets
        if order.delivery_method in NEEDS_DELIVERY.get(target, (order.delivery_method,))
    )


def order_cancel(*, order: Order, actor, reason: str, now: datetime | None = None) -> Order:
    """Cancel before shipping or collection; the stock goes back (once)."""
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > 300:
        raise OrderError(
            _("Give a reason for the cancellation (at most 300 characters)."),
            field="reason",
            code="reason_required",
        )
    now = now or timezone.now()
    with transaction.atomic():
        order = _locked(order)
        return _transition(
            order,
            target=Status.CANCELLED,
            actor=actor,
            cancelled_at=now,
            cancel_reason=reason,
            changes={"reason": reason},
        )


def order_set_status(*, order: Order, actor, status: str, tracking_number: str = "") -> Order:
    """Move a paid order along: processing, shipped, ready for pick-up, completed.

    Paying, cancelling and expiring have their own services (they move stock).
    """
    if status not in (
        Status.PROCESSING,
        Status.SHIPPED,
        Status.READY_FOR_PICKUP,
        Status.COMPLETED,
    ):
        raise ValueError(f"order_set_status cannot set {status!r}")
    tracking_number = tracking_number.strip()
    if len(tracking_number) > 64:
        raise OrderError(
            _("The tracking number can have at most 64 characters."),
            field="tracking_number",
            code="tracking_number_too_long",
        )
    with transaction.atomic():
        order = _locked(order)
        fields = {}
        if status == Status.SHIPPED and tracking_number:
            fields["tracking_number"] = tracking_number
        return _transition(order, target=status, actor=actor, changes=dict(fields), **fields)


def reservations_expire(*, now: datetime | None = None) -> int:
    """Expire every unpaid order past its reservation and give its stock back.

    The background job (`manage.py expire_reservations`). Each order is claimed
    by a conditional UPDATE of its status; only the run whose UPDATE changed the
    row gives the stock back, so two runs at once (or a payment racing the job)
    never return stock twice. One transaction per order keeps locks short.
    Returns how many orders this run expired.
    """
    now = now or timezone.now()
    candidates = list(
        Order.objects.filter(status=Status.AWAITING_PAYMENT, reserved_until__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    expired = 0
    for pk in candidates:
        with transaction.atomic():
            claimed = Order.objects.filter(
                pk=pk, status=Status.AWAITING_PAYMENT, reserved_until__lte=now
            ).update(status=Status.EXPIRED, cancelled_at=now)
            if not claimed:
                continue  # paid, cancelled or expired by another run meanwhile
            order = Order.objects.select_related("exhibitor", "expo__organizer").get(pk=pk)
            _release_stock(order)
            _audit(
                order,
                actor=None,
                action="order.expired",
                changes={"status": [Status.AWAITING_PAYMENT.value, Status.EXPIRED.value]},
            )
        expired += 1
    return expired


def _locked(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("exhibitor", "expo__organizer")
        .get(pk=order.pk)
    )


def _transition(order: Order, *, target: str, actor, changes: dict, **fields) -> Order:
    """Apply one allowed transition to a locked order, give stock back if it ends it."""
    if target not in order_targets(order):
        raise _refusal(order, target)
    before = order.status
    order.status = target
    for name, value in fields.items():
        setattr(order, name, value)
    order.save(update_fields=["status", *fields])
    if target in RELEASES_STOCK:
        _release_stock(order)
    _audit(
        order,
        actor=actor,
        action=f"order.{target}",
        changes={"status": [before, target], **changes},
    )
    return order


def _refusal(order: Order, target: str) -> InvalidTransition:
    """Why order_targets left `target` out, in the person's words."""
    if target == Status.COMPLETED and target in TRANSITIONS[order.status]:
        message = _("Order %(number)s is not paid yet; confirm the payment first.") % {
            "number": order.number
        }
        return InvalidTransition(order=order, target=target, message=message)
    if target in TRANSITIONS[order.status] and target in NEEDS_DELIVERY:
        message = _(
            "Order %(number)s is delivered by %(delivery)s; it cannot become %(target)s."
        ) % {
            "number": order.number,
            "delivery": order.get_delivery_method_display(),
            "target": Status(target).label,
        }
        return InvalidTransition(order=order, target=target, message=message)
    return InvalidTransition(order=order, target=target)


def _release_stock(order: Order) -> None:
    # pk order, like the checkout, so a release and a checkout cannot deadlock.
    lines = list(order.lines.order_by("product_id").values_list("product_id", "quantity"))
    for product_id, quantity in lines:
        Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)
    _stock_moved([product_id for product_id, _quantity in lines])


def _stock_moved(product_ids) -> None:
    """After commit, whoever listens (a live session pinning one of these) hears of it."""
    send_products_changed(product_ids)


def _audit(order: Order, *, actor, action: str, changes: dict) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=order,
        changes=changes,
        organizer=order.expo.organizer if order.expo_id else None,
        exhibitor=order.exhibitor,
    )
