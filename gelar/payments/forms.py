"""Forms shared by the exhibitor's dashboard and the organizer's console: an amount in
Rupiah as people type it, cancelling an order, recording a refund. They only parse;
the order and payment services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gelar.catalog.imports import parse_rupiah
from gelar.payments.models import Refund


class AmountField(forms.Field):
    """Whole Rupiah as people write it (150.123, Rp150.123); empty is None."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "30"})
    invalid_message = _("Enter the amount received in whole Rupiah, e.g. 150.123.")

    def __init__(self, *args, invalid_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        if invalid_message is not None:
            self.invalid_message = invalid_message

    def to_python(self, value):
        value = (value or "").strip()
        if value in self.empty_values:
            return None
        try:
            amount = parse_rupiah(value) if len(value) <= 30 else None
        except ValidationError:
            amount = None
        if amount is None or amount <= 0:
            raise ValidationError(self.invalid_message, code="amount_invalid")
        return amount


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("It is kept in the order's history. The stock goes back on sale."),
    )


class RefundForm(forms.Form):
    """Money given back to the buyer: the service checks it against what was paid."""

    amount = AmountField(
        label=_("Amount refunded (Rp)"),
        invalid_message=_("Enter the amount refunded in whole Rupiah, e.g. 50.000."),
    )
    method = forms.ChoiceField(label=_("Refunded by"), choices=Refund.Method.choices)
    reason = forms.CharField(
        label=_("Reason for the refund"),
        max_length=Refund._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=Refund._meta.get_field("reference").max_length,
        help_text=_("Optional: the transfer's or Midtrans' reference, so the buyer can find it."),
    )
