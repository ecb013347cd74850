"""Reads of checkouts and orders."""

import re

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from gelar.audit.models import AuditEntry
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor
from gelar.orders.models import Checkout, Order, OrderLine
from gelar.orders.services import NEEDS_DELIVERY, TRANSITIONS

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
    return frozenset(
        target
        for target in TRANSITIONS[order.status]
        if order.delivery_method in NEEDS_DELIVERY.get(target, (order.delivery_method,))
    )
