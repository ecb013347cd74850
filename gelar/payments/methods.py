"""Which payment methods an exhibitor accepts: one rule, read by checkout and pages.

Separate from payments.services because gelar.orders.services needs it at
checkout (a booth's order must use a method that booth accepts) while
payments.services builds on orders.services; this module depends only on the
models, so neither import goes in a circle.
"""

from collections.abc import Iterable

from django.conf import settings

from gelar.orders.models import Order
from gelar.payments.models import ExhibitorPaymentSettings

Method = Order.PaymentMethod


def accepted_methods(found: ExhibitorPaymentSettings) -> list[str]:
    """The Order.payment_method values these settings accept, in display order.

    "cash" is pick-up only; the orders app enforces that.
    """
    methods = []
    if found.has_qris:
        methods.append(Method.QRIS.value)
    if found.has_bank_transfer:
        methods.append(Method.TRANSFER.value)
    if found.gateway_enabled and settings.MIDTRANS_SERVER_KEY:
        methods.append(Method.GATEWAY.value)
    if found.accepts_cash:
        methods.append(Method.CASH.value)
    return methods


def payment_settings_by_exhibitor(
    *, exhibitor_ids: Iterable[int]
) -> dict[int, ExhibitorPaymentSettings]:
    """{exhibitor id: settings} in one query; unsaved defaults (cash only) for the rest."""
    ids = set(exhibitor_ids)
    found = {
        s.exhibitor_id: s for s in ExhibitorPaymentSettings.objects.filter(exhibitor_id__in=ids)
    }
    return {
        exhibitor_id: found.get(exhibitor_id) or ExhibitorPaymentSettings(exhibitor_id=exhibitor_id)
        for exhibitor_id in ids
    }


def payment_methods_by_exhibitor(*, exhibitor_ids: Iterable[int]) -> dict[int, list[str]]:
    """{exhibitor id: accepted methods} for a cart's booths, in one query."""
    return {
        exhibitor_id: accepted_methods(found)
        for exhibitor_id, found in payment_settings_by_exhibitor(
            exhibitor_ids=exhibitor_ids
        ).items()
    }
