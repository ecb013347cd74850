"""Starting an online payment: a Midtrans Snap transaction for one order.

The buyer presses "Pay online"; gateway_payment_start asks Midtrans for a Snap
transaction and the buyer is sent to its `redirect_url`. What happens next
(paid, expired...) arrives by notification: payments.services.gateway_notification_process.

Midtrans refuses a second transaction with the same order_id (Gelar's order
number), so an order gets one, reused by every later press. Deciding "is there
one already" takes a lock on the order row, but the HTTP call must not run
inside that transaction (it may wait 15 seconds holding the lock). Hence two
steps: under the lock, the first request inserts a pending Payment without a
URL and commits -- a claim the others see; then that request alone calls
Midtrans and stores the token and URL. A second press meanwhile is told to
reload in a moment. A failed call deletes the claim, so pressing again retries.
A claim left behind by a crashed process is taken over after CLAIM_TIMEOUT.
The trade-off: if Midtrans created the transaction but its answer was lost
(timeout), a retry uses the same order_id and Midtrans refuses it; the buyer
sees "unavailable" and the exhibitor is asked through the order page's chat.

Built to Midtrans' documented contract; the sandbox cannot be reached from
here, so the tests replay the documented request and answer:
https://docs.midtrans.com/reference/request-body-json-parameter (body, `expiry`,
`callbacks.finish`), https://docs.midtrans.com/reference/json-objects,
https://docs.midtrans.com/reference/response (201 {"token", "redirect_url"}),
https://docs.midtrans.com/reference/window-redirection (redirect mode),
https://docs.midtrans.com/docs/https-notification-webhooks (X-Override-Notification).
"""

import logging
import math
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record
from gelar.orders.models import Order
from gelar.orders.services import OrderError
from gelar.payments import midtrans
from gelar.payments.models import Payment
from gelar.payments.services import payment_methods_for

log = logging.getLogger(__name__)

Method = Order.PaymentMethod
# Longer than midtrans.send_charge's timeout: a claim this old has no request behind it.
CLAIM_TIMEOUT = timedelta(seconds=60)
_TOKEN_MAX_LENGTH = Payment._meta.get_field("gateway_token").max_length
_URL_MAX_LENGTH = Payment._meta.get_field("gateway_redirect_url").max_length


class GatewayPaymentError(OrderError):
    """Online payment could not start; `message` for the buyer, `http_status` for views."""

    http_status = 409


class GatewayPaymentRefused(GatewayPaymentError):
    """The order cannot be paid online (now or ever): method, status, reservation, settings."""


class GatewayPaymentPreparing(GatewayPaymentError):
    """Another request is asking Midtrans for this order's transaction right now."""


class GatewayUnavailable(GatewayPaymentError):
    """Midtrans could not be reached or refused; nothing was kept, pressing again retries."""

    http_status = 503


def gateway_payment_start(*, order: Order, now: datetime | None = None) -> Payment:
    """The order's Snap transaction: the one started before, or a new one.

    Returns a pending gateway Payment with gateway_token and gateway_redirect_url.
    Access is the caller's job (the buyer's checkout link). Raises
    GatewayPaymentRefused, GatewayPaymentPreparing, GatewayUnavailable.
    """
    now = now or timezone.now()
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("checkout", "exhibitor", "expo__organizer")
            .get(pk=order.pk)
        )
        minutes = _minutes_left(order, now=now)
        started = (
            Payment.objects.filter(
                order=order, method=Method.GATEWAY, status=Payment.Status.PENDING
            )
            .order_by("pk")
            .first()
        )
        if started is not None and started.gateway_redirect_url:
            return started
        if started is not None and started.created_at > now - CLAIM_TIMEOUT:
            raise _preparing(order)
        if started is not None:
            log.warning("taking over the stale gateway claim %s of %s", started.pk, order.number)
            started.delete()
        body = _snap_body(order, now=now, minutes=minutes)
        claim = Payment.objects.create(
            order=order, method=Method.GATEWAY, amount=order.total, status=Payment.Status.PENDING
        )
    # Outside the transaction: the claim is committed, the order lock released.
    try:
        answer = midtrans.send_charge(
            midtrans.MidtransConfig.from_settings(),
            body,
            snap=True,
            notification_url=settings.SITE_URL + reverse("api-v1:midtrans_notification"),
        )
        token, url = _checked_answer(answer)
    except Exception as error:
        # Whatever went wrong, the claim must not block the next press.
        # Only while it is still a claim: a settlement arriving meanwhile made it
        # the record of a real payment.
        Payment.objects.filter(
            pk=claim.pk, status=Payment.Status.PENDING, gateway_redirect_url=""
        ).delete()
        if not isinstance(error, midtrans.ChargeFailed):
            raise
        log.warning(
            "Midtrans Snap for %s failed: %s (HTTP %s) %r",
            order.number,
            error,
            error.http_status,
            error.body,
        )
        raise GatewayUnavailable(
            _("Online payment is unavailable right now; please try again in a few minutes."),
            code="gateway_unavailable",
        ) from None
    with transaction.atomic():
        stored = Payment.objects.filter(pk=claim.pk, gateway_redirect_url="").update(
            gateway_token=token, gateway_redirect_url=url
        )
        if not stored:
            # Taken over as stale while this request still waited for Midtrans.
            raise _preparing(order)
        claim.gateway_token, claim.gateway_redirect_url = token, url
        audit_record(
            actor=None,
            action="payment.gateway_start",
            obj=claim,
            changes={
                "order": order.number,
                "method": claim.method,
                "amount": claim.amount,
                "status": claim.status,
                "token": token,
                "expiry_minutes": minutes,
            },
            organizer=order.expo.organizer if order.expo_id else None,
            exhibitor=order.exhibitor,
        )
    return claim


def _minutes_left(order: Order, *, now: datetime) -> int:
    """Whole minutes of reservation left; refuses an order that cannot be paid online."""
    number = order.number
    if order.payment_method != Method.GATEWAY:
        raise GatewayPaymentRefused(
            _("Order %(number)s is not paid online.") % {"number": number}, code="not_gateway"
        )
    if order.status == Order.Status.EXPIRED:
        raise _reservation_ended(order)
    if order.status != Order.Status.AWAITING_PAYMENT:
        raise GatewayPaymentRefused(
            _("Order %(number)s is %(status)s; there is nothing to pay.")
            % {"number": number, "status": order.get_status_display()},
            code="not_awaiting_payment",
        )
    # Rounded down, so Midtrans' page never outlives the stock reservation; under a
    # minute left is too little to pay in.
    minutes = math.floor((order.reserved_until - now).total_seconds() / 60)
    if minutes < 1:
        raise _reservation_ended(order)
    if Method.GATEWAY not in payment_methods_for(exhibitor=order.exhibitor):
        # Switched off by the exhibitor, or no MIDTRANS_SERVER_KEY on this site.
        raise GatewayPaymentRefused(
            _("Online payment is not available yet; the exhibitor will contact you."),
            code="gateway_off",
        )
    return minutes


def _reservation_ended(order: Order) -> GatewayPaymentRefused:
    return GatewayPaymentRefused(
        _("The stock reservation of order %(number)s has ended; please order again.")
        % {"number": order.number},
        code="order_expired",
    )


def _preparing(order: Order) -> GatewayPaymentPreparing:
    return GatewayPaymentPreparing(
        _("Online payment for order %(number)s is being prepared; reload the page in a moment.")
        % {"number": order.number},
        code="payment_preparing",
    )


def _snap_body(order: Order, *, now: datetime, minutes: int) -> dict:
    items = [
        midtrans.ChargeItem(
            id=str(line.product_id),
            name=line.product_name,
            price=line.unit_price,
            quantity=line.quantity,
        )
        for line in order.lines.order_by("pk")
    ]
    if order.shipping:
        items.append(
            midtrans.ChargeItem(id="shipping", name=_("Shipping"), price=order.shipping, quantity=1)
        )
    checkout = order.checkout
    return midtrans.snap_request(
        order_id=order.number,
        gross_amount=order.total,
        items=items,
        customer=midtrans.Customer(
            first_name=checkout.buyer_name,
            email=checkout.buyer_email,
            phone=f"+{checkout.buyer_whatsapp}",
        ),
        expiry_start=now,
        expiry_minutes=minutes,
        # Midtrans appends order_id, status_code and transaction_status; the page ignores them.
        finish_url=settings.SITE_URL + reverse("shop:order", args=[checkout.token]),
    )


def _checked_answer(answer: dict) -> tuple[str, str]:
    """Snap's token and redirect_url, if they look like Midtrans': the buyer is sent there."""
    token, url = answer.get("token"), answer.get("redirect_url")
    if not isinstance(token, str) or not 0 < len(token) <= _TOKEN_MAX_LENGTH:
        raise midtrans.ChargeFailed("Snap answer has no usable token", body=answer)
    if not isinstance(url, str) or len(url) > _URL_MAX_LENGTH:
        raise midtrans.ChargeFailed("Snap answer has no usable redirect_url", body=answer)
    parts = urlsplit(url)
    if parts.scheme != "https" or not (parts.hostname or "").endswith(".midtrans.com"):
        raise midtrans.ChargeFailed("Snap redirect_url is not a Midtrans page", body=answer)
    return token, url
