"""The booth's point of sale: sales made at the venue, on the same stock as the shop.

A PosSale is one sale rung up on a phone at the booth, online or queued offline and
synced later (client_key makes a replayed sync a no-op). Prices and names are copied
into the lines. When the stock could not cover a line whose goods were already handed
over, the shortfall is kept in `short` and the sale is flagged for the exhibitor.
A PosDay is the closing of one booth's day: the cash expected against the counted.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gelar.catalog.models import Product
from gelar.common.fields import RupiahField
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor

MAX_LINE_QUANTITY = 100


def new_receipt_token() -> str:
    # The receipt link (/struk/<token>/) is sent to the buyer: unguessable.
    return secrets.token_urlsafe(18)


class PosSale(models.Model):
    class PaymentMethod(models.TextChoices):
        CASH = "cash", _("Cash")
        QRIS = "qris", _("QRIS")
        TRANSFER = "transfer", _("Bank transfer")

    class Status(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        FLAGGED = "flagged", _("Flagged")
        RESOLVED = "resolved", _("Resolved")

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.PROTECT, related_name="pos_sales", verbose_name=_("exhibitor")
    )
    expo = models.ForeignKey(
        Expo, on_delete=models.PROTECT, related_name="pos_sales", verbose_name=_("expo")
    )
    # e.g. "K12-000345": the exhibitor's pk, then the sale's pk. Null only between the
    # INSERT and the UPDATE of the same transaction (it needs the pk).
    number = models.CharField(_("number"), max_length=32, unique=True, null=True, editable=False)
    # The device's idempotency key for this sale: a replayed sync returns the stored sale.
    client_key = models.CharField(_("client key"), max_length=64)
    # SHA-256 of the normalised sale: the same key with other content is reported.
    fingerprint = models.CharField(max_length=64, editable=False, default="")
    sold_at = models.DateTimeField(_("sold"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="pos_sales",
        verbose_name=_("staff"),
    )
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices
    )
    subtotal = RupiahField(_("subtotal (Rp)"))
    # At the server's prices: the sum of the lines.
    total = RupiahField(_("total (Rp)"))
    # What the till charged the buyer: its own total. It differs from `total` only for a
    # sale queued offline at outdated prices (then flagged); the change was worked out on
    # it. Null on sales recorded before it was kept, which were charged `total`.
    charged_total = RupiahField(_("charged (Rp)"), null=True, blank=True)
    cash_given = RupiahField(_("cash given (Rp)"), null=True, blank=True)
    change = RupiahField(_("change (Rp)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.COMPLETED
    )
    flag_reason = models.CharField(_("reason"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolve_note = models.CharField(_("note"), max_length=500, blank=True)
    receipt_token = models.CharField(
        _("receipt token"), max_length=32, unique=True, default=new_receipt_token, editable=False
    )
    # Recorded from the device's offline queue (the goods were handed over before).
    offline = models.BooleanField(_("made offline"), default=False)

    class Meta:
        ordering = ["-sold_at", "-pk"]
        verbose_name = _("booth sale")
        verbose_name_plural = _("booth sales")
        indexes = [models.Index(fields=["exhibitor", "expo", "sold_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["exhibitor", "client_key"], name="possale_client_key_per_exhibitor"
            ),
            models.CheckConstraint(
                condition=Q(change__isnull=True) | Q(cash_given__gte=F("change")),
                name="possale_change_within_cash_given",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def charged(self) -> int:
        """What the buyer was charged (the till's total)."""
        return self.total if self.charged_total is None else self.charged_total

    @property
    def charge_difference(self) -> int:
        """charged - total: negative when the till charged less than the prices make."""
        return self.charged - self.total


class PosSaleLine(models.Model):
    sale = models.ForeignKey(
        PosSale, on_delete=models.CASCADE, related_name="lines", verbose_name=_("sale")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="pos_lines", verbose_name=_("product")
    )
    product_name = models.CharField(_("product"), max_length=200)
    unit_price = RupiahField(_("unit price (Rp)"))
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    line_total = RupiahField(_("line total (Rp)"))
    # Units the stock could not cover: handed over anyway, so the sale is flagged.
    short = models.PositiveSmallIntegerField(_("short"), default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("booth sale line")
        verbose_name_plural = _("booth sale lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_LINE_QUANTITY),
                name="possaleline_quantity_1_to_100",
            ),
            models.CheckConstraint(
                condition=Q(line_total=F("unit_price") * F("quantity")),
                name="possaleline_total_is_price_times_quantity",
            ),
            models.CheckConstraint(
                condition=Q(short__lte=F("quantity")), name="possaleline_short_le_quantity"
            ),
            models.UniqueConstraint(fields=["sale", "product"], name="possaleline_product_once"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_name}"


class PosDay(models.Model):
    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.PROTECT, related_name="pos_days", verbose_name=_("exhibitor")
    )
    expo = models.ForeignKey(
        Expo, on_delete=models.PROTECT, related_name="pos_days", verbose_name=_("expo")
    )
    # The day in the expo's time zone.
    date = models.DateField(_("date"))
    cash_expected = RupiahField(_("cash expected (Rp)"))
    cash_counted = RupiahField(_("cash counted (Rp)"))
    # counted - expected: negative when cash is missing.
    difference = models.BigIntegerField(_("difference (Rp)"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("booth day")
        verbose_name_plural = _("booth days")
        constraints = [
            models.UniqueConstraint(
                fields=["exhibitor", "expo", "date"], name="posday_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(difference=F("cash_counted") - F("cash_expected")),
                name="posday_difference_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exhibitor} {self.date}"
