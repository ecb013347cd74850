"""Reads of checkouts and orders."""

import re

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from gelar.audit.models import AuditEntry
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor
from gelar.orders.models import Checkout, Order, OrderLine
from gelar.orders.services import order_targets

# secrets.token_urlsafe(24) gives 32 of these; anything else cannot be a token.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,43}")


def checkout_for_buyer(*, token: str) -> Checkout:
    """The buyer's checkout by its unguessable link, with its orders and lines.

    Raises Checkout.DoesNotExist (the page answers 404), without a query for a
    string that cannot be a token (NUL bytes, emoji, very long input).
    """
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise Checkout.DoesNotExist("not a checkout token")
    orders = Order.objects.select_related("exhibitor").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    )
    return (
        Checkout.objects.select_related("expo")
        .prefetch_related(Prefetch("orders", queryset=orders.order_by("pk")))
        .get(token=token)
    )


# --- the exhibitor's orders (dashboard) --------------------------------------------

Status = Order.Status

# The dashboard's tabs: each a set of statuses. Shipped and ready for pick-up are one
# step ("on its way to the buyer"); cancelled and expired both ended without a sale.
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "awaiting_payment": (Status.AWAITING_PAYMENT,),
    "paid": (Status.PAID,),
    "processing": (Status.PROCESSING,),
    "sent": (Status.SHIPPED, Status.READY_FOR_PICKUP),
    "completed": (Status.COMPLETED,),
    "closed": (Status.CANCELLED, Status.EXPIRED),
}


def _exhibitor_orders(*, exhibitor: Exhibitor, expo_id: int | None, query: str) -> QuerySet[Order]:
    orders = Order.objects.filter(exhibitor=exhibitor)
    if expo_id is not None:
        orders = orders.filter(expo_id=expo_id)
    query = " ".join(query.split())
    if query:
        orders = orders.filter(
            Q(number__icontains=query) | Q(checkout__buyer_name__icontains=query)
        )
    return orders


def orders_for_exhibitor(
    *, exhibitor: Exhibitor, group: str = "", expo_id: int | None = None, query: str = ""
) -> QuerySet[Order]:
    """The business's orders, newest first, with the buyer and the number of items.

    `group` is a key of STATUS_GROUPS ("" for all); `query` matches the order
    number or the buyer's name. One query however many orders and lines.
    """
    orders = _exhibitor_orders(exhibitor=exhibitor, expo_id=expo_id, query=query)
    if group in STATUS_GROUPS:
        orders = orders.filter(status__in=STATUS_GROUPS[group])
    items = (
        OrderLine.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(items=Sum("quantity"))
        .values("items")
    )
    return (
        orders.select_related("checkout", "expo")
        .annotate(item_count=Subquery(items))
        .order_by("-created_at", "-pk")
    )


def order_group_counts(
    *, exhibitor: Exhibitor, expo_id: int | None = None, query: str = ""
) -> dict[str, int]:
    """How many orders each tab holds (and "" for all), in one query."""
    orders = _exhibitor_orders(exhibitor=exhibitor, expo_id=expo_id, query=query)
    counts = orders.aggregate(
        all=Count("pk"),
        **{
            group: Count("pk", filter=Q(status__in=statuses))
            for group, statuses in STATUS_GROUPS.items()
        },
    )
    return {"": counts.pop("all"), **counts}


def order_expos_of(*, exhibitor: Exhibitor) -> QuerySet[Expo]:
    """The expos in which the business has orders (the dashboard's expo filter)."""
    return Expo.objects.filter(orders__exhibitor=exhibitor).distinct().order_by("-start_date", "pk")


def order_for_exhibitor(*, exhibitor: Exhibitor, number: str) -> Order:
    """One of the business's orders by its number, with buyer, expo and lines.

    Another business's order (even from the same checkout) is DoesNotExist.
    """
    return (
        Order.objects.select_related("checkout", "expo", "exhibitor")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .get(exhibitor=exhibitor, number=number)
    )


def order_history(*, order: Order) -> QuerySet[AuditEntry]:
    """The order's audit entries, oldest first: how it got where it is."""
    return (
        AuditEntry.objects.filter(object_type=Order._meta.label_lower, object_id=str(order.pk))
        .select_related("actor")
        .order_by("at", "pk")
    )


def order_next_statuses(*, order: Order) -> frozenset[str]:
    """The statuses the order may move to now (which buttons the dashboard shows).

    The same rules the services enforce; they still check again under the lock.
    """
    return order_targets(order)


# --- the organizer's orders of an expo (console) ------------------------------------

_PHONE_LIKE = re.compile(r"[\d\s+().-]+")


def _expo_orders(*, expo: Expo, exhibitor_id: int | None, query: str) -> QuerySet[Order]:
    orders = Order.objects.filter(expo=expo)
    if exhibitor_id is not None:
        orders = orders.filter(exhibitor_id=exhibitor_id)
    query = " ".join(query.split())
    if query:
        match = Q(number__icontains=query) | Q(checkout__buyer_name__icontains=query)
        digits = re.sub(r"\D", "", query)
        # WhatsApp numbers are stored as 62...: "0812-3456" is looked up as "628123456".
        if len(digits) >= 4 and _PHONE_LIKE.fullmatch(query):
            if digits.startswith("0"):
                digits = "62" + digits[1:]
            match |= Q(checkout__buyer_whatsapp__contains=digits)
        orders = orders.filter(match)
    return orders


def orders_for_expo(
    *,
    expo: Expo,
    group: str = "",
    method: str = "",
    exhibitor_id: int | None = None,
    query: str = "",
) -> QuerySet[Order]:
    """The expo's orders, newest first, with buyer and exhibitor, in one query.

    `group` is a key of STATUS_GROUPS, `method` an Order.PaymentMethod ("" for all);
    `query` matches the order number, the buyer's name or WhatsApp number.
    """
    orders = _expo_orders(expo=expo, exhibitor_id=exhibitor_id, query=query)
    if group in STATUS_GROUPS:
        orders = orders.filter(status__in=STATUS_GROUPS[group])
    if method in Order.PaymentMethod.values:
        orders = orders.filter(payment_method=method)
    return orders.select_related("checkout", "exhibitor").order_by("-created_at", "-pk")


def expo_order_counts(
    *, expo: Expo, method: str = "", exhibitor_id: int | None = None, query: str = ""
) -> dict[str, int]:
    """How many orders each status group holds ("" for all) under the other filters,
    and "awaiting_transfer": unpaid bank transfers whatever the method filter. One query.
    """
    orders = _expo_orders(expo=expo, exhibitor_id=exhibitor_id, query=query)
    # The method filter goes into each count, not the WHERE, so the awaiting-transfer
    # count can ignore it in the same query.
    by_method = Q(payment_method=method) if method in Order.PaymentMethod.values else Q()
    counts = orders.aggregate(
        all=Count("pk", filter=by_method or None),
        awaiting_transfer=Count(
            "pk",
            filter=Q(status=Status.AWAITING_PAYMENT, payment_method=Order.PaymentMethod.TRANSFER),
        ),
        **{
            group: Count("pk", filter=by_method & Q(status__in=statuses))
            for group, statuses in STATUS_GROUPS.items()
        },
    )
    return {"": counts.pop("all"), **counts}


def expo_order_exhibitors(*, expo: Expo) -> QuerySet[Exhibitor]:
    """The businesses that have orders in the expo (the console's exhibitor filter)."""
    return Exhibitor.objects.filter(orders__expo=expo).distinct().order_by("name", "pk")


def order_for_expo(*, expo: Expo, number: str) -> Order:
    """One order of the expo by its number, with buyer, exhibitor and lines.

    An order of another expo is DoesNotExist.
    """
    return (
        Order.objects.select_related("checkout", "expo", "exhibitor")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .get(expo=expo, number=number)
    )
