from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gelar.common.validators import validate_whatsapp


class User(AbstractUser):
    """A person who signs in: organizer staff or an exhibitor's team member.

    Visitors need no account. A person signs in with an email address or an
    Indonesian mobile number (stored as 62...); allauth keeps the email
    addresses and their verification, this model the phone number.
    """

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(
        _("mobile number"),
        max_length=16,
        null=True,
        blank=True,
        validators=[validate_whatsapp],
    )
    phone_verified = models.BooleanField(_("mobile number verified"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=Q(phone__isnull=False), name="user_phone_unique"
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or self.username
