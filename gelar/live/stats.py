"""The numbers of a live session, for the host console and the organizer's report.

Viewers come from ViewerSample rows (the concurrent count taken every few
seconds), so the peak and the average are of what was sampled. A pin's orders
are the distinct paid orders (paid_at set, not cancelled since: a cancelled paid
order is refunded) with a line attributed to it, and its omzet the sum of those
lines -- not of the whole orders, which may hold products bought outside the
stream. A partial refund of an order that stands is not taken off: refunds are
recorded per order, not per line.
"""

from django.db.models import Count, Max, Q, Sum

from gelar.events.models import AgendaSession
from gelar.live.models import ChatMessage, Pin, ViewerSample
from gelar.orders.models import Order


def _round_half_up(total: int, count: int) -> int:
    return (2 * total + count) // (2 * count) if count else 0


def session_stats(*, session: AgendaSession) -> dict:
    """Peak and average concurrent viewers, chat messages, and per pin (oldest first)
    its product, times, clicks, add-to-carts, paid orders and omzet (int Rupiah)."""
    samples = ViewerSample.objects.filter(session=session).aggregate(
        peak=Max("viewers"), total=Sum("viewers"), count=Count("pk")
    )
    chat = ChatMessage.objects.filter(session=session).aggregate(
        total=Count("pk"), hidden=Count("pk", filter=Q(hidden_at__isnull=False))
    )
    paid = Q(order_lines__order__paid_at__isnull=False) & ~Q(
        order_lines__order__status=Order.Status.CANCELLED
    )
    pins = (
        Pin.objects.filter(session=session)
        .select_related("product__exhibitor")
        .annotate(
            orders=Count("order_lines__order", filter=paid, distinct=True),
            omzet=Sum("order_lines__line_total", filter=paid),
        )
        .order_by("pinned_at", "pk")
    )
    rows = [
        {
            "pin": pin,
            "product": pin.product,
            "pinned_at": pin.pinned_at,
            "unpinned_at": pin.unpinned_at,
            "clicks": pin.clicks,
            "add_to_carts": pin.add_to_carts,
            "orders": pin.orders,
            "omzet": pin.omzet or 0,
        }
        for pin in pins
    ]
    return {
        "peak_viewers": samples["peak"] or 0,
        "average_viewers": _round_half_up(samples["total"] or 0, samples["count"]),
        "samples": samples["count"],
        "chat_messages": chat["total"],
        "chat_hidden": chat["hidden"],
        "pins": rows,
        "clicks": sum(row["clicks"] for row in rows),
        "add_to_carts": sum(row["add_to_carts"] for row in rows),
        # Pins of one session rarely share an order, but they may: count it once.
        "orders": _session_orders(session),
        "omzet": sum(row["omzet"] for row in rows),
    }


def _session_orders(session: AgendaSession) -> int:
    return (
        Order.objects.filter(lines__live_pin__session=session, paid_at__isnull=False)
        .exclude(status=Order.Status.CANCELLED)
        .distinct()
        .count()
    )
