"""Reads about an order's money: what was paid, what went back, what is still owed.

"Paid" counts the confirmed payments and those already refunded: a refunded
payment was still paid, and its refunds are counted on the other side.
"""

from dataclasses import dataclass

from django.db.models import Sum

from gelar.orders.models import Order
from gelar.payments.models import Payment, Refund

PAID_STATUSES = (Payment.Status.CONFIRMED, Payment.Status.REFUNDED)


def order_paid_amount(order: Order) -> int:
    """Whole Rupiah received for the order (confirmed and refunded payments)."""
    found = Payment.objects.filter(order=order, status__in=PAID_STATUSES).aggregate(
        total=Sum("amount")
    )
    return found["total"] or 0


def order_refunded_amount(order: Order) -> int:
    """Whole Rupiah recorded as given back for the order."""
    return Refund.objects.filter(order=order).aggregate(total=Sum("amount"))["total"] or 0


@dataclass(frozen=True)
class OrderMoney:
    paid: int  # received (confirmed and refunded payments)
    refunded: int  # recorded as given back
    refundable: int  # what a refund may still give back
    due: int  # what the buyer is owed: the refundable rest of a cancelled paid order


def order_money(order: Order) -> OrderMoney:
    """The order's money for its pages, in two queries."""
    paid = order_paid_amount(order) if order.paid_at is not None else 0
    refunded = order_refunded_amount(order)
    refundable = max(paid - refunded, 0)
    due = refundable if order.status == Order.Status.CANCELLED else 0
    return OrderMoney(paid=paid, refunded=refunded, refundable=refundable, due=due)


def refund_due(order: Order) -> int:
    """What the buyer is still owed: a cancelled order that had been paid, less its refunds.

    0 for every other order -- a paid order being delivered owes nothing, even
    when part of it was refunded.
    """
    if order.status != Order.Status.CANCELLED or order.paid_at is None:
        return 0
    return order_money(order).due


def refunds_by_order(*, order_ids) -> dict[int, list[Refund]]:
    """Each order's refunds, oldest first, in one query (for pages listing several orders)."""
    found: dict[int, list[Refund]] = {order_id: [] for order_id in order_ids}
    for refund in Refund.objects.filter(order_id__in=list(found)).order_by("refunded_at", "pk"):
        found[refund.order_id].append(refund)
    return found
