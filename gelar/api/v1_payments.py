"""API v1: payment gateway notifications (issue 4).

POST /api/v1/payments/midtrans/notification is Midtrans' HTTP notification
(webhook). It has no authentication besides the payload's signature_key,
which only Midtrans and Gelar can compute (SHA512 over the order id, status
code, amount and the server key), and no CSRF check: django-ninja wraps every
operation in csrf_exempt and checks CSRF only for cookie authentication,
which this endpoint does not use.

Answers: 200 for every notification that was verified and processed --
applied, a duplicate, a late one ignored, one flagged for review, and one
rejected because its amount is not the order's -- so Midtrans stops
resending it (resending would change nothing: the decision is stored).
400 for a body that is not a notification, 403 for a bad signature, 404 for
an order number Gelar does not have, 503 when no server key is configured.
Midtrans retries non-2xx answers for a while, which is what those cases want:
a 404 shows up in the Midtrans dashboard as a failed delivery (e.g. a
sandbox key shared with another app, or a notification URL pointing at the
wrong site) instead of being swallowed, and the retries are harmless.
"""

import json
import logging

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from gelar.api.schemas import ErrorOut
from gelar.payments import midtrans
from gelar.payments import services as payments

log = logging.getLogger(__name__)

router = Router(tags=["payments"])

# The body is read as raw JSON (not a ninja schema) so the signature is checked
# over exactly the strings Midtrans sent and a bad body is a 400, not a 422.
_NOTIFICATION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": [
                        "order_id",
                        "status_code",
                        "gross_amount",
                        "signature_key",
                        "transaction_status",
                        "transaction_id",
                        "transaction_time",
                    ],
                    "properties": {
                        "order_id": {"type": "string"},
                        "status_code": {"type": "string"},
                        "gross_amount": {"type": "string", "example": "150000.00"},
                        "signature_key": {"type": "string"},
                        "transaction_status": {"type": "string"},
                        "transaction_id": {"type": "string"},
                        "transaction_time": {"type": "string"},
                        "fraud_status": {"type": "string"},
                        "payment_type": {"type": "string"},
                        "settlement_time": {"type": "string"},
                        "currency": {"type": "string"},
                    },
                }
            }
        },
    }
}


class NotificationOut(Schema):
    action: str
    order_status: str


@router.post(
    "/payments/midtrans/notification",
    response={
        200: NotificationOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        503: ErrorOut,
    },
    openapi_extra=_NOTIFICATION_BODY,
    summary="Midtrans payment notification",
)
def midtrans_notification(request: HttpRequest):
    """Midtrans' HTTP notification: verified by its signature_key, processed once."""
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return Status(400, {"detail": _("The body is not JSON.")})
    try:
        notification = midtrans.parse_notification(payload, server_key=settings.MIDTRANS_SERVER_KEY)
    except midtrans.MidtransNotConfigured:
        log.error("Midtrans notification received but MIDTRANS_SERVER_KEY is not set")
        return Status(503, {"detail": _("Online payment is not configured.")})
    except midtrans.InvalidSignature as error:
        log.warning("Midtrans notification refused: %s", error)
        return Status(403, {"detail": _("The signature is not valid.")})
    except midtrans.MalformedNotification as error:
        log.warning("Midtrans notification malformed: %s", error)
        return Status(
            400, {"detail": _("This is not a valid notification: %(error)s") % {"error": error}}
        )
    try:
        result = payments.gateway_notification_process(notification=notification, payload=payload)
    except payments.UnknownOrder:
        log.warning("Midtrans notification for unknown order %r", notification.order_id)
        return Status(404, {"detail": _("No such order.")})
    if result.action in (midtrans.Action.REJECT, midtrans.Action.REVIEW):
        log.warning(
            "Midtrans notification %s for %s: %s (%s)",
            notification.transaction_status,
            notification.order_id,
            result.action,
            result.reason,
        )
    return Status(200, {"action": result.action, "order_status": result.order_status})
