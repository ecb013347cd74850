"""Midtrans payment gateway adapter: pure functions over plain values.

Nothing here touches the database or knows about orders: the orders app maps an
order onto `charge_request(...)`, and maps a `Decision` from
`notification_decision(...)` onto its own services. The only I/O is
`send_charge`, a thin urllib call.

The notification endpoint is expected to: parse_notification (answer 4xx on
InvalidSignature / MalformedNotification, and 5xx on MidtransNotConfigured:
Midtrans retries those), then, under a lock on the order,
notification_decision, act on it, and answer 200 for every Decision --
DUPLICATE, IGNORE, REJECT and REVIEW too, as resending them changes nothing.

Built to Midtrans' documented contract (the sandbox cannot be reached from here):

- Charge (Core API), headers and Basic auth with the server key as username and an
  empty password: https://docs.midtrans.com/en/technical-reference/api-header
  (example "SB-Mid-server-abc123cde456" -> "Basic U0ItTWlkLXNlcnZlci1hYmMxMjNjZGU0NTY6"),
  https://docs.midtrans.com/en/core-api/bank-transfer (POST
  https://api.sandbox.midtrans.com/v2/charge, body `bank_transfer.bank`),
  https://docs.midtrans.com/en/other/faq/gopay-pos (payment_type "qris").
- Request body objects: https://docs.midtrans.com/reference/json-object
  (order_id String(50), letters, digits and - _ ~ .; gross_amount in IDR without
  decimals), https://docs.midtrans.com/reference/item-details-object (price and
  quantity integers; the sum of price x quantity must equal gross_amount),
  https://docs.midtrans.com/reference/customer-details-object (BCA VA: names at
  most 30 characters). Item name and id at most 50 characters, as Midtrans' own
  library truncates them: github.com/Midtrans/midtrans-php Midtrans/Sanitizer.php.
- Snap: https://docs.midtrans.com/reference/request-body-json-parameter
  (POST https://app.sandbox.midtrans.com/snap/v1/transactions, `enabled_payments`,
  `expiry` {start_time "yyyy-MM-dd hh:mm:ss Z", unit day/hour/minute (plurals
  accepted), duration}, `callbacks.finish`), https://docs.midtrans.com/reference/json-objects,
  https://docs.midtrans.com/reference/window-redirection (the buyer is sent to
  the answer's `redirect_url`; the finish URL gets order_id, status_code and
  transaction_status appended as query parameters).
- Notifications: https://docs.midtrans.com/docs/https-notification-webhooks
  (sample payloads, signature_key = SHA512(order_id + status_code + gross_amount +
  ServerKey) in hex, success = settlement/capture with fraud_status accept and
  status_code 200, notifications may repeat and may arrive out of order),
  https://docs.midtrans.com/docs/transaction-status-cycle (which status may follow
  which, including the settlement -> deny "reversal"),
  https://docs.midtrans.com/reference/fraud-status,
  https://docs.midtrans.com/reference/expire-transaction (expire notification,
  status_code "202"). The same pages as Markdown in
  github.com/Midtrans/technical-documentation-site (en/after-payment/*.md).
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

SANDBOX_CHARGE_URL = "https://api.sandbox.midtrans.com/v2/charge"
PRODUCTION_CHARGE_URL = "https://api.midtrans.com/v2/charge"
SANDBOX_SNAP_URL = "https://app.sandbox.midtrans.com/snap/v1/transactions"
PRODUCTION_SNAP_URL = "https://app.midtrans.com/snap/v1/transactions"

ORDER_ID_MAX_LENGTH = 50
ITEM_NAME_MAX_LENGTH = 50
ITEM_ID_MAX_LENGTH = 50
BCA_VA_NAME_MAX_LENGTH = 30
# Banks whose virtual account is charged as payment_type "bank_transfer".
# Mandiri is "echannel" (a bill payment, different body): not offered.
BANK_TRANSFER_BANKS = frozenset({"bca", "bni", "bri", "permata", "cimb"})
PAYMENT_TYPES = frozenset({"qris", "bank_transfer"})

_ORDER_ID_RE = re.compile(r"[A-Za-z0-9\-_~.]{1,50}")
# Midtrans sends IDR amounts as a string with two decimals, e.g. "150000.00".
_GROSS_AMOUNT_RE = re.compile(r"(0|[1-9][0-9]*)\.([0-9]{2})")
# Documented as "YYYY-MM-DD HH:MM:SS", Western Indonesian Time (GMT+7).
_MIDTRANS_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_WIB = ZoneInfo("Asia/Jakarta")


class MidtransError(Exception):
    """Base class of this module's errors."""


class MidtransNotConfigured(MidtransError):
    """No server key: without it a signature proves nothing, a charge cannot be made."""


class InvalidSignature(MidtransError):
    """signature_key does not match: forged or altered notification."""


class MalformedNotification(MidtransError):
    """A field is missing, has the wrong type, or a value Gelar cannot accept."""


class ChargeFailed(MidtransError):
    def __init__(self, message: str, *, http_status: int | None = None, body: object = None):
        super().__init__(message)
        self.http_status = http_status
        self.body = body


@dataclass(frozen=True)
class MidtransConfig:
    # repr=False: the key must never end up in a log line or an error page.
    server_key: str = field(repr=False)
    is_production: bool = False
    client_key: str = ""

    @classmethod
    def from_settings(cls) -> MidtransConfig:
        from django.conf import settings

        return cls(
            server_key=settings.MIDTRANS_SERVER_KEY,
            is_production=settings.MIDTRANS_IS_PRODUCTION,
            client_key=settings.MIDTRANS_CLIENT_KEY,
        )


# -- charge -------------------------------------------------------------------


@dataclass(frozen=True)
class ChargeItem:
    id: str
    name: str
    price: int  # whole Rupiah, per unit
    quantity: int


@dataclass(frozen=True)
class Customer:
    first_name: str
    last_name: str = ""
    email: str = ""
    phone: str = ""


def _check_int(value: object, what: str, *, minimum: int) -> int:
    # bool is an int subclass; True must not pass as one Rupiah.
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{what} must be an integer >= {minimum}, not {value!r}")
    return value


def _transaction_body(
    *, order_id: str, gross_amount: int, items: list[ChargeItem], customer: Customer, name_max: int
) -> dict:
    if not isinstance(order_id, str) or not _ORDER_ID_RE.fullmatch(order_id):
        raise ValueError(
            f"order_id must be 1-{ORDER_ID_MAX_LENGTH} letters, digits or - _ ~ ., not {order_id!r}"
        )
    _check_int(gross_amount, "gross_amount", minimum=1)
    if not items:
        raise ValueError("at least one item is required")
    item_details = []
    for item in items:
        _check_int(item.price, f"price of {item.id!r}", minimum=0)
        _check_int(item.quantity, f"quantity of {item.id!r}", minimum=1)
        if not item.id or len(item.id) > ITEM_ID_MAX_LENGTH:
            raise ValueError(f"item id must be 1-{ITEM_ID_MAX_LENGTH} characters: {item.id!r}")
        item_details.append(
            {
                "id": item.id,
                "price": item.price,
                "quantity": item.quantity,
                "name": item.name[:ITEM_NAME_MAX_LENGTH],
            }
        )
    total = sum(item.price * item.quantity for item in items)
    if total != gross_amount:
        # Midtrans rejects the charge; refuse here, where the caller's bug is.
        raise ValueError(f"items add up to {total}, gross_amount is {gross_amount}")
    customer_details = {
        "first_name": customer.first_name[:name_max],
        "last_name": customer.last_name[:name_max],
        "email": customer.email,
        "phone": customer.phone,
    }
    return {
        "transaction_details": {"order_id": order_id, "gross_amount": gross_amount},
        "item_details": item_details,
        # Empty optional fields are left out rather than sent as "".
        "customer_details": {key: value for key, value in customer_details.items() if value},
    }


def charge_request(
    *,
    order_id: str,
    gross_amount: int,
    items: list[ChargeItem],
    customer: Customer,
    payment_type: str = "qris",
    bank: str | None = None,
) -> dict:
    """The JSON body of a Core API charge (POST /v2/charge)."""
    if payment_type not in PAYMENT_TYPES:
        raise ValueError(f"payment_type must be one of {sorted(PAYMENT_TYPES)}: {payment_type!r}")
    if payment_type == "bank_transfer" and bank not in BANK_TRANSFER_BANKS:
        raise ValueError(f"bank must be one of {sorted(BANK_TRANSFER_BANKS)}: {bank!r}")
    if payment_type != "bank_transfer" and bank is not None:
        raise ValueError(f"bank only goes with bank_transfer, not {payment_type!r}")
    name_max = BCA_VA_NAME_MAX_LENGTH if bank == "bca" else 255
    body = {"payment_type": payment_type}
    body.update(
        _transaction_body(
            order_id=order_id,
            gross_amount=gross_amount,
            items=items,
            customer=customer,
            name_max=name_max,
        )
    )
    if payment_type == "bank_transfer":
        body["bank_transfer"] = {"bank": bank}
    return body


def snap_request(
    *,
    order_id: str,
    gross_amount: int,
    items: list[ChargeItem],
    customer: Customer,
    enabled_payments: list[str] | None = None,
    expiry_start: datetime | None = None,
    expiry_minutes: int | None = None,
    finish_url: str | None = None,
) -> dict:
    """The JSON body of a Snap transaction (the buyer picks the method on Midtrans' page).

    enabled_payments uses Snap's names, e.g. ["other_qris", "bca_va", "bni_va"];
    None lets Snap offer every method active on the merchant account.
    expiry_start (aware) and expiry_minutes, given together, end the transaction
    that many minutes after the start (Snap's default is 24 hours); finish_url is
    where Midtrans' page sends the buyer back to (`callbacks.finish`).
    """
    body = _transaction_body(
        order_id=order_id, gross_amount=gross_amount, items=items, customer=customer, name_max=255
    )
    if enabled_payments is not None:
        body["enabled_payments"] = list(enabled_payments)
    if (expiry_start is None) != (expiry_minutes is None):
        raise ValueError("expiry_start and expiry_minutes go together")
    if expiry_start is not None:
        if expiry_start.tzinfo is None:
            raise ValueError("expiry_start must be aware")
        body["expiry"] = {
            # Documented as "yyyy-MM-dd hh:mm:ss Z"; written in WIB, like Midtrans' examples.
            "start_time": expiry_start.astimezone(_WIB).strftime(f"{_MIDTRANS_TIME_FORMAT} %z"),
            "unit": "minutes",
            "duration": _check_int(expiry_minutes, "expiry_minutes", minimum=1),
        }
    if finish_url is not None:
        body["callbacks"] = {"finish": finish_url}
    return body


def charge_headers(config: MidtransConfig) -> dict[str, str]:
    if not config.server_key:
        raise MidtransNotConfigured("MIDTRANS_SERVER_KEY is empty")
    token = base64.b64encode(f"{config.server_key}:".encode()).decode("ascii")
    return {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "Authorization": f"Basic {token}",
    }


def charge_url(config: MidtransConfig, *, snap: bool = False) -> str:
    if snap:
        return PRODUCTION_SNAP_URL if config.is_production else SANDBOX_SNAP_URL
    return PRODUCTION_CHARGE_URL if config.is_production else SANDBOX_CHARGE_URL


def send_charge(
    config: MidtransConfig,
    body: dict,
    *,
    snap: bool = False,
    notification_url: str | None = None,
    timeout: float = 15.0,
) -> dict:
    """POST a charge (or Snap transaction) and return Midtrans' JSON answer.

    Raises ChargeFailed on a network error, an HTTP error, or an answer that
    is not a created transaction: Core API reports some failures with HTTP 200
    and a 4xx/5xx `status_code` in the body. Call it outside any database
    transaction: it waits on the network for up to `timeout` seconds.
    """
    headers = charge_headers(config)
    if notification_url:
        # Documented per-request override of the dashboard's notification URL.
        headers["X-Override-Notification"] = notification_url
    request = urllib.request.Request(
        charge_url(config, snap=snap),
        data=json.dumps(body).encode(),
        headers=headers,
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            http_status = response.status
            raw = response.read()
    except urllib.error.HTTPError as error:
        raise ChargeFailed(
            f"Midtrans answered HTTP {error.code}",
            http_status=error.code,
            body=_json_or_text(error.read()),
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise ChargeFailed(f"Midtrans unreachable: {error}") from error
    answer = _json_or_text(raw)
    if not isinstance(answer, dict):
        raise ChargeFailed("Midtrans answered something other than a JSON object", body=answer)
    if snap:
        if "token" not in answer:
            raise ChargeFailed("Snap answer without token", http_status=http_status, body=answer)
    elif answer.get("status_code") not in ("200", "201"):
        raise ChargeFailed(
            f"charge refused: {answer.get('status_code')} {answer.get('status_message')}",
            http_status=http_status,
            body=answer,
        )
    return answer


def _json_or_text(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


# -- notification -------------------------------------------------------------


class PaymentStatus(enum.StrEnum):
    """Gelar's view of a Midtrans transaction, coarser than Midtrans' own."""

    PENDING = "pending"
    PAID = "paid"
    CHALLENGE = "challenge"  # card payment held by the fraud check; a human decides
    FAILED = "failed"
    REFUNDED = "refunded"


_FAILED_STATUSES = frozenset({"deny", "cancel", "expire", "failure"})
_REFUNDED_STATUSES = frozenset({"refund", "partial_refund", "chargeback", "partial_chargeback"})
# "authorize" exists only with card pre-authorisation, which Gelar does not use:
# the money is reserved, not taken, so it is not paid.
_PENDING_STATUSES = frozenset({"pending", "authorize"})
_REQUIRED_FIELDS = (
    "order_id",
    "status_code",
    "gross_amount",
    "signature_key",
    "transaction_status",
    "transaction_id",
    "transaction_time",
)
_OPTIONAL_STRING_FIELDS = ("fraud_status", "payment_type", "settlement_time", "currency")


@dataclass(frozen=True)
class Notification:
    order_id: str
    transaction_id: str
    status: PaymentStatus
    amount: int  # whole Rupiah
    transaction_status: str  # Midtrans' raw value, e.g. "settlement", "partial_refund"
    fraud_status: str | None
    status_code: str
    payment_type: str | None
    transaction_time: datetime  # aware, Asia/Jakarta
    settlement_time: datetime | None

    @property
    def idempotency_key(self) -> str:
        """Same key = the same event sent again (Midtrans may repeat notifications)."""
        return f"{self.transaction_id}:{self.transaction_status}:{self.fraud_status or ''}"


def signature_for(*, order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


def verify_signature(payload: dict, *, server_key: str) -> bool:
    # An empty key would make the signature computable by anyone.
    if not server_key:
        return False
    values = [payload.get(name) for name in ("order_id", "status_code", "gross_amount")]
    given = payload.get("signature_key")
    if not all(isinstance(value, str) for value in [*values, given]):
        return False
    order_id, status_code, gross_amount = values
    expected = signature_for(
        order_id=order_id, status_code=status_code, gross_amount=gross_amount, server_key=server_key
    )
    # Bytes, so a non-ASCII signature is a mismatch rather than a TypeError.
    return hmac.compare_digest(expected.encode(), given.lower().encode())


def _parse_time(value: str, name: str) -> datetime:
    try:
        return datetime.strptime(value, _MIDTRANS_TIME_FORMAT).replace(tzinfo=_WIB)
    except ValueError:
        raise MalformedNotification(f"{name} is not YYYY-MM-DD HH:MM:SS: {value!r}") from None


def _payment_status(
    transaction_status: str, fraud_status: str | None, status_code: str
) -> PaymentStatus:
    if transaction_status in ("settlement", "capture"):
        # No fraud_status at all is documented for low-risk methods (convenience
        # stores): "relatively safe from fraud", so it counts as accept.
        if fraud_status in (None, "accept"):
            if status_code != "200":
                raise MalformedNotification(
                    f"{transaction_status} with status_code {status_code!r}, not '200'"
                )
            return PaymentStatus.PAID
        if fraud_status == "challenge":
            return PaymentStatus.CHALLENGE
        if fraud_status == "deny":
            return PaymentStatus.FAILED
        raise MalformedNotification(f"unknown fraud_status {fraud_status!r}")
    if transaction_status in _PENDING_STATUSES:
        return PaymentStatus.PENDING
    if transaction_status in _FAILED_STATUSES:
        return PaymentStatus.FAILED
    if transaction_status in _REFUNDED_STATUSES:
        return PaymentStatus.REFUNDED
    # Refuse rather than guess: the 4xx answer makes Midtrans retry and shows up
    # in the logs, so a new status gets a decision instead of a silent default.
    raise MalformedNotification(f"unknown transaction_status {transaction_status!r}")


def parse_notification(payload: dict, *, server_key: str) -> Notification:
    """Authenticate and read one HTTP notification body (already JSON-decoded).

    Order of checks: shape (so the signature can be computed), then signature
    (so nothing else is believed before it is proven), then values.
    """
    if not server_key:
        raise MidtransNotConfigured("MIDTRANS_SERVER_KEY is empty")
    if not isinstance(payload, dict):
        raise MalformedNotification("notification body is not a JSON object")
    missing = [name for name in _REQUIRED_FIELDS if name not in payload]
    if missing:
        raise MalformedNotification(f"missing fields: {', '.join(missing)}")
    wrong = [
        name
        for name in (*_REQUIRED_FIELDS, *_OPTIONAL_STRING_FIELDS)
        if name in payload and not isinstance(payload[name], str)
    ]
    if wrong:
        raise MalformedNotification(f"not strings: {', '.join(wrong)}")
    if not verify_signature(payload, server_key=server_key):
        raise InvalidSignature(f"bad signature_key for order {payload['order_id']!r}")

    gross_amount = payload["gross_amount"]
    match = _GROSS_AMOUNT_RE.fullmatch(gross_amount)
    if match is None:
        raise MalformedNotification(f"gross_amount is not an amount: {gross_amount!r}")
    if match.group(2) != "00":
        # Rupiah has no cents; Gelar never charges a fraction, so this is not ours.
        raise MalformedNotification(f"gross_amount is not whole Rupiah: {gross_amount!r}")
    if payload.get("currency", "IDR") != "IDR":
        raise MalformedNotification(f"currency is not IDR: {payload['currency']!r}")
    fraud_status = payload.get("fraud_status")
    settled = payload.get("settlement_time")
    return Notification(
        order_id=payload["order_id"],
        transaction_id=payload["transaction_id"],
        status=_payment_status(payload["transaction_status"], fraud_status, payload["status_code"]),
        amount=int(match.group(1)),
        transaction_status=payload["transaction_status"],
        fraud_status=fraud_status,
        status_code=payload["status_code"],
        payment_type=payload.get("payment_type"),
        transaction_time=_parse_time(payload["transaction_time"], "transaction_time"),
        settlement_time=_parse_time(settled, "settlement_time") if settled else None,
    )


# -- refunds ------------------------------------------------------------------

# Refunded in full: with no amount in the notification, all of gross_amount went back.
_FULLY_REFUNDED_STATUSES = frozenset({"refund", "chargeback"})


def _whole_rupiah(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if isinstance(value, str):
        match = _GROSS_AMOUNT_RE.fullmatch(value)
        if match is not None and match.group(2) == "00":
            return int(match.group(1))
    return None


def refunded_total(payload: dict, *, transaction_status: str, gross_amount: int) -> int | None:
    """Whole Rupiah refunded so far on the notification's transaction; None if unclear.

    https://docs.midtrans.com/reference/refund-transaction ("Notification"):
    `refund_amount` is the transaction's total refunded so far ("12000.00" after
    refunds of 5000 and 7000), `refunds` lists each refund with its own
    `refund_amount` and `refund_chargeback_id`. Each later refund of the
    transaction is notified again as "partial_refund" with the new total, so the
    total -- not the notification -- tells what is new. When both are given they
    must agree; a full "refund"/"chargeback" without either is gross_amount.
    None (missing, malformed or contradictory) is for a person to check.
    """
    total = None
    if "refund_amount" in payload:
        total = _whole_rupiah(payload["refund_amount"])
        if total is None:
            return None
    refunds = payload.get("refunds")
    if refunds is not None:
        if not isinstance(refunds, list) or not all(isinstance(r, dict) for r in refunds):
            return None
        amounts = [_whole_rupiah(refund.get("refund_amount")) for refund in refunds]
        if None in amounts or (total is not None and sum(amounts) != total):
            return None
        total = sum(amounts)
    if total is None and transaction_status in _FULLY_REFUNDED_STATUSES:
        total = gross_amount
    if total is None or total > gross_amount:
        return None
    return total


# -- decision -----------------------------------------------------------------


class Action(enum.StrEnum):
    APPLY = "apply"  # record Decision.status on the order's payment
    DUPLICATE = "duplicate"  # the same event again: answer 200, change nothing
    IGNORE = "ignore"  # a late, older state: answer 200, change nothing
    REJECT = "reject"  # authentic but not for this order (amount): log, change nothing
    REVIEW = "review"  # contradicts what Gelar already did: flag for a human


@dataclass(frozen=True)
class Decision:
    action: Action
    status: PaymentStatus | None = None  # set for APPLY only
    reason: str = ""

    @property
    def marks_paid(self) -> bool:
        return self.action is Action.APPLY and self.status is PaymentStatus.PAID


_P = PaymentStatus
_APPLY = Action.APPLY
_IGNORE = Action.IGNORE
_REVIEW = Action.REVIEW
# (current, incoming) -> action, for a notification about the same Midtrans
# transaction as the current status (or the first one) with another status.
# None = no notification recorded yet (the order awaits payment). Follows
# Midtrans' status cycle: pending -> settlement/capture/expire/cancel/deny,
# challenge -> capture(accept)/deny/cancel, settlement -> refund/chargeback, and
# the documented settlement -> deny "reversal". A notification that would move
# a later state back to an earlier one arrived late: ignored. One that turns a
# given-up order (failed: expired, cancelled, denied) into paid, or a paid order
# into unpaid, is a human's call, never automatic: the expired order's stock
# may be sold to someone else by now, the paid one may be shipped. Hence a
# settlement after expire is REVIEW, not paid.
_TRANSITIONS: dict[tuple[PaymentStatus | None, PaymentStatus], Action] = {
    (None, _P.PENDING): _APPLY,
    (None, _P.PAID): _APPLY,
    (None, _P.CHALLENGE): _APPLY,
    (None, _P.FAILED): _APPLY,
    (None, _P.REFUNDED): _REVIEW,
    (_P.PENDING, _P.PAID): _APPLY,
    (_P.PENDING, _P.CHALLENGE): _APPLY,
    (_P.PENDING, _P.FAILED): _APPLY,
    (_P.PENDING, _P.REFUNDED): _REVIEW,
    (_P.CHALLENGE, _P.PENDING): _IGNORE,
    (_P.CHALLENGE, _P.PAID): _APPLY,
    (_P.CHALLENGE, _P.FAILED): _APPLY,
    (_P.CHALLENGE, _P.REFUNDED): _REVIEW,
    (_P.PAID, _P.PENDING): _IGNORE,
    (_P.PAID, _P.CHALLENGE): _IGNORE,
    (_P.PAID, _P.FAILED): _REVIEW,
    (_P.PAID, _P.REFUNDED): _APPLY,
    (_P.FAILED, _P.PENDING): _IGNORE,
    (_P.FAILED, _P.CHALLENGE): _IGNORE,
    (_P.FAILED, _P.PAID): _REVIEW,
    (_P.FAILED, _P.REFUNDED): _REVIEW,
    (_P.REFUNDED, _P.PENDING): _IGNORE,
    (_P.REFUNDED, _P.CHALLENGE): _IGNORE,
    (_P.REFUNDED, _P.PAID): _IGNORE,
    (_P.REFUNDED, _P.FAILED): _IGNORE,
}


def notification_decision(
    *,
    current: PaymentStatus | str | None,
    current_transaction_id: str | None,
    incoming: Notification,
    expected_amount: int,
) -> Decision:
    """What a verified notification should do to an order's payment.

    current: the status recorded from the last applied notification, None if
    none yet; current_transaction_id: the Midtrans transaction_id stored with it
    (needed to tell a repeat from a second payment). expected_amount: the
    order's total in whole Rupiah.
    """
    current = PaymentStatus(current) if current is not None else None
    if incoming.amount != expected_amount:
        return Decision(
            Action.REJECT,
            reason=f"amount {incoming.amount} is not the order's {expected_amount}",
        )
    if current is not None and incoming.transaction_id != current_transaction_id:
        # Another Midtrans transaction for the same order (a second attempt).
        # Only its money matters: it pays an unpaid order, anything else
        # paid twice or paid after the order was given up -- a human refunds.
        if incoming.status is not PaymentStatus.PAID:
            return Decision(Action.IGNORE, reason="concerns another transaction")
        if current in (PaymentStatus.PENDING, PaymentStatus.CHALLENGE):
            return Decision(Action.APPLY, status=PaymentStatus.PAID, reason="paid")
        return Decision(Action.REVIEW, reason=f"second transaction paid while {current}")
    if current is incoming.status:
        # Also capture -> settlement of one card payment: both are PAID.
        return Decision(Action.DUPLICATE, reason=f"already {current}")
    action = _TRANSITIONS[(current, incoming.status)]
    if action is Action.APPLY:
        return Decision(action, status=incoming.status, reason=incoming.status.value)
    return Decision(action, reason=f"{incoming.transaction_status} after {current or 'nothing'}")
