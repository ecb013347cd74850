"""Forms of the console's intake pages: they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gelar.events.models import Booth, Expo
from gelar.exhibitors.models import Category, Participation
from gelar.regions.models import Province

SEARCH_MAX = 100


class QueueFilterForm(forms.Form):
    """The queue's filters; unknown values are dropped, never a 500."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=SEARCH_MAX)
    status = forms.ChoiceField(label=_("Status"), required=False)
    mode = forms.ChoiceField(label=_("Mode"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, to_field_name="slug"
    )
    region = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False
    )

    def __init__(self, *args, expo: Expo, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(Participation.Status.choices)
        self.fields["mode"].choices = everything + list(Participation.Mode.choices)
        self.fields["category"].queryset = Category.objects.filter(
            exhibitors__participations__expo=expo
        ).distinct()
        self.fields["category"].empty_label = _("All")
        self.fields["region"].queryset = Province.objects.filter(
            regencies__exhibitors__participations__expo=expo
        ).distinct()
        self.fields["region"].empty_label = _("All")

    def filters(self) -> dict:
        """The valid filters only: a bad value in one does not drop the others."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason (the exhibitor is told)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _ReasonRequiredMixin:
    NEEDS_REASON = ("refuse", "request_changes")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in self.NEEDS_REASON and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason: the exhibitor is told."))
        return cleaned


class DecisionForm(_ReasonRequiredMixin, forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("accept", _("Accept")),
            ("refuse", _("Refuse")),
            ("request_changes", _("Request changes")),
        ]
    )
    reason = _reason_field()


class BulkDecisionForm(_ReasonRequiredMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("With the selected"),
        choices=[
            ("accept", _("Accept")),
            ("refuse", _("Refuse")),
            ("request_changes", _("Request changes")),
        ],
    )
    ids = forms.TypedMultipleChoiceField(
        label=_("Applications"),
        coerce=int,
        error_messages={"required": _("Select at least one application.")},
    )
    reason = _reason_field()

    def __init__(self, *args, expo: Expo, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [
            (pk, pk) for pk in Participation.objects.filter(expo=expo).values_list("pk", flat=True)
        ]


class ModeForm(forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=Participation.Mode.choices)


class BoothChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, booth: Booth) -> str:
        label = f"{booth.code} · {booth.hall.name}"
        holder = getattr(booth, "holder", None)
        if holder:
            return str(_("%(booth)s (taken: %(name)s)") % {"booth": label, "name": holder})
        return label


class ParticipationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, participation: Participation) -> str:
        return participation.exhibitor.name


class BoothAssignForm(forms.Form):
    """Assign one of the expo's booths; the service checks it is free and within quota.

    The choices are the expo's accepted venue exhibitors and all its booths
    (taken ones say so): anything else is a form error, not a 500.
    """

    participation = ParticipationChoiceField(
        label=_("Exhibitor"), queryset=Participation.objects.none()
    )
    booth = BoothChoiceField(label=_("Booth"), queryset=Booth.objects.none())

    def __init__(self, *args, expo: Expo, participations=None, booths=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participation"].queryset = (
            participations
            if participations is not None
            else Participation.objects.filter(
                expo=expo,
                status=Participation.Status.ACCEPTED,
                mode=Participation.Mode.VENUE,
            ).select_related("exhibitor")
        )
        self.fields["participation"].error_messages["invalid_choice"] = _(
            "Choose an accepted venue exhibitor of this expo."
        )
        self.fields["booth"].queryset = (
            booths
            if booths is not None
            else Booth.objects.filter(hall__expo=expo).select_related("hall")
        )
        self.fields["booth"].error_messages["invalid_choice"] = _(
            "Choose a booth of this expo's floor plan."
        )


class BoothReleaseForm(forms.Form):
    participation = forms.ModelChoiceField(
        queryset=Participation.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, expo: Expo, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participation"].queryset = Participation.objects.filter(expo=expo)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All"))] + [(a, a) for a in actions]
