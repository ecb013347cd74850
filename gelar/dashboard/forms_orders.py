"""Forms of the exhibitor's order pages: the list's filters and the order's actions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gelar.orders.models import Order

# Shared with the other interface; the views use them as forms.CancelForm, forms.RefundForm.
from gelar.payments.forms import AmountField, CancelForm, RefundForm  # noqa: F401

Status = Order.Status
# orders.models.Order.tracking_number: the courier's name goes in front of the number,
# as the model has no field of its own for it.
TRACKING_MAX = Order._meta.get_field("tracking_number").max_length
COURIER_MAX = 30


class OrderFilterForm(forms.Form):
    """The list's filters from the query string; anything unknown is simply ignored."""

    status = forms.CharField(required=False)
    expo = forms.IntegerField(required=False, min_value=1)
    q = forms.CharField(
        label=_("Order number or buyer"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "group": data.get("status") or "",
            "expo_id": data.get("expo"),
            "query": (data.get("q") or "").strip(),
        }


class PaymentConfirmForm(forms.Form):
    amount = AmountField(
        label=_("Amount received (Rp)"),
        required=False,
        help_text=_(
            "Optional: type the amount you see in your bank or QRIS app; it must match the total."
        ),
    )


class StatusForm(forms.Form):
    """Move a paid order along; a shipment may carry the courier and tracking number."""

    status = forms.ChoiceField(
        choices=[
            (Status.PROCESSING, Status.PROCESSING.label),
            (Status.SHIPPED, Status.SHIPPED.label),
            (Status.READY_FOR_PICKUP, Status.READY_FOR_PICKUP.label),
            (Status.COMPLETED, Status.COMPLETED.label),
        ]
    )
    courier = forms.CharField(
        label=_("Courier"),
        required=False,
        max_length=COURIER_MAX,
        help_text=_("e.g. JNE, J&T, SiCepat, or your own driver."),
    )
    tracking_number = forms.CharField(label=_("Tracking number"), required=False, max_length=50)

    def clean(self):
        data = super().clean()
        if data.get("status") != Status.SHIPPED:
            data["tracking_text"] = ""
            return data
        parts = [
            " ".join((data.get(name) or "").split()) for name in ("courier", "tracking_number")
        ]
        text = " ".join(part for part in parts if part)
        if len(text) > TRACKING_MAX:
            self.add_error(
                "tracking_number",
                ValidationError(
                    _(
                        "The courier and tracking number together can have at most "
                        "%(max)s characters."
                    )
                    % {"max": TRACKING_MAX},
                    code="tracking_too_long",
                ),
            )
        data["tracking_text"] = text
        return data
