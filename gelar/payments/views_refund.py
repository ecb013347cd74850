"""The refund form's action, shared by the organizer's and the exhibitor's order pages
(gelar.console.views_orders, gelar.dashboard.views_orders): each passes it to its own
form-handling helper, which finds the order, checks access and shows the message."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from gelar.common.templatetags.gelar_format import rupiah
from gelar.orders.models import Order
from gelar.payments.services import refund_record


def refund_from_form(request: HttpRequest, order: Order, data: dict) -> str:
    """Record the refund the form describes (payments.services.refund_record raises
    RefundInvalid for the form to show); the message that says it is done."""
    refund = refund_record(
        order=order,
        actor=request.user,
        amount=data["amount"],
        method=data["method"],
        reason=data["reason"],
        reference=data["reference"],
    )
    return _("A refund of %(amount)s for order %(number)s is recorded.") % {
        "amount": rupiah(refund.amount),
        "number": order.number,
    }
