"""Forms of the visitor's pages: they parse what was typed; the rules are in services."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gelar.common.validators import normalize_whatsapp

# uuid4().hex, as the form makes it: the ticket's secret is derived from the key
# (services.registration_secret), so a short or guessable one is refused.
IDEMPOTENCY_KEY = re.compile(r"[0-9a-f]{32}")


class RegistrationForm(forms.Form):
    slot = forms.TypedChoiceField(
        label=_("Time slot"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a time slot."),
            "invalid_choice": _("This time slot is no longer open; choose another."),
        },
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    whatsapp = forms.CharField(
        label=_("WhatsApp number"),
        max_length=30,
        help_text=_("e.g. 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Enter your WhatsApp number.")},
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        max_length=254,
        help_text=_("We send your ticket here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    idempotency_key = forms.CharField(max_length=32, widget=forms.HiddenInput)

    def __init__(self, *args, slots, **kwargs):
        """slots: the open TimeSlots; a full one stays listed but cannot be chosen."""
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(slot.pk, str(slot)) for slot in slots]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Enter your name."), code="required")
        return name

    def clean_whatsapp(self) -> str:
        try:
            return normalize_whatsapp(self.cleaned_data["whatsapp"])
        except ValidationError as error:
            raise ValidationError(error.messages[0], code=error.code) from None

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not IDEMPOTENCY_KEY.fullmatch(key):
            raise ValidationError(_("The form expired; submit it again."), code="invalid_key")
        return key
