"""Reads of checkouts and orders."""

from django.db.models import Prefetch

from gelar.orders.models import Checkout, Order, OrderLine


def checkout_for_buyer(*, token: str) -> Checkout:
    """The buyer's checkout by its unguessable link, with its orders and lines.

    Raises Checkout.DoesNotExist (the page answers 404).
    """
    orders = Order.objects.select_related("exhibitor").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    )
    return (
        Checkout.objects.select_related("expo")
        .prefetch_related(Prefetch("orders", queryset=orders.order_by("pk")))
        .get(token=token)
    )
