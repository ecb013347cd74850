"""How an exhibitor is paid, and the payments and gateway notifications of orders.

Gelar never holds the buyer's money: QRIS and bank transfers go straight to the
exhibitor's own account, cash is paid at the booth. A Payment records that the
money arrived (confirmed by the exhibitor's team or the organizer, or by a
verified Midtrans notification). A GatewayNotification records every verified
notification once: the database's unique constraint on (transaction_id,
transaction_status) tells a repeat from a new event, also when two arrive at
the same moment.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gelar.common.fields import RupiahField
from gelar.exhibitors.models import Exhibitor
from gelar.orders.models import Order


class ExhibitorPaymentSettings(models.Model):
    exhibitor = models.OneToOneField(
        Exhibitor,
        on_delete=models.CASCADE,
        related_name="payment_settings",
        verbose_name=_("exhibitor"),
    )
    # The payload of the exhibitor's STATIC QRIS code; validated by the service.
    qris_payload = models.TextField(_("QRIS code"), blank=True)
    qris_merchant_name = models.CharField(_("QRIS merchant name"), max_length=100, blank=True)
    qris_nmid = models.CharField(_("QRIS national merchant ID (NMID)"), max_length=30, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=34, blank=True)
    bank_account_holder = models.CharField(_("account holder"), max_length=100, blank=True)
    accepts_cash = models.BooleanField(_("accept cash on pick-up"), default=True)
    gateway_enabled = models.BooleanField(_("online payment (Midtrans)"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("payment settings")
        verbose_name_plural = _("payment settings")

    def __str__(self) -> str:
        return str(self.exhibitor)

    @property
    def has_qris(self) -> bool:
        return bool(self.qris_payload)

    @property
    def has_bank_transfer(self) -> bool:
        return bool(self.bank_name and self.bank_account_number and self.bank_account_holder)


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        REFUNDED = "refunded", _("Refunded")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="payments", verbose_name=_("order")
    )
    method = models.CharField(
        _("payment method"), max_length=10, choices=Order.PaymentMethod.choices
    )
    amount = RupiahField(_("amount (Rp)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    gateway_transaction_id = models.CharField(_("gateway transaction"), max_length=64, blank=True)
    # A Snap transaction started for the order (method "gateway", status pending):
    # its token and the Midtrans page the buyer is sent to. Midtrans refuses a second
    # transaction with the same order_id, so a started one is reused, never remade.
    gateway_token = models.CharField(_("gateway token"), max_length=64, blank=True)
    gateway_redirect_url = models.URLField(_("gateway payment page"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.order} Rp {self.amount} ({self.status})"


class GatewayNotification(models.Model):
    """One verified Midtrans notification, stored once per (transaction, status, fraud status)."""

    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="gateway_notifications",
        verbose_name=_("order"),
    )
    transaction_id = models.CharField(_("transaction"), max_length=64)
    transaction_status = models.CharField(_("transaction status"), max_length=32)
    # Part of the event's identity: a card "capture" held by the fraud check
    # ("challenge") is followed by a "capture" with "accept" for the same transaction.
    fraud_status = models.CharField(_("fraud status"), max_length=16, blank=True)
    # midtrans.PaymentStatus of the notification: paid, pending, challenge, failed, refunded.
    status = models.CharField(_("payment status"), max_length=16)
    amount = RupiahField(_("amount (Rp)"))
    payload = models.JSONField(_("payload"))
    # midtrans.Action: apply, ignore, reject, review (a duplicate is never stored).
    decision = models.CharField(_("decision"), max_length=16)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    needs_review = models.BooleanField(_("needs review"), default=False)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("gateway notification")
        verbose_name_plural = _("gateway notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["transaction_id", "transaction_status", "fraud_status"],
                name="gatewaynotification_once_per_status",
            )
        ]

    def __str__(self) -> str:
        return f"{self.transaction_id} {self.transaction_status}"


class Refund(models.Model):
    """Money given back to the buyer for an order, as recorded by a person or Midtrans.

    Gelar never holds the money: the exhibitor (or Midtrans) pays it back, and
    this records that it happened -- how much, how, why and who said so. The sum
    of an order's refunds never exceeds what was paid for it (checked under a
    lock on the order by payments.services.refund_record).
    """

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Bank transfer")
        CASH = "cash", _("Cash")
        QRIS = "qris", _("QRIS or e-wallet")
        GATEWAY = "gateway", _("Online payment (Midtrans)")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="refunds", verbose_name=_("order")
    )
    payment = models.ForeignKey(
        Payment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="refunds",
        verbose_name=_("payment"),
    )
    amount = RupiahField(_("amount (Rp)"))
    method = models.CharField(_("refunded by"), max_length=10, choices=Method.choices)
    reason = models.CharField(_("reason"), max_length=300)
    # The bank's or Midtrans' reference, so the buyer can find it.
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    refunded_at = models.DateTimeField(_("refunded"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-refunded_at", "-pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.order} -Rp {self.amount}"
