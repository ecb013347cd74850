"""Checkouts and orders: what a buyer asked for, per booth, and where it stands.

A Checkout is one submission of a cart that may span several booths; it makes
one Order per exhibitor, each with its own number, status, delivery and payment.
Prices and names are copied into the lines at checkout, so later catalogue
edits do not change what the buyer agreed to pay.
"""

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gelar.catalog.models import Product
from gelar.common.fields import RupiahField
from gelar.common.validators import validate_whatsapp
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor

MAX_LINE_QUANTITY = 100


def new_checkout_token() -> str:
    # 24 random bytes: the buyer's link is the only key to the order page.
    return secrets.token_urlsafe(24)


class Checkout(models.Model):
    token = models.CharField(
        _("token"), max_length=43, unique=True, default=new_checkout_token, editable=False
    )
    # The client's key for "this submit": a repeated submit returns this checkout.
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, unique=True, null=True, blank=True
    )
    # SHA-256 of the normalised request: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64, editable=False)
    expo = models.ForeignKey(
        Expo,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkouts",
        verbose_name=_("expo"),
    )
    buyer_name = models.CharField(_("name"), max_length=200)
    buyer_whatsapp = models.CharField(
        _("WhatsApp number"), max_length=16, validators=[validate_whatsapp]
    )
    buyer_email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")

    def __str__(self) -> str:
        return f"{self.buyer_name} #{self.pk}"


class Order(models.Model):
    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        PAID = "paid", _("Paid")
        PROCESSING = "processing", _("Processing")
        SHIPPED = "shipped", _("Shipped")
        READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pick-up")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    class Delivery(models.TextChoices):
        PICKUP = "pickup", _("Pick up at the venue booth")
        COURIER = "courier", _("Courier shipping")
        LOCAL = "local", _("Local delivery")

    class PaymentMethod(models.TextChoices):
        QRIS = "qris", _("QRIS")
        TRANSFER = "transfer", _("Bank transfer")
        GATEWAY = "gateway", _("Online payment (Midtrans)")
        CASH = "cash", _("Cash on pick-up")

    checkout = models.ForeignKey(
        Checkout, on_delete=models.CASCADE, related_name="orders", verbose_name=_("checkout")
    )
    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.PROTECT, related_name="orders", verbose_name=_("exhibitor")
    )
    expo = models.ForeignKey(
        Expo,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("expo"),
    )
    # e.g. "PHE21-000123": the expo's initials and year, then the primary key. Null only
    # between the INSERT and the UPDATE of the same transaction (it needs the pk).
    number = models.CharField(_("number"), max_length=32, unique=True, null=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    delivery_method = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city or regency"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    delivery_note = models.CharField(_("note for the delivery"), max_length=300, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices
    )
    subtotal = RupiahField(_("subtotal (Rp)"))
    shipping = RupiahField(_("shipping (Rp)"), default=0)
    # Added to a bank transfer's amount so the exhibitor can tell transfers apart.
    unique_code = models.PositiveSmallIntegerField(_("unique code"), default=0)
    total = RupiahField(_("total (Rp)"))
    reserved_until = models.DateTimeField(_("stock reserved until"), db_index=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [models.Index(fields=["status", "reserved_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") + F("shipping") + F("unique_code")),
                name="order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(unique_code__lte=999), name="order_unique_code_max_999"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("product")
    )
    product_name = models.CharField(_("product"), max_length=200)
    unit_price = RupiahField(_("unit price (Rp)"))
    quantity = models.PositiveSmallIntegerField(
        _("quantity"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LINE_QUANTITY)],
    )
    line_total = RupiahField(_("line total (Rp)"))
    # The live pin the buyer bought it from ("Beli sekarang" during a session), for the
    # session's stats; attribution only, so a deleted pin leaves the line alone.
    live_pin = models.ForeignKey(
        "live.Pin",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("live pin"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_LINE_QUANTITY),
                name="orderline_quantity_1_to_100",
            ),
            models.CheckConstraint(
                condition=Q(line_total=F("unit_price") * F("quantity")),
                name="orderline_total_is_price_times_quantity",
            ),
            models.UniqueConstraint(fields=["order", "product"], name="orderline_product_once"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_name}"
