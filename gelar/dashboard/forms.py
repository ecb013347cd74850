"""The dashboard's forms: they parse what a person typed (or uploaded) into clean
values for the services, and put every problem next to its field."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gelar.catalog import images
from gelar.catalog.imports import parse_rupiah
from gelar.common.validators import normalize_whatsapp, validate_nib
from gelar.exhibitors.models import Category, ExhibitorDocument, ExhibitorLink, Participation
from gelar.exhibitors.services.profile import ProfileError, check_document_file
from gelar.regions.models import Province, Regency

_SEPARATORS = re.compile(r"[\s.\-/]+")


def _digits_only(value: str) -> str:
    return _SEPARATORS.sub("", value or "")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input; each is checked and cleaned (gelar.catalog.images)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        processed, errors = [], []
        for upload in uploads:
            try:
                processed.append(images.process_image(upload))
            except ValidationError as error:
                for message in error.messages:
                    errors.append(
                        ValidationError(
                            _("%(file)s: %(message)s"),
                            code=error.code,
                            params={"file": upload.name[:60], "message": message},
                        )
                    )
        if errors:
            raise ValidationError(errors)
        return processed


# --- business profile ---


class ProfileForm(forms.Form):
    """The business profile; the region is picked as a province, then one of its regencies."""

    name = forms.CharField(label=_("Business name"), max_length=200)
    owner_name = forms.CharField(label=_("Owner's name"), max_length=200)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("Choose a category")
    )
    province = forms.ChoiceField(label=_("Province"))
    region = forms.ModelChoiceField(
        label=_("Regency or city"),
        queryset=Regency.objects.none(),
        empty_label=_("Choose a regency or city"),
        error_messages={
            "invalid_choice": _("Choose a regency or city of the province chosen above."),
        },
    )
    whatsapp = forms.CharField(
        label=_("WhatsApp number"),
        max_length=24,
        help_text=_("Buyers message you here, e.g. 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    description = forms.CharField(
        label=_("About the business"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    nib = forms.CharField(
        label=_("NIB (Nomor Induk Berusaha)"),
        required=False,
        max_length=20,
        help_text=_("13 digits, from OSS. Needed to apply to an expo."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    video_url = forms.URLField(
        label=_("Product video link"),
        required=False,
        assume_scheme="https",
        help_text=_("A YouTube or TikTok video of your products (optional)."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 8 MB."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Choose a province"))] + list(
            Province.objects.order_by("name").values_list("code", "name")
        )
        province = self._value("province")
        self.fields["region"].queryset = Regency.objects.filter(province_id=province or None)

    def _value(self, name: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        value = self.initial.get(name, self.fields[name].initial)
        return getattr(value, "pk", value) or ""

    def clean_whatsapp(self) -> str:
        return normalize_whatsapp(self.cleaned_data["whatsapp"])

    def clean_nib(self) -> str:
        nib = _digits_only(self.cleaned_data["nib"])
        if nib:
            validate_nib(nib)
        return nib

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return images.process_image(
            upload, max_side=images.LOGO_MAX_SIDE, thumbnail_side=None
        ).content

    def profile_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("province", "logo"):
            data.pop(name, None)
        return data


class ExhibitorCreateForm(ProfileForm):
    """The first step: what the public needs to see; the rest comes in the profile."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("address", "video_url", "logo", "nib"):
            del self.fields[name]


class LinkForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Where"), choices=[("", "—")] + list(ExhibitorLink.Kind.choices), required=False
    )
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if data.get("url") and not data.get("kind"):
            self.add_error("kind", _("Choose where this link leads."))
        return data


LinkFormSet = forms.formset_factory(LinkForm, extra=2, max_num=10, validate_max=True)


def links_of(formset) -> list[tuple[str, str]]:
    return [
        (form.cleaned_data["kind"], form.cleaned_data["url"])
        for form in formset.forms
        if form.cleaned_data.get("url")
    ]


# --- legal documents ---


class DocumentForm(forms.Form):
    """One document: its number and an optional scan. Prefixed by its kind."""

    number = forms.CharField(label=_("Number"), max_length=64, required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 5 MB."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    remove_file = forms.BooleanField(label=_("Remove the file"), required=False)

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("prefix", kind)
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.label = ExhibitorDocument.Kind(kind).label
        if kind == ExhibitorDocument.Kind.NIB:
            self.fields["number"].required = True
            self.fields["number"].help_text = _("13 digits. Required to apply to an expo.")
            self.fields["number"].widget.attrs["inputmode"] = "numeric"
        elif kind == ExhibitorDocument.Kind.NPWP:
            self.fields["number"].help_text = _("15 or 16 digits.")
            self.fields["number"].widget.attrs["inputmode"] = "numeric"

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if self.kind == ExhibitorDocument.Kind.NIB:
            number = _digits_only(number)
            validate_nib(number)
        elif self.kind == ExhibitorDocument.Kind.NPWP and number:
            number = _digits_only(number)
            if not re.fullmatch(r"\d{15,16}", number):
                raise ValidationError(_("An NPWP has 15 or 16 digits."), code="invalid_npwp")
        return number

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        try:
            return check_document_file(upload)
        except ProfileError as error:
            raise ValidationError(error.message, code=error.code) from None


# --- products ---


class PriceField(forms.Field):
    """Whole Rupiah as people write it: 150.000, 150000, Rp150.000."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "30"})

    def to_python(self, value):
        value = (value or "").strip()
        if value in self.empty_values:
            return None
        if len(value) > 30:
            raise ValidationError(
                _("Enter the price in whole Rupiah, e.g. 150.000."), code="price_invalid"
            )
        return parse_rupiah(value)

    def prepare_value(self, value):
        # Shown as typed in a bound form; an int from the database in Indonesian style.
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product name"), max_length=200)
    price = PriceField(label=_("Price (Rp)"), help_text=_("Whole Rupiah, e.g. 150.000."))
    stock = forms.IntegerField(
        label=_("Stock"),
        min_value=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    # The stock shown when the form was opened: the save applies the new count only
    # if nobody (an order, a teammate) changed it in between.
    stock_seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    sku = forms.CharField(
        label=_("SKU (your product code)"),
        max_length=64,
        required=False,
        help_text=_("Optional; unique among your products. The spreadsheet import matches it."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_active = forms.BooleanField(
        label=_("Show this product to buyers"), required=False, initial=True
    )
    photos = MultiplePhotoField(
        label=_("Add photos"),
        help_text=_(
            "Take them with the camera or pick several; JPEG, PNG or WebP, up to 8 MB each."
        ),
    )

    def clean_sku(self) -> str:
        return self.cleaned_data["sku"].strip()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_("Up to 5 MB and 2,000 rows; the first row names the columns."),
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


# --- applying to an expo ---


class ApplyForm(forms.Form):
    expo = forms.IntegerField(widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        label=_("Take part"), choices=Participation.Mode.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note to the organizer (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- the team ---


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(
        label=_("or mobile number (WhatsApp)"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        return normalize_whatsapp(phone) if phone.strip() else ""

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("email") and not data.get("phone"):
            raise ValidationError(
                _("Give an email address or a mobile number."), code="invite_empty"
            )
        return data
