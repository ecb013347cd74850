"""The orders of an expo as CSV, one row per order, for the organizer's bookkeeping.

Built like console.exports (the exhibitors' export): the same CSV dialect, the
byte-order mark for Excel, times in the expo's zone. Buyers' names come from
anyone on the internet, so a text cell that a spreadsheet would run as a formula
("=HYPERLINK(...)") is written with a leading apostrophe (OWASP's advice).
"""

import csv
import datetime
import io

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from gelar.console.exports import CSV_CONTENT_TYPE, _csv_cell, _local
from gelar.events.models import Expo
from gelar.orders.selectors import orders_for_expo

__all__ = ["CSV_CONTENT_TYPE", "as_csv", "columns", "filename", "rows"]


def columns() -> list[str]:
    return [
        _("Order number"),
        _("Created"),
        _("Exhibitor"),
        _("Buyer"),
        _("WhatsApp"),
        _("Delivery"),
        _("Payment method"),
        _("Status"),
        _("Subtotal (Rp)"),
        _("Unique code"),
        _("Total (Rp)"),
        _("Paid at"),
        _("Refunded (Rp)"),
    ]


def rows(*, expo: Expo, **filters) -> list[list]:
    """One row per order, oldest first; `filters` as for selectors.orders_for_expo."""
    # The refunds in the same query: summing Total alone would overstate the takings.
    orders = (
        orders_for_expo(expo=expo, **filters)
        .annotate(refunded=Coalesce(Sum("refunds__amount"), 0))
        .order_by("created_at", "pk")
    )
    return [
        [
            order.number,
            _local(order.created_at, expo),
            order.exhibitor.name,
            order.checkout.buyer_name,
            order.checkout.buyer_whatsapp,
            order.get_delivery_method_display(),
            order.get_payment_method_display(),
            order.get_status_display(),
            order.subtotal,
            order.unique_code,
            order.total,
            _local(order.paid_at, expo),
            order.refunded,
        ]
        for order in orders
    ]


def as_csv(*, expo: Expo, **filters) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns())
    for row in rows(expo=expo, **filters):
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def filename(*, expo: Expo, today: datetime.date) -> str:
    return f"gelar-{expo.slug}-orders-{today:%Y-%m-%d}.csv"
