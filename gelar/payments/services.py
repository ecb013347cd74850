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

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record, field_changes
from gelar.exhibitors.models import Exhibitor
from gelar.orders import services as orders
from gelar.orders.models import Order
from gelar.payments import midtrans, qris
from gelar.payments.models import ExhibitorPaymentSettings, GatewayNotification, Payment

Method = Order.PaymentMethod

# --- the exhibitor's settings -------------------------------------------------------


def payment_settings_of(*, exhibitor: Exhibitor) -> ExhibitorPaymentSettings:
    """The exhibitor's settings, or unsaved defaults (cash only) when none are stored."""
    # A query, not exhibitor.payment_settings: that relation caches on the instance.
    found = ExhibitorPaymentSettings.objects.filter(exhibitor=exhibitor).first()
    return found or ExhibitorPaymentSettings(exhibitor=exhibitor)


def payment_methods_for(*, exhibitor: Exhibitor) -> list[str]:
    """The Order.payment_method values the exhibitor accepts, in display order.

    "cash" is pick-up only; the orders app enforces that.
    """
    found = payment_settings_of(exhibitor=exhibitor)
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


def qris_reference(order: Order) -> str:
    """The order number as a QRIS bill number: letters, digits and "-" only."""
    return re.sub(r"[^A-Za-z0-9]", "-", order.number or str(order.pk))[: qris.MAX_REFERENCE_LENGTH]


def payment_instructions(*, order: Order) -> PaymentInstructions:
    """How the buyer pays this order, from the exhibitor's current settings."""
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
    return PaymentInstructions(
        method=method,
        total=total,
        reference=number,
        note=_("Online payment is not available yet; the exhibitor will contact you."),
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
    notification is stored with its decision. A repeat arriving concurrently
    waits for the lock and then sees the stored row; should two still insert at
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
        ).exists()
        if seen:
            return NotificationResult(
                action=midtrans.Action.DUPLICATE.value,
                reason="stored already",
                order_status=order.status,
            )
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
                    payment = Payment.objects.create(
                        order=order,
                        method=Method.GATEWAY,
                        amount=notification.amount,
                        status=Payment.Status.CONFIRMED,
                        confirmed_at=timezone.now(),
                        gateway_transaction_id=notification.transaction_id,
                    )
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
