"""Forms of the exhibitor's order pages: the list's filters and the order's actions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gelar.catalog.imports import parse_rupiah
from gelar.orders.models import Order
from gelar.payments.models import Refund

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
