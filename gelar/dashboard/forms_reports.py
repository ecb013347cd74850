"""Forms of the exhibitor's bulk inquiries and own report (Outcome): they parse what was
typed; gelar.reports.services decides."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gelar.catalog.imports import parse_rupiah
from gelar.payments.forms import AmountField
from gelar.reports.models import Inquiry, Outcome
from gelar.reports.services import MAX_AMOUNT

Status = Inquiry.Status


class RupiahOrZeroField(AmountField):
    """Whole Rupiah as people write it (1.500.000, Rp1.500.000), 0 included; empty is None."""

    invalid_message = _("Enter the amount in whole Rupiah, e.g. 1.500.000 (0 when there was none).")

    def to_python(self, value):
        text = (value or "").strip()
        if text in self.empty_values:
            return None
        try:
            amount = parse_rupiah(text) if len(text) <= 30 else None
        except ValidationError:
            amount = None
        if amount is None or not 0 <= amount <= MAX_AMOUNT:
            raise ValidationError(self.invalid_message, code="amount_invalid")
        return amount


# --- bulk inquiries ---


class InquiryFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "")] + list(Status.choices), required=False)

    def status_value(self) -> str:
        return self.cleaned_data["status"] if self.is_valid() else ""


class InquiryAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer to the buyer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The buyer sees it on their inquiry's page, and by email if they gave one."),
        error_messages={"required": _("Write an answer.")},
    )


class InquiryMarkForm(forms.Form):
    """Mark the inquiry quoted (value optional), won (value required) or lost (reason)."""

    status = forms.ChoiceField(
        label=_("Mark as"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose quoted, won or lost."),
            "invalid_choice": _("This inquiry cannot be marked so now."),
        },
    )
    value = AmountField(
        label=_("Value (Rp)"),
        required=False,
        invalid_message=_("Enter the value in whole Rupiah, e.g. 12.500.000."),
        help_text=_("Quoted: the price you offered (optional). Won: the value of the deal."),
    )
    reason = forms.CharField(
        label=_("Why it was lost"),
        required=False,
        max_length=300,
        help_text=_("Only when lost, e.g. price too high, could not deliver in time."),
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label) for value, label in Status.choices if value in targets
        ]

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status == Status.WON and data.get("value") is None and "value" not in self.errors:
            self.add_error(
                "value", ValidationError(_("Enter the value of the deal."), code="value_required")
            )
        if status == Status.LOST and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                ValidationError(_("Say in a few words why it was lost."), code="reason_required"),
            )
        return data


# --- the exhibitor's own report ---


class OutcomeForm(forms.Form):
    sales_whatsapp = RupiahOrZeroField(
        label=_("Sales by WhatsApp from buyers met at the expo (Rp)"), required=False
    )
    sales_marketplace = RupiahOrZeroField(
        label=_("Sales on marketplaces from buyers met at the expo (Rp)"), required=False
    )
    sales_after = RupiahOrZeroField(
        label=_("Other sales thanks to the expo, after it (Rp)"), required=False
    )
    turnover_before = RupiahOrZeroField(
        label=_("Your usual monthly turnover before the expo (Rp)"),
        error_messages={"required": _("Enter your usual monthly turnover before the expo.")},
    )
    turnover_after = RupiahOrZeroField(
        label=_("Your monthly turnover since the expo (Rp)"),
        required=False,
        help_text=_("Leave it empty until you know it."),
    )
    new_channels = forms.MultipleChoiceField(
        label=_("New sales channels you opened since the expo"),
        choices=Outcome.Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the list.")},
    )
    licences = forms.MultipleChoiceField(
        label=_("Licences your business holds now"),
        choices=Outcome.Licence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the list.")},
    )
    note = forms.CharField(
        label=_("Anything else to tell the organizer (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def outcome_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "sales_whatsapp": data["sales_whatsapp"] or 0,
            "sales_marketplace": data["sales_marketplace"] or 0,
            "sales_after": data["sales_after"] or 0,
            "turnover_before": data["turnover_before"],
            "turnover_after": data["turnover_after"],
            "new_channels": data["new_channels"],
            "licences": data["licences"],
            "note": data["note"],
        }
