import datetime
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gelar.regions.models import Regency

# Indonesia's three zones; an expo's times are shown in its own.
EXPO_TIME_ZONES = [
    ("Asia/Jakarta", "WIB (Asia/Jakarta)"),
    ("Asia/Makassar", "WITA (Asia/Makassar)"),
    ("Asia/Jayapura", "WIT (Asia/Jayapura)"),
]


class Organizer(models.Model):
    """The body that runs expos, e.g. a city's trade and SME department."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), unique=True)
    region = models.ForeignKey(
        Regency, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organizer")
        verbose_name_plural = _("organizers")

    def __str__(self) -> str:
        return self.name


class Expo(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")

    organizer = models.ForeignKey(
        Organizer, on_delete=models.PROTECT, related_name="expos", verbose_name=_("organizer")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    time_zone = models.CharField(
        _("time zone"), max_length=40, choices=EXPO_TIME_ZONES, default="Asia/Jakarta"
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    venue_region = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("venue region"),
    )
    # The planned split of the expo between the venue and online, e.g. 30 (% offline);
    # the online share is the rest. The organizer's report compares it with the actual one.
    planned_venue_percent = models.PositiveSmallIntegerField(
        _("planned venue share (%)"),
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    venue_booth_quota = models.PositiveIntegerField(_("venue booth quota"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    stream_url = models.URLField(_("live-stream URL"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("expo")
        verbose_name_plural = _("expos")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="expo_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(planned_venue_percent__lte=100), name="expo_venue_percent_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def planned_online_percent(self) -> int:
        return 100 - self.planned_venue_percent

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    def phase(self, *, today: datetime.date) -> str:
        """'live', 'upcoming' or 'past' for the public listing.

        The organizer's status wins where it says more than the calendar: a
        live expo is live, a closed one is past (its booths live on as a
        virtual mall).
        """
        if self.status == self.Status.LIVE:
            return "live"
        if self.status == self.Status.CLOSED or self.end_date < today:
            return "past"
        if self.start_date <= today:
            return "live"
        return "upcoming"


class AgendaSession(models.Model):
    """A slot of the programme, on stage and on stream (e.g. the Mayor's promotion)."""

    expo = models.ForeignKey(
        Expo, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("expo")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # Empty: the expo's own stream carries this session.
    stream_url = models.URLField(_("stream URL"), blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("agenda session")
        verbose_name_plural = _("agenda sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def effective_stream_url(self) -> str:
        return self.stream_url or self.expo.stream_url


class Speaker(models.Model):
    session = models.ForeignKey(
        AgendaSession, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("session")
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class Hall(models.Model):
    """A hall of the venue; its floor plan is drawn in its own units (e.g. decimetres)."""

    expo = models.ForeignKey(
        Expo, on_delete=models.CASCADE, related_name="halls", verbose_name=_("expo")
    )
    name = models.CharField(_("name"), max_length=100)
    width = models.PositiveIntegerField(_("width"), default=1000)
    height = models.PositiveIntegerField(_("height"), default=600)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("hall")
        verbose_name_plural = _("halls")

    def __str__(self) -> str:
        return self.name


class Booth(models.Model):
    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="booths", verbose_name=_("hall")
    )
    code = models.CharField(_("code"), max_length=20)
    x = models.PositiveIntegerField(_("x"))
    y = models.PositiveIntegerField(_("y"))
    width = models.PositiveIntegerField(_("width"), default=30)
    height = models.PositiveIntegerField(_("height"), default=30)

    class Meta:
        ordering = ["hall", "code"]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        constraints = [
            models.UniqueConstraint(fields=["hall", "code"], name="booth_code_unique_in_hall")
        ]

    def __str__(self) -> str:
        return self.code


class OrganizerMember(models.Model):
    """A person's role in an organizer's staff; the console checks it on every request."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        STAFF = "staff", _("Staff")
        HOST = "host", _("Live-stream host")
        GATE = "gate", _("Gate officer")

    organizer = models.ForeignKey(
        Organizer, on_delete=models.CASCADE, related_name="members", verbose_name=_("organizer")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organizer_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organizer", "role", "pk"]
        verbose_name = _("organizer member")
        verbose_name_plural = _("organizer members")
        constraints = [
            models.UniqueConstraint(fields=["organizer", "user"], name="organizer_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) @ {self.organizer}"
