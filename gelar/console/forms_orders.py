"""Forms of the console's order pages: the list's filters and the order's actions.

They only parse; the order and payment services decide.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from gelar.orders.models import Order

# Shared with the other interface; the views use them as forms.CancelForm, forms.RefundForm.
from gelar.payments.forms import AmountField, CancelForm, RefundForm  # noqa: F401

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


class PaymentConfirmForm(forms.Form):
    amount = AmountField(
        label=_("Amount received (Rp)"),
        help_text=_("As shown on the bank statement or transfer receipt; it must match the total."),
    )
