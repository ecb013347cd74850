"""The venue: time slots with a capacity, invitations, tickets, gate devices and scans.

A Ticket carries a secret (32 bytes, URL-safe: random, or for the public form an
HMAC of the form's key under SECRET_KEY, tickets.services) that its QR code holds; the
database keeps only the secret's SHA-256 (`secret_hash`), so a leaked ticket list
or a gate device's download cannot be turned into tickets. A TimeSlot counts its
taken places in `taken`, changed only by a conditional UPDATE (taken < capacity),
so the capacity holds under concurrency. A Scan is one read of a code by a gate
device (online or synced later): (device, nonce) is unique, so a repeated sync
changes nothing; the first admission of a ticket is kept on the ticket, every
later entry of it is a conflict with both gates and times.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gelar.events.models import Expo


def new_ticket_secret() -> str:
    return secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class TimeSlot(models.Model):
    """A time window at the venue open to public registration, e.g. "Rabu 09.00-12.00"."""

    expo = models.ForeignKey(
        Expo, on_delete=models.CASCADE, related_name="time_slots", verbose_name=_("expo")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    # Places taken by valid tickets; only services change it, with a conditional UPDATE.
    taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    is_public = models.BooleanField(_("open to public registration"), default=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="timeslot_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")), name="timeslot_taken_within_capacity"
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.starts_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """A guest the organizer invites (officials, departments, guests from other regions)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    expo = models.ForeignKey(
        Expo, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("expo")
    )
    name = models.CharField(_("name"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    title = models.CharField(_("title or position"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    whatsapp = models.CharField(_("WhatsApp number"), max_length=16, blank=True)
    # The RSVP link's key (random, URL-safe); the link is the guest's only credential.
    token = models.CharField(
        _("token"), max_length=43, unique=True, default=new_ticket_secret, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.name


class Ticket(models.Model):
    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public registration")
        INVITED = "invited", _("Invited guest")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        CANCELLED = "cancelled", _("Cancelled")

    expo = models.ForeignKey(
        Expo, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("expo")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Public tickets hold a place in a slot; an invited guest's ticket is valid every day.
    slot = models.ForeignKey(
        TimeSlot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("time slot"),
    )
    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket",
        verbose_name=_("invitation"),
    )
    # Short, human: printed under the QR and typed at the gate when a code will not scan.
    number = models.CharField(_("number"), max_length=20, unique=True, null=True, editable=False)
    secret_hash = models.CharField(_("secret (SHA-256)"), max_length=64, unique=True)
    holder_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    whatsapp = models.CharField(_("WhatsApp number"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    # The first admission, whichever gate it was at (online or synced later).
    admitted_at = models.DateTimeField(_("admitted"), null=True, blank=True)
    admitted_gate = models.ForeignKey(
        "GateDevice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("admitted at gate"),
    )
    # Inside the venue now (entry and exit scans), for the live occupancy.
    inside = models.BooleanField(_("inside"), default=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="invited", invitation__isnull=False, slot__isnull=True)
                | Q(kind="public", slot__isnull=False, invitation__isnull=True),
                name="ticket_slot_or_invitation",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class GateDevice(models.Model):
    """A phone or laptop at a gate, known by a token the organizer can revoke."""

    expo = models.ForeignKey(
        Expo, on_delete=models.CASCADE, related_name="gate_devices", verbose_name=_("expo")
    )
    name = models.CharField(_("name"), max_length=100)  # e.g. "Gerbang A"
    # SHA-256 of the device's bearer token; the token itself is shown once.
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("gate device")
        verbose_name_plural = _("gate devices")

    def __str__(self) -> str:
        return self.name


class Scan(models.Model):
    """One read of a code at a gate, online or from an offline device's queue."""

    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    class Result(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        EXITED = "exited", _("Exited")
        ALREADY_USED = "already_used", _("Already used")
        CONFLICT = "conflict", _("Admitted offline at two gates")
        WRONG_DAY = "wrong_day", _("Wrong day or time")
        CANCELLED = "cancelled", _("Cancelled")
        UNKNOWN = "unknown", _("Unknown code")
        OTHER_EXPO = "other_expo", _("Ticket of another expo")
        REFUSED_OFFLINE = "refused_offline", _("Refused at the gate (offline)")

    class Anomaly(models.TextChoices):
        # Why an offline admission is a conflict although no one else had used the ticket:
        # the device let the person in where the server would have refused.
        CANCELLED = "cancelled", _("Admitted offline although cancelled")
        OUTSIDE_WINDOW = "outside_window", _("Admitted offline outside its time")

    device = models.ForeignKey(
        GateDevice, on_delete=models.PROTECT, related_name="scans", verbose_name=_("gate")
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scans",
        verbose_name=_("ticket"),
    )
    # The device's id for this scan: a repeated sync sends the same nonce.
    nonce = models.CharField(_("nonce"), max_length=64)
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    # Set on a "conflict" that is not a double entry (see Anomaly); empty otherwise.
    anomaly = models.CharField(
        _("anomaly"), max_length=16, choices=Anomaly.choices, blank=True, default=""
    )
    # SHA-256 of the code as read (stripped): the same nonce with another code is refused.
    # Not the ticket's secret_hash (that hashes the secret alone), and not reversible.
    code_hash = models.CharField(_("code (SHA-256)"), max_length=64, blank=True, default="")
    # When the device read it (its clock) and when the server learnt of it.
    scanned_at = models.DateTimeField(_("scanned"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    offline = models.BooleanField(_("synced from offline"), default=False)

    class Meta:
        ordering = ["-scanned_at", "-pk"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        constraints = [
            models.UniqueConstraint(fields=["device", "nonce"], name="scan_once_per_device_nonce")
        ]
        indexes = [models.Index(fields=["ticket", "scanned_at"])]

    def __str__(self) -> str:
        return f"{self.device} {self.result} {self.scanned_at:%H:%M}"
