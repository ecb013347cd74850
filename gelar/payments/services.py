"""Payments: which methods an exhibitor accepts, what the buyer must do, and the
confirmations (by a person, or by a verified Midtrans notification).

The order's state belongs to gelar.orders.services: everything here that marks
an order paid calls order_mark_paid in the same transaction, so its typed
errors (OrderExpired, AmountMismatch, InvalidTransition) reach the caller
unchanged and roll the payment record back with them.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record, field_changes
from gelar.common.templatetags.gelar_format import rupiah
from gelar.exhibitors.models import Exhibitor
from gelar.orders import services as orders
from gelar.orders.models import Order
from gelar.payments import methods, midtrans, qris, selectors
from gelar.payments.models import (
    ExhibitorPaymentSettings,
    GatewayNotification,
    Payment,
    Refund,
)

Method = Order.PaymentMethod

# --- the exhibitor's settings -------------------------------------------------------


def payment_settings_of(*, exhibitor: Exhibitor) -> ExhibitorPaymentSettings:
    """The exhibitor's settings, or unsaved defaults (cash only) when none are stored."""
    # A query, not exhibitor.payment_settings: that relation caches on the instance.
    found = ExhibitorPaymentSettings.objects.filter(exhibitor=exhibitor).first()
    return found or ExhibitorPaymentSettings(exhibitor=exhibitor)


def payment_methods_for(*, exhibitor: Exhibitor) -> list[str]:
    """The Order.payment_method values the exhibitor accepts, in display order."""
    return methods.accepted_methods(payment_settings_of(exhibitor=exhibitor))


@dataclass(frozen=True)
class PaymentSettingsInput:
    qris_payload: str = ""
    bank_name: str = ""
    bank_account_number: str = ""
    bank_account_holder: str = ""
    accepts_cash: bool = True
    gateway_enabled: bool = False


class PaymentSettingsInvalid(Exception):
    """`message` for the person, `field` the form field, `code` stable."""

    def __init__(self, message, *, field: str, code: str) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


_ACCOUNT_NUMBER = re.compile(r"^[0-9]{5,34}$")


def payment_settings_update(
    *, exhibitor: Exhibitor, actor, data: PaymentSettingsInput
) -> ExhibitorPaymentSettings:
    """Store how the exhibitor is paid; the QRIS payload must be a valid static code.

    Raises PaymentSettingsInvalid (a QrisError's message for the QRIS field).
    """
    # Line breaks come from copying a long code out of a chat or a PDF; spaces stay
    # (merchant names and cities have them, and the CRC covers them).
    payload = re.sub(r"[\r\n]+", "", (data.qris_payload or "").strip())
    merchant_name = nmid = ""
    if payload:
        try:
            info = qris.validate_static_qris(payload)
        except qris.QrisError as error:
            raise PaymentSettingsInvalid(
                str(error), field="qris_payload", code=error.code
            ) from None
        merchant_name, nmid = info.merchant_name, info.nmid or ""
    bank = {
        "bank_name": " ".join(data.bank_name.split()),
        "bank_account_number": re.sub(r"[\s.-]", "", data.bank_account_number),
        "bank_account_holder": " ".join(data.bank_account_holder.split()),
    }
    if any(bank.values()) and not all(bank.values()):
        missing = next(name for name, value in bank.items() if not value)
        raise PaymentSettingsInvalid(
            _("Enter the bank, the account number and the account holder, or none of them."),
            field=missing,
            code="bank_incomplete",
        )
    if bank["bank_account_number"] and not _ACCOUNT_NUMBER.match(bank["bank_account_number"]):
        raise PaymentSettingsInvalid(
            _("An account number has 5 to 34 digits."),
            field="bank_account_number",
            code="bank_account_number_invalid",
        )
    after = {
        "qris_payload": payload,
        "qris_merchant_name": merchant_name[:100],
        "qris_nmid": nmid[:30],
        **bank,
        "accepts_cash": bool(data.accepts_cash),
        "gateway_enabled": bool(data.gateway_enabled),
    }
    with transaction.atomic():
        found, _created = ExhibitorPaymentSettings.objects.select_for_update().get_or_create(
            exhibitor=exhibitor
        )
        before = {name: getattr(found, name) for name in after}
        changes = field_changes(before, after)
        if not changes:
            return found
        for name, value in after.items():
            setattr(found, name, value)
        found.save()
        audit_record(
            actor=actor,
            action="payments.settings_update",
            obj=found,
            changes=changes,
            exhibitor=exhibitor,
        )
    return found


# --- what the buyer must do -----------------------------------------------------------


@dataclass(frozen=True)
class PaymentInstructions:
    method: str
    total: int  # the exact amount to pay, whole Rupiah (with the unique code for transfers)
    reference: str = ""  # the order number, to write in the transfer's note
    qris_payload: str = ""  # the order's dynamic QRIS
    qris_svg: str = ""  # its QR code, an inline <svg> safe to output unescaped
    merchant_name: str = ""
    bank_name: str = ""
    bank_account_number: str = ""
    bank_account_holder: str = ""
    unique_code: int = 0
    note: str = ""
    available: bool = True  # False when the exhibitor removed the method since checkout
    pay_url: str = ""  # Midtrans' page of the order's started online payment, if any


def qris_reference(order: Order) -> str:
    """The order number as a QRIS bill number: letters, digits and "-" only."""
    return re.sub(r"[^A-Za-z0-9]", "-", order.number or str(order.pk))[: qris.MAX_REFERENCE_LENGTH]


def payment_instructions(
    *, order: Order, found: ExhibitorPaymentSettings | None = None
) -> PaymentInstructions:
    """How the buyer pays this order, from the exhibitor's current settings.

    `found`: the exhibitor's settings when the caller fetched them already (a page
    listing several orders fetches every booth's at once: methods.payment_settings_by_exhibitor).
    """
    if found is None:
        found = payment_settings_of(exhibitor=order.exhibitor)
    method, total, number = order.payment_method, order.total, order.number or ""
    if method == Method.QRIS:
        if not found.has_qris:
            return _unavailable(order)
        payload = qris.dynamic_qris(
            static_payload=found.qris_payload, amount=total, reference=qris_reference(order)
        )
        return PaymentInstructions(
            method=method,
            total=total,
            reference=number,
            qris_payload=payload,
            qris_svg=qris.qris_svg(payload),
            merchant_name=found.qris_merchant_name,
            note=_("Scan with any banking or e-wallet app; the amount is filled in."),
        )
    if method == Method.TRANSFER:
        if not found.has_bank_transfer:
            return _unavailable(order)
        return PaymentInstructions(
            method=method,
            total=total,
            reference=number,
            bank_name=found.bank_name,
            bank_account_number=found.bank_account_number,
            bank_account_holder=found.bank_account_holder,
            unique_code=order.unique_code,
            note=_(
                "Transfer exactly Rp %(total)s (the last digits identify your order) and "
                "write %(number)s in the transfer note."
            )
            % {"total": f"{total:,}".replace(",", "."), "number": number},
        )
    if method == Method.CASH:
        return PaymentInstructions(
            method=method,
            total=total,
            reference=number,
            note=_("Pay in cash at the booth when you pick up your order."),
        )
    if Method.GATEWAY not in methods.accepted_methods(found):
        return PaymentInstructions(
            method=method,
            total=total,
            reference=number,
            note=_("Online payment is not available yet; the exhibitor will contact you."),
            available=False,
        )
    # Started by payments.gateway.gateway_payment_start; empty until Midtrans answered.
    pay_url = (
        Payment.objects.filter(order=order, method=Method.GATEWAY, status=Payment.Status.PENDING)
        .exclude(gateway_redirect_url="")
        .values_list("gateway_redirect_url", flat=True)
        .first()
    )
    return PaymentInstructions(
        method=method,
        total=total,
        reference=number,
        note=_("Pay online: you will be taken to Midtrans' secure page."),
        pay_url=pay_url or "",
    )


def _unavailable(order: Order) -> PaymentInstructions:
    return PaymentInstructions(
        method=order.payment_method,
        total=order.total,
        reference=order.number or "",
        note=_("The exhibitor no longer offers this payment method; please contact them."),
        available=False,
    )


# --- confirmations ------------------------------------------------------------------


def payment_confirm(
    *, order: Order, actor, amount: int | None = None, now: datetime | None = None
) -> Payment:
    """The exhibitor's team or the organizer saw the money arrive: the order is paid.

    Access is the caller's job. Raises the orders app's errors unchanged
    (OrderExpired, AmountMismatch, InvalidTransition: `.message` for the person).
    """
    now = now or timezone.now()
    with transaction.atomic():
        order = orders.order_mark_paid(order=order, actor=actor, amount=amount, now=now)
        payment = Payment.objects.create(
            order=order,
            method=order.payment_method,
            amount=order.total,
            status=Payment.Status.CONFIRMED,
            confirmed_by=actor if actor is not None and actor.is_authenticated else None,
            confirmed_at=now,
        )
        _audit_payment(payment, actor=actor, action="payment.confirm")
    return payment


def _audit_payment(payment: Payment, *, actor, action: str, **extra) -> None:
    order = payment.order
    audit_record(
        actor=actor,
        action=action,
        obj=payment,
        changes={
            "order": order.number,
            "method": payment.method,
            "amount": payment.amount,
            "status": payment.status,
            **extra,
        },
        organizer=order.expo.organizer if order.expo_id else None,
        exhibitor=order.exhibitor,
    )


# --- Midtrans notifications ---------------------------------------------------------


class UnknownOrder(Exception):
    """A verified notification for an order number Gelar does not have."""


@dataclass(frozen=True)
class NotificationResult:
    action: str  # midtrans.Action value
    reason: str = ""
    order_status: str = ""


def gateway_notification_process(*, notification: midtrans.Notification, payload: dict):
    """Act on one verified notification, once however often Midtrans repeats it.

    Under a lock on the order: a stored (transaction, status, fraud status) is a
    duplicate; otherwise notification_decision says what to do, and the
    notification is stored with its decision. Refunds are the exception: Midtrans
    sends each later refund of a transaction under the same status with a new
    total, which tells news from a repeat (_gateway_refund). A repeat arriving
    concurrently waits for the lock and then sees the stored row; should two still insert at
    once (no order row to serialise on), the unique constraint refuses the second,
    which is then a duplicate as well. Raises UnknownOrder.
    """
    try:
        return _process(notification=notification, payload=payload)
    except IntegrityError:
        return NotificationResult(action=midtrans.Action.DUPLICATE.value, reason="stored already")


def _process(*, notification: midtrans.Notification, payload: dict) -> NotificationResult:
    fraud_status = notification.fraud_status or ""
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("exhibitor", "expo__organizer")
            .filter(number=notification.order_id)
            .first()
        )
        if order is None:
            raise UnknownOrder(notification.order_id)
        seen = GatewayNotification.objects.filter(
            transaction_id=notification.transaction_id,
            transaction_status=notification.transaction_status,
            fraud_status=fraud_status,
        ).first()
        if seen is not None and seen.needs_review:
            # Flagged for a person already: record nothing more on this transaction's
            # status until they have looked (a refund written now would be counted
            # again by whoever resolves the flag).
            return NotificationResult(
                action=midtrans.Action.DUPLICATE.value,
                reason="stored already",
                order_status=order.status,
            )
        refund = None
        if notification.status is midtrans.PaymentStatus.REFUNDED:
            refund = _gateway_refund(order=order, notification=notification, payload=payload)
        # A refund sent again under a stored status is a duplicate unless it brings a
        # new total (see below).
        repeat = refund is None or refund.action is midtrans.Action.IGNORE
        if seen is not None and repeat:
            return NotificationResult(
                action=midtrans.Action.DUPLICATE.value,
                reason="stored already",
                order_status=order.status,
            )
        if refund is not None:
            decision = refund
        else:
            last = (
                order.gateway_notifications.filter(decision=midtrans.Action.APPLY.value)
                .order_by("-received_at", "-pk")
                .first()
            )
            decision = midtrans.notification_decision(
                current=last.status if last else None,
                current_transaction_id=last.transaction_id if last else None,
                incoming=notification,
                expected_amount=order.total,
            )
        action = decision.action
        reason = decision.reason
        if decision.marks_paid:
            try:
                with transaction.atomic():
                    order = orders.order_mark_paid(
                        order=order, actor=None, amount=notification.amount
                    )
                    # The payment the buyer started from the order page (if any)
                    # becomes the confirmed one: one Payment row per payment.
                    payment = order.payments.filter(
                        method=Method.GATEWAY, status=Payment.Status.PENDING
                    ).first() or Payment(order=order, method=Method.GATEWAY)
                    payment.amount = notification.amount
                    payment.status = Payment.Status.CONFIRMED
                    payment.confirmed_at = timezone.now()
                    payment.gateway_transaction_id = notification.transaction_id
                    payment.save()
                    _audit_payment(
                        payment,
                        actor=None,
                        action="payment.gateway_paid",
                        transaction_id=notification.transaction_id,
                    )
            except orders.OrderError as error:
                # Paid at Midtrans but the order cannot take it (expired, cancelled,
                # already paid by QRIS...): the money must go back -- a person decides.
                action, reason = midtrans.Action.REVIEW, f"{error.code}: {error}"[:200]
        if seen is not None:
            # A later refund of the transaction, sent under a status stored already
            # ("partial_refund" with a higher refund_amount). The unique key keeps one
            # row per status: the refund and its audit entry are the record of this
            # one, and a refund that cannot be recorded flags the stored row.
            if action is not midtrans.Action.REVIEW:
                return NotificationResult(
                    action=action.value, reason=reason, order_status=order.status
                )
            seen.needs_review = True
            seen.save(update_fields=["needs_review"])
            stored = seen
        else:
            stored = GatewayNotification.objects.create(
                order=order,
                transaction_id=notification.transaction_id,
                transaction_status=notification.transaction_status,
                fraud_status=fraud_status,
                status=notification.status.value,
                amount=notification.amount,
                payload=payload,
                decision=action.value,
                reason=reason[:200],
                needs_review=action is midtrans.Action.REVIEW,
            )
        if action in (midtrans.Action.REVIEW, midtrans.Action.REJECT):
            audit_record(
                actor=None,
                action=f"payment.gateway_{action.value}",
                obj=stored,
                changes={
                    "order": order.number,
                    "transaction_status": notification.transaction_status,
                    "amount": notification.amount,
                    "reason": reason[:200],
                },
                organizer=order.expo.organizer if order.expo_id else None,
                exhibitor=order.exhibitor,
            )
    return NotificationResult(action=action.value, reason=reason, order_status=order.status)


def _gateway_refund(
    *, order: Order, notification: midtrans.Notification, payload: dict
) -> midtrans.Decision | None:
    """A refund or chargeback of a Midtrans payment Gelar recorded: record what is new.

    Midtrans sends the transaction's refunded total so far (midtrans.refunded_total);
    what it exceeds the gateway refunds recorded on the payment is new and becomes
    a Refund, anything less is a repeat (IGNORE). None when the notification is not
    about a payment Gelar recorded, or not for this order's amount: the decision
    table says what then (review, ignore, reject).
    """
    payment = order.payments.filter(
        method=Method.GATEWAY,
        gateway_transaction_id=notification.transaction_id,
        status__in=selectors.PAID_STATUSES,
    ).first()
    if payment is None or notification.amount != order.total:
        return None
    total = midtrans.refunded_total(
        payload,
        transaction_status=notification.transaction_status,
        gross_amount=notification.amount,
    )
    if total is None:
        return midtrans.Decision(
            midtrans.Action.REVIEW, reason="refund amount missing or inconsistent"
        )
    gateway_refunds = payment.refunds.filter(method=Refund.Method.GATEWAY)
    recorded = gateway_refunds.aggregate(total=Sum("amount"))["total"] or 0
    if total <= recorded:
        return midtrans.Decision(
            midtrans.Action.IGNORE, reason=f"refunded {total}, recorded {recorded} already"
        )
    if "chargeback" in notification.transaction_status:
        reason = _("Chargeback through Midtrans")
    else:
        reason = _("Refunded through Midtrans")
    try:
        with transaction.atomic():
            _refund_locked(
                order=order,
                actor=None,
                amount=total - recorded,
                method=Refund.Method.GATEWAY,
                reason=reason,
                reference=notification.transaction_id,
                now=timezone.now(),
                payment=payment,
            )
    except RefundInvalid as error:
        # More than Gelar can record (a person recorded refunds by hand as well):
        # someone must look at both.
        return midtrans.Decision(midtrans.Action.REVIEW, reason=f"{error.code}: {error}"[:200])
    return midtrans.Decision(
        midtrans.Action.APPLY,
        status=midtrans.PaymentStatus.REFUNDED,
        reason=f"refunded {total - recorded}",
    )


# --- refunds ------------------------------------------------------------------------

REFUND_REASON_MAX_LENGTH = 300
REFUND_REFERENCE_MAX_LENGTH = 100


class RefundInvalid(Exception):
    """A refund refused: `message` for the person, `field` the form field, `code` stable."""

    def __init__(self, message, *, field: str | None, code: str) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


def refund_record(
    *,
    order: Order,
    actor,
    amount: int,
    method: str,
    reason: str,
    reference: str = "",
    now: datetime | None = None,
) -> Refund:
    """Record money given back to the buyer (by the exhibitor, or by Midtrans).

    Gelar never holds the money, so this only records what happened. The order's
    status does not change: a paid order may be partly refunded and still be
    delivered; cancelling is orders.services.order_cancel. When the refunds reach
    what was paid, the payments become REFUNDED. Access is the caller's job.
    Raises RefundInvalid.
    """
    cleaned = _clean_refund(amount=amount, method=method, reason=reason, reference=reference)
    with transaction.atomic():
        # The lock makes "what is left to refund" a fact until commit: two refunds
        # racing for the rest of an order run one after the other.
        order = _locked_order(order)
        return _refund_locked(order=order, actor=actor, now=now or timezone.now(), **cleaned)


def _locked_order(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("exhibitor", "expo__organizer")
        .get(pk=order.pk)
    )


def _clean_refund(*, amount, method: str, reason: str, reference: str) -> dict:
    # bool is an int subclass; True must not pass as one Rupiah.
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
        raise RefundInvalid(
            _("Enter the amount refunded in whole Rupiah, at least Rp 1."),
            field="amount",
            code="amount_invalid",
        )
    if method not in Refund.Method.values:
        raise RefundInvalid(
            _("Choose how the money was given back."), field="method", code="method_invalid"
        )
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > REFUND_REASON_MAX_LENGTH:
        raise RefundInvalid(
            _("Give a reason for the refund (at most 300 characters)."),
            field="reason",
            code="reason_required",
        )
    reference = " ".join((reference or "").split())
    if len(reference) > REFUND_REFERENCE_MAX_LENGTH:
        raise RefundInvalid(
            _("The reference can have at most 100 characters."),
            field="reference",
            code="reference_too_long",
        )
    return {"amount": amount, "method": str(method), "reason": reason, "reference": reference}


def _refund_locked(
    *,
    order: Order,
    actor,
    amount: int,
    method: str,
    reason: str,
    reference: str,
    now: datetime,
    payment: Payment | None = None,
) -> Refund:
    """The checks and writes of refund_record, on an order the caller has locked."""
    confirmed = order.payments.filter(status=Payment.Status.CONFIRMED)
    paid = selectors.order_paid_amount(order)
    refunded = selectors.order_refunded_amount(order)
    if order.paid_at is None or not paid:
        raise RefundInvalid(
            _("Order %(number)s has not been paid; there is nothing to refund.")
            % {"number": order.number},
            field=None,
            code="not_paid",
        )
    remaining = paid - refunded
    if remaining <= 0:
        raise RefundInvalid(
            _("Order %(number)s has been refunded in full already.") % {"number": order.number},
            field=None,
            code="fully_refunded",
        )
    if amount > remaining:
        raise RefundInvalid(
            _("At most %(remaining)s of order %(number)s is left to refund.")
            % {"remaining": rupiah(remaining), "number": order.number},
            field="amount",
            code="amount_too_high",
        )
    refund = Refund.objects.create(
        order=order,
        payment=payment or confirmed.order_by("-confirmed_at", "-pk").first(),
        amount=amount,
        method=method,
        reason=reason,
        reference=reference,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        refunded_at=now,
    )
    refunded += amount
    if refunded == paid:
        confirmed.update(status=Payment.Status.REFUNDED)
    audit_record(
        actor=actor,
        action="payment.refund",
        obj=refund,
        changes={
            "order": order.number,
            "amount": amount,
            "method": method,
            "reason": reason,
            "reference": reference,
            "refunded": refunded,
            "paid": paid,
        },
        organizer=order.expo.organizer if order.expo_id else None,
        exhibitor=order.exhibitor,
    )
    return refund
