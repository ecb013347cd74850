"""Live shopping during an agenda session: what is pinned, the chat, and their numbers.

The unit is events.AgendaSession (e.g. the Mayor's promotion). LiveState holds
what every viewer must see now -- the pinned product, the announcement, the
chat rules -- with a `version` that grows on every change, so a reconnecting
viewer compares versions and trusts the snapshot rather than a stream of
deltas. A Pin is one period a product was pinned: its clicks and add-to-carts
are counted on it, its orders come from the order lines that carry it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gelar.catalog.models import Product
from gelar.events.models import AgendaSession, Expo

MAX_CHAT_LENGTH = 200
MAX_DISPLAY_NAME_LENGTH = 40


def new_viewer_key() -> str:
    return secrets.token_urlsafe(24)


class RunSheetItem(models.Model):
    """A product planned for a session, in the order the host will show them."""

    session = models.ForeignKey(
        AgendaSession, on_delete=models.CASCADE, related_name="run_sheet", verbose_name=_("session")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # What the host says about it on air, e.g. "Wali Kota menyebut motif Jlamprang".
    note = models.CharField(_("note for the host"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("run sheet item")
        verbose_name_plural = _("run sheet")
        constraints = [
            models.UniqueConstraint(fields=["session", "product"], name="runsheet_product_once")
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.product}"


class Pin(models.Model):
    """One period a product was pinned in a session; the unit of the live stats."""

    session = models.ForeignKey(
        AgendaSession, on_delete=models.CASCADE, related_name="pins", verbose_name=_("session")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pinned by"),
    )
    pinned_at = models.DateTimeField(_("pinned"))
    unpinned_at = models.DateTimeField(_("unpinned"), null=True, blank=True)
    # Counted with F() increments: many viewers tap at once.
    clicks = models.PositiveIntegerField(_("clicks"), default=0)
    add_to_carts = models.PositiveIntegerField(_("added to cart"), default=0)

    class Meta:
        ordering = ["-pinned_at", "-pk"]
        verbose_name = _("pin")
        verbose_name_plural = _("pins")

    def __str__(self) -> str:
        return f"{self.session}: {self.product}"


class LiveState(models.Model):
    """What every viewer of a session must see now; one row per session."""

    session = models.OneToOneField(
        AgendaSession,
        on_delete=models.CASCADE,
        related_name="live_state",
        verbose_name=_("session"),
    )
    pin = models.ForeignKey(
        Pin,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pinned now"),
    )
    announcement = models.CharField(_("announcement"), max_length=300, blank=True)
    chat_open = models.BooleanField(_("chat open"), default=True)
    # 0: off; otherwise a viewer may post once per this many seconds.
    slow_mode_seconds = models.PositiveSmallIntegerField(_("slow mode (seconds)"), default=0)
    # Grows by one on every change; snapshots carry it.
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("live state")
        verbose_name_plural = _("live states")

    def __str__(self) -> str:
        return str(self.session)


class Viewer(models.Model):
    """Someone watching an expo, known by a random key in a cookie; no account needed."""

    expo = models.ForeignKey(
        Expo, on_delete=models.CASCADE, related_name="viewers", verbose_name=_("expo")
    )
    key = models.CharField(
        _("key"), max_length=43, unique=True, default=new_viewer_key, editable=False
    )
    display_name = models.CharField(_("display name"), max_length=MAX_DISPLAY_NAME_LENGTH)
    muted_until = models.DateTimeField(_("muted until"), null=True, blank=True)
    banned_at = models.DateTimeField(_("banned"), null=True, blank=True)
    last_posted_at = models.DateTimeField(_("last message"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("viewer")
        verbose_name_plural = _("viewers")

    def __str__(self) -> str:
        return self.display_name


class ChatMessage(models.Model):
    session = models.ForeignKey(
        AgendaSession, on_delete=models.CASCADE, related_name="chat", verbose_name=_("session")
    )
    viewer = models.ForeignKey(
        Viewer, on_delete=models.CASCADE, related_name="messages", verbose_name=_("viewer")
    )
    # Copied: a later change of name does not rewrite what was said.
    display_name = models.CharField(_("display name"), max_length=MAX_DISPLAY_NAME_LENGTH)
    text = models.CharField(_("message"), max_length=MAX_CHAT_LENGTH)
    created_at = models.DateTimeField(_("sent"), db_index=True)
    hidden_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        indexes = [models.Index(fields=["session", "created_at"])]

    def __str__(self) -> str:
        return f"{self.display_name}: {self.text[:40]}"


class ViewerSample(models.Model):
    """How many viewers were connected to a session at a moment (peak and average)."""

    session = models.ForeignKey(
        AgendaSession,
        on_delete=models.CASCADE,
        related_name="viewer_samples",
        verbose_name=_("session"),
    )
    at = models.DateTimeField(_("at"))
    viewers = models.PositiveIntegerField(_("viewers"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("viewer count")
        verbose_name_plural = _("viewer counts")
        constraints = [
            models.UniqueConstraint(fields=["session", "at"], name="viewersample_once_per_moment")
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.at:%H:%M}: {self.viewers}"


class ChatSettings(models.Model):
    """The expo's chat rules beyond Gelar's defaults: the organizer's blocked words."""

    expo = models.OneToOneField(
        Expo, on_delete=models.CASCADE, related_name="chat_settings", verbose_name=_("expo")
    )
    # One word or phrase per line, matched case-insensitively on word boundaries,
    # on top of live.chat.DEFAULT_BLOCKED_WORDS.
    blocked_words = models.TextField(_("blocked words"), blank=True)

    class Meta:
        verbose_name = _("chat settings")
        verbose_name_plural = _("chat settings")

    def __str__(self) -> str:
        return str(self.expo)
