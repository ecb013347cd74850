"""The bulk inquiry form of a booth: it parses what the buyer typed; the rules
(who takes inquiries, the daily limit) are gelar.reports.services'."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gelar.common.validators import normalize_whatsapp


class InquiryForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("No product in particular"),
        error_messages={"invalid_choice": _("Choose a product of this booth.")},
    )
    buyer_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    company = forms.CharField(
        label=_("Company or shop (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    buyer_whatsapp = forms.CharField(
        label=_("WhatsApp number"),
        max_length=30,
        help_text=_("The seller answers you here, e.g. 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Enter your WhatsApp number.")},
    )
    buyer_email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        max_length=254,
        help_text=_("We send you the link to the seller's answer here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    quantity = forms.CharField(
        label=_("Quantity you need"),
        max_length=100,
        help_text=_("e.g. 500 pcs a month, or 20 kodi."),
        error_messages={"required": _("Say how many you need.")},
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you need: variants, packaging, delivery, when."),
        error_messages={"required": _("Write your message to the seller.")},
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products

    def clean_buyer_name(self) -> str:
        name = " ".join(self.cleaned_data["buyer_name"].split())
        if not name:
            raise ValidationError(_("Enter your name."), code="required")
        return name

    def clean_buyer_whatsapp(self) -> str:
        try:
            return normalize_whatsapp(self.cleaned_data["buyer_whatsapp"])
        except ValidationError as error:
            raise ValidationError(error.messages[0], code=error.code) from None
