"""Reads about an order's money: what was paid, what went back, what is still owed.

"Paid" counts the confirmed payments and those already refunded: a refunded
payment was still paid, and its refunds are counted on the other side.
"""

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


def refund_due(order: Order) -> int:
    """What the buyer is still owed: a cancelled order that had been paid, less its refunds.

    0 for every other order -- a paid order being delivered owes nothing, even
    when part of it was refunded.
    """
    if order.status != Order.Status.CANCELLED or order.paid_at is None:
        return 0
    return max(order_paid_amount(order) - order_refunded_amount(order), 0)


def refunds_by_order(*, order_ids) -> dict[int, list[Refund]]:
    """Each order's refunds, oldest first, in one query (for pages listing several orders)."""
    found: dict[int, list[Refund]] = {order_id: [] for order_id in order_ids}
    for refund in Refund.objects.filter(order_id__in=list(found)).order_by("refunded_at", "pk"):
        found[refund.order_id].append(refund)
    return found
