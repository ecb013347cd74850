"""Validators and normalisers for Indonesian identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_DIGITS = re.compile(r"\D+")
# Indonesian mobile numbers: 08xx followed by 7 to 10 more digits, i.e. 62 8xx... in
# international form, 10 to 13 digits after the leading zero.
_MOBILE = re.compile(r"^628\d{7,11}$")
_NIB = re.compile(r"^\d{13}$")


def normalize_whatsapp(raw: str) -> str:
    """Turn '0812-3456-7890', '+62 812 3456 7890' or '812...' into '6281234567890'.

    Raises ValidationError when the result is not an Indonesian mobile number.
    """
    digits = _DIGITS.sub("", raw or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not _MOBILE.match(digits):
        raise ValidationError(
            _("Enter an Indonesian mobile number, for example 0812 3456 7890."),
            code="invalid_whatsapp",
        )
    return digits


def validate_whatsapp(value: str) -> None:
    if value != normalize_whatsapp(value):
        raise ValidationError(
            _("Store the WhatsApp number in international form, for example 6281234567890."),
            code="whatsapp_not_normalized",
        )


def validate_nib(value: str) -> None:
    if not _NIB.match(value or ""):
        raise ValidationError(
            _("An NIB (Nomor Induk Berusaha) has exactly 13 digits."), code="invalid_nib"
        )
