"""The payment settings form: what the exhibitor typed, cleaned for
gelar.payments.services.payment_settings_update (which validates the QRIS code)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gelar.payments.services import PaymentSettingsInput


class PaymentSettingsForm(forms.Form):
    qris_payload = forms.CharField(
        label=_("Your static QRIS code (the text inside it)"),
        required=False,
        max_length=512,
        strip=True,
        widget=forms.Textarea(
            attrs={"rows": 4, "spellcheck": "false", "autocapitalize": "off", "class": "mono"}
        ),
        help_text=_(
            "Scan the QRIS printed for your stand with a QR reader app, copy the text "
            "(it starts with 000201) and paste it here. Buyers then get a QRIS with the exact "
            "amount of their order, paid straight into your account."
        ),
    )
    bank_name = forms.CharField(label=_("Bank"), required=False, max_length=100)
    bank_account_number = forms.CharField(
        label=_("Account number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    bank_account_holder = forms.CharField(label=_("Account holder"), required=False, max_length=100)
    accepts_cash = forms.BooleanField(
        label=_("Accept cash on pick-up at the booth"), required=False
    )
    gateway_enabled = forms.BooleanField(
        label=_("Accept online payment (Midtrans: virtual account, e-wallets)"), required=False
    )

    def __init__(self, *args, gateway_available: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not gateway_available:
            del self.fields["gateway_enabled"]

    def to_input(self, *, current_gateway_enabled: bool) -> PaymentSettingsInput:
        data = self.cleaned_data
        return PaymentSettingsInput(
            qris_payload=data["qris_payload"],
            bank_name=data["bank_name"],
            bank_account_number=data["bank_account_number"],
            bank_account_holder=data["bank_account_holder"],
            accepts_cash=data["accepts_cash"],
            # Without a server key the choice is not offered: keep what is stored.
            gateway_enabled=data.get("gateway_enabled", current_gateway_enabled),
        )
