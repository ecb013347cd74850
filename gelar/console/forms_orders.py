"""Forms of the console's order pages: the list's filters and the order's actions.

They only parse; the order and payment services decide.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gelar.catalog.imports import parse_rupiah
from gelar.orders.models import Order
from gelar.payments.models import Refund

SEARCH_MAX = 100
# The labels of selectors.STATUS_GROUPS, in the dashboard's words.
GROUP_LABELS = {
    "awaiting_payment": Order.Status.AWAITING_PAYMENT.label,
    "paid": Order.Status.PAID.label,
    "processing": Order.Status.PROCESSING.label,
    "sent": _("Shipped or ready"),
    "completed": Order.Status.COMPLETED.label,
    "closed": _("Cancelled or expired"),
}


class OrderFilterForm(forms.Form):
    """The list's filters from the query string; a bad value drops that filter only."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    method = forms.ChoiceField(label=_("Payment method"), required=False)
    exhibitor = forms.TypedChoiceField(label=_("Exhibitor"), required=False, coerce=int)
    q = forms.CharField(
        label=_("Order number, buyer or WhatsApp"),
        required=False,
        max_length=SEARCH_MAX,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, *args, exhibitors, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(GROUP_LABELS.items())
        self.fields["method"].choices = everything + list(Order.PaymentMethod.choices)
        self.fields["exhibitor"].choices = everything + [(e.pk, e.name) for e in exhibitors]

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {
            "group": data.get("status") or "",
            "method": data.get("method") or "",
            "exhibitor_id": data.get("exhibitor") or None,
            "query": (data.get("q") or "").strip(),
        }


class AmountField(forms.Field):
    """Whole Rupiah as people write it (150.123, Rp150.123)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "30"})
    default_error_messages = {
        "invalid": _("Enter the amount received in whole Rupiah, e.g. 150.123."),
    }

    def to_python(self, value):
        value = (value or "").strip()
        if value in self.empty_values:
            return None
        try:
            amount = parse_rupiah(value) if len(value) <= 30 else None
        except ValidationError:
            amount = None
        if amount is None or amount <= 0:
            raise ValidationError(self.error_messages["invalid"], code="amount_invalid")
        return amount


class PaymentConfirmForm(forms.Form):
    amount = AmountField(
        label=_("Amount received (Rp)"),
        help_text=_("As shown on the bank statement or transfer receipt; it must match the total."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("It is kept in the order's history. The stock goes back on sale."),
    )


class RefundForm(forms.Form):
    amount = AmountField(
        label=_("Amount refunded (Rp)"),
        error_messages={"invalid": _("Enter the amount refunded in whole Rupiah, e.g. 150.000.")},
    )
    method = forms.ChoiceField(label=_("Refunded by"), choices=Refund.Method.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=100,
        help_text=_("The bank's or Midtrans' reference, so the buyer can find the refund."),
    )
