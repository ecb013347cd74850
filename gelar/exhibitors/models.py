from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gelar.common.text import normalize_search_text
from gelar.common.validators import validate_nib, validate_whatsapp
from gelar.events.models import Booth, Expo
from gelar.exhibitors.storage import private_storage
from gelar.regions.models import Regency


class Category(models.Model):
    """A product category of the expo floor, e.g. batik & fashion, food, drinks."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" else self.name


class Exhibitor(models.Model):
    """A UMKM business. It outlives any one expo: its booth and catalogue carry over."""

    name = models.CharField(_("business name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    owner_name = models.CharField(_("owner"), max_length=200)
    nib = models.CharField(_("NIB"), max_length=13, blank=True, validators=[validate_nib])
    region = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="exhibitors", verbose_name=_("region")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="exhibitors", verbose_name=_("category")
    )
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    whatsapp = models.CharField(_("WhatsApp number"), max_length=16, validators=[validate_whatsapp])
    address = models.CharField(_("address"), max_length=300, blank=True)
    video_url = models.URLField(_("product video URL"), blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("exhibitor")
        verbose_name_plural = _("exhibitors")
        constraints = [
            # One business, one NIB; a micro business may not have one yet.
            models.UniqueConstraint(
                fields=["nib"], condition=~Q(nib=""), name="exhibitor_nib_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = normalize_search_text(self.name, self.owner_name, self.description)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class ExhibitorLink(models.Model):
    """A marketplace shop or social media account of the exhibitor."""

    class Kind(models.TextChoices):
        SHOPEE = "shopee", "Shopee"
        TOKOPEDIA = "tokopedia", "Tokopedia"
        TIKTOK = "tiktok", "TikTok"
        INSTAGRAM = "instagram", "Instagram"
        FACEBOOK = "facebook", "Facebook"
        WEBSITE = "website", _("Website")

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="links", verbose_name=_("exhibitor")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    url = models.URLField(_("URL"))

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.url


class Participation(models.Model):
    """An exhibitor's place in one expo: at the venue or online, and its booth."""

    class Mode(models.TextChoices):
        VENUE = "venue", _("At the venue")
        ONLINE = "online", _("Online")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    expo = models.ForeignKey(
        Expo, on_delete=models.CASCADE, related_name="participations", verbose_name=_("expo")
    )
    exhibitor = models.ForeignKey(
        Exhibitor,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("exhibitor"),
    )
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    # One booth holds one exhibitor: the one-to-one is the database's guarantee.
    booth = models.OneToOneField(
        Booth,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participation",
        verbose_name=_("booth"),
    )
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # Told to the exhibitor: why it was refused, or what to change.
    decision_reason = models.TextField(_("reason"), blank=True)
    # The exhibitor's note to the organizer when applying.
    note = models.TextField(_("note to the organizer"), blank=True)

    class Meta:
        ordering = ["expo", "exhibitor__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["expo", "exhibitor"], name="participation_once_per_expo"
            ),
            models.CheckConstraint(
                condition=Q(booth__isnull=True) | Q(mode="venue"),
                name="participation_booth_only_at_venue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exhibitor} @ {self.expo}"


class ExhibitorMember(models.Model):
    """A person in the business's team: the owner, or staff the owner invited."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="members", verbose_name=_("exhibitor")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exhibitor_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["exhibitor", "role", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["exhibitor", "user"], name="exhibitor_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) @ {self.exhibitor}"


class ExhibitorDocument(models.Model):
    """A legal document of the business: NIB (required to apply), NPWP, halal, P-IRT, BPOM."""

    class Kind(models.TextChoices):
        NIB = "nib", _("NIB (business registration)")
        NPWP = "npwp", _("NPWP (tax number)")
        HALAL = "halal", _("Halal certificate")
        PIRT = "pirt", _("P-IRT (home food industry permit)")
        BPOM = "bpom", _("BPOM registration")

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="documents", verbose_name=_("exhibitor")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to="documents/", storage=private_storage, blank=True)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["exhibitor", "kind"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["exhibitor", "kind"], name="exhibitor_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()


class ExhibitorInvite(models.Model):
    """An invitation to join a business's team as staff, sent by email or WhatsApp.

    Whoever holds the link and is signed in may accept it, once, within
    VALID_DAYS; the owner can revoke it before, and remove staff after.
    """

    VALID_DAYS = 14

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="invites", verbose_name=_("exhibitor")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(
        _("mobile number"), max_length=16, blank=True, validators=[validate_whatsapp]
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        ordering = ["exhibitor", "-created_at", "-pk"]
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="", phone=""), name="exhibitor_invite_has_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email or self.phone} @ {self.exhibitor}"
