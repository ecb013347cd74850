"""What the expo did for its exhibitors (issue 8), beyond what orders, booth sales,
live sessions and tickets already record:

- Visit / BoothVisit: unique visitors of the online expo and of each booth, one row per
  visitor per day (the visitor is a random key in a cookie, stored hashed);
- Inquiry: a bulk (B2B) inquiry from a buyer to an exhibitor, answered and marked
  quoted, won (with its value) or lost -- counted apart from retail sales;
- Outcome: what the exhibitor reports after the expo (sales closed elsewhere, usual
  monthly turnover before and after, new channels, licences held) -- kept apart from
  the figures the platform recorded;
- ReportExport: an XLSX/CSV/PDF export made in the background, with its progress.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gelar.catalog.models import Product
from gelar.common.fields import RupiahField
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor
from gelar.exhibitors.storage import private_storage


def new_inquiry_token() -> str:
    return secrets.token_urlsafe(24)


class Visit(models.Model):
    """A visitor's day at the online expo: unique per (expo, visitor, day)."""

    expo = models.ForeignKey(
        Expo, on_delete=models.CASCADE, related_name="visits", verbose_name=_("expo")
    )
    # SHA-256 (hex) of the visitor's cookie key: the same person on the same day counts once.
    visitor = models.CharField(_("visitor"), max_length=64)
    day = models.DateField(_("day"))  # in the expo's time zone
    first_seen = models.DateTimeField(_("first seen"))

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(fields=["expo", "visitor", "day"], name="visit_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.expo_id} {self.day} {self.visitor[:8]}"


class BoothVisit(models.Model):
    """A visitor's day at one exhibitor's booth page: unique per (expo, exhibitor, visitor, day)."""

    expo = models.ForeignKey(
        Expo, on_delete=models.CASCADE, related_name="booth_visits", verbose_name=_("expo")
    )
    exhibitor = models.ForeignKey(
        Exhibitor,
        on_delete=models.CASCADE,
        related_name="booth_visits",
        verbose_name=_("exhibitor"),
    )
    visitor = models.CharField(_("visitor"), max_length=64)
    day = models.DateField(_("day"))
    first_seen = models.DateTimeField(_("first seen"))

    class Meta:
        verbose_name = _("booth visit")
        verbose_name_plural = _("booth visits")
        constraints = [
            models.UniqueConstraint(
                fields=["expo", "exhibitor", "visitor", "day"], name="boothvisit_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["expo", "exhibitor"])]

    def __str__(self) -> str:
        return f"{self.exhibitor_id} {self.day} {self.visitor[:8]}"


class Inquiry(models.Model):
    """A bulk inquiry (B2B): a retailer, reseller or company asks an exhibitor for a quote."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        QUOTED = "quoted", _("Quoted")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    expo = models.ForeignKey(
        Expo, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("expo")
    )
    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("exhibitor")
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("product"),
    )
    # The buyer's link to follow the answer (/permintaan/<token>/); unguessable.
    token = models.CharField(max_length=43, unique=True, default=new_inquiry_token, editable=False)
    buyer_name = models.CharField(_("name"), max_length=200)
    company = models.CharField(_("company or shop"), max_length=200, blank=True)
    buyer_whatsapp = models.CharField(_("WhatsApp number"), max_length=16)
    buyer_email = models.EmailField(_("email"), blank=True)
    quantity = models.CharField(_("quantity wanted"), max_length=100)  # "500 pcs / bulan"
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    quoted_value = RupiahField(_("quoted value (Rp)"), null=True, blank=True)
    won_value = RupiahField(_("deal value (Rp)"), null=True, blank=True)
    lost_reason = models.CharField(_("why it was lost"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decided_at = models.DateTimeField(_("won or lost"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bulk inquiry")
        verbose_name_plural = _("bulk inquiries")
        indexes = [models.Index(fields=["expo", "exhibitor", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="won") | models.Q(won_value__isnull=False),
                name="inquiry_won_has_value",
            )
        ]

    def __str__(self) -> str:
        return f"{self.buyer_name} -> {self.exhibitor_id} ({self.status})"


class Outcome(models.Model):
    """What an exhibitor reports of the expo, beyond the platform: self-reported, kept apart.

    One per exhibitor and expo; the exhibitor may correct it until the organizer locks
    the report (not yet: it stays editable).
    """

    class Channel(models.TextChoices):
        MARKETPLACE = "marketplace", _("Marketplace (Shopee, Tokopedia, ...)")
        SOCIAL = "social", _("Social commerce (Instagram, TikTok Shop, ...)")
        WEBSITE = "website", _("Own website")
        RESELLER = "reseller", _("Resellers or agents")
        MODERN_RETAIL = "retail", _("Modern retail (supermarkets, minimarkets)")
        EXPORT = "export", _("Export")

    class Licence(models.TextChoices):
        NIB = "nib", _("NIB")
        HALAL = "halal", _("Halal certificate")
        PIRT = "pirt", _("P-IRT")
        BPOM = "bpom", _("BPOM")

    expo = models.ForeignKey(
        Expo, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("expo")
    )
    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("exhibitor")
    )
    # Sales closed outside Gelar thanks to the expo (whole Rupiah).
    sales_whatsapp = RupiahField(_("sales by WhatsApp (Rp)"), default=0)
    sales_marketplace = RupiahField(_("sales on marketplaces (Rp)"), default=0)
    sales_after = RupiahField(_("other sales after the expo (Rp)"), default=0)
    # The usual monthly turnover before the expo (the baseline), and since it.
    turnover_before = RupiahField(_("usual monthly turnover before the expo (Rp)"))
    turnover_after = RupiahField(_("monthly turnover since the expo (Rp)"), null=True, blank=True)
    new_channels = models.JSONField(_("new sales channels"), default=list, blank=True)
    licences = models.JSONField(_("licences held"), default=list, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["expo", "exhibitor"]
        verbose_name = _("exhibitor's own report")
        verbose_name_plural = _("exhibitors' own reports")
        constraints = [
            models.UniqueConstraint(fields=["expo", "exhibitor"], name="outcome_once_per_expo")
        ]

    def __str__(self) -> str:
        return f"{self.exhibitor_id} @ {self.expo_id}"

    @property
    def sales_elsewhere(self) -> int:
        return self.sales_whatsapp + self.sales_marketplace + self.sales_after


class ReportExport(models.Model):
    """An export of an expo's report, made in the background; its file is private."""

    class Kind(models.TextChoices):
        XLSX = "xlsx", _("Spreadsheet (XLSX)")
        CSV = "csv", _("CSV (zip, a file per table)")
        PDF = "pdf", _("PDF report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    expo = models.ForeignKey(
        Expo, on_delete=models.CASCADE, related_name="report_exports", verbose_name=_("expo")
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, default="id")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="reports/", storage=private_storage, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    # The last sign of life: the request, the claim by a run, each progress update. A
    # queued or running export silent for a while died with its process (exporting).
    heartbeat_at = models.DateTimeField(_("last sign of life"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        constraints = [
            # One file in the making per expo and kind: two requests at once cannot both
            # insert one, whatever the database, without locking the expo row.
            models.UniqueConstraint(
                fields=["expo", "kind"],
                condition=models.Q(status__in=["queued", "running"]),
                name="reportexport_one_working_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expo_id} {self.kind} {self.status}"
