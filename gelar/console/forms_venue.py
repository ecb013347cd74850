"""Forms of the venue pages: they only parse; gelar.tickets' services decide."""

import csv
import datetime
import io
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gelar.common.validators import normalize_whatsapp
from gelar.console.forms_expo import DATETIME_INPUT
from gelar.tickets.models import Invitation, TimeSlot

MAX_CAPACITY = 100_000
IMPORT_MAX_BYTES = 512 * 1024
IMPORT_MAX_ROWS = 2000
IMPORT_COLUMNS = ("name", "institution", "title", "email", "whatsapp")
# A first row naming the columns (English or Indonesian) is a header, not a guest.
_HEADER_WORDS = {"name", "nama"}


class SlotForm(forms.ModelForm):
    """A time slot; times are typed in the expo's zone (the view overrides the zone)."""

    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=MAX_CAPACITY)

    class Meta:
        model = TimeSlot
        fields = ["name", "starts_at", "ends_at", "capacity", "is_public"]
        widgets = {"starts_at": DATETIME_INPUT, "ends_at": DATETIME_INPUT}
        help_texts = {"name": _("Optional, e.g. Wednesday morning.")}

    def _within_expo(self, name: str):
        """A time from the day before the expo to the day after: a typo of the year
        (0001, 9999) is an error here, not an OverflowError when it is stored in UTC."""
        value = self.cleaned_data[name]
        expo = self.instance.expo
        first = expo.start_date - datetime.timedelta(days=1)
        last = expo.end_date + datetime.timedelta(days=1)
        # Already in the expo's zone (the view overrides the zone): no conversion here.
        if value is not None and not first <= value.date() <= last:
            raise ValidationError(
                _("Choose a time between %(first)s and %(last)s.")
                % {
                    "first": formats.date_format(first, "j F Y"),
                    "last": formats.date_format(last, "j F Y"),
                },
                code="outside_expo",
            )
        return value

    def clean_starts_at(self):
        return self._within_expo("starts_at")

    def clean_ends_at(self):
        return self._within_expo("ends_at")

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The slot must end after it starts."))
        return data

    def slot_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self):
        # The services write the slot (conditional UPDATE of the capacity); the model's
        # own validation would compare against a stale `taken`.
        pass


def _clean_whatsapp(raw: str) -> str:
    return normalize_whatsapp(raw) if raw.strip() else ""


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    title = forms.CharField(label=_("Title or position"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    whatsapp = forms.CharField(label=_("WhatsApp number"), max_length=30, required=False)

    def clean_whatsapp(self) -> str:
        return _clean_whatsapp(self.cleaned_data.get("whatsapp", ""))


@dataclass
class ImportRow:
    line: int
    data: dict


class InvitationImportForm(forms.Form):
    """A CSV of guests: name, institution, title, email, whatsapp (a header row is
    optional; commas or semicolons). Every bad row is reported with its line number,
    and nothing is imported until the file is clean."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, institution, title, email, whatsapp. "
            "Only the name is required; a header row is allowed."
        ),
    )

    def clean_file(self) -> list[ImportRow]:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is too large (at most 512 KB)."))
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Save the file as CSV (UTF-8).")) from None
        rows, errors = parse_invitation_csv(text)
        if errors:
            raise ValidationError(errors)
        if not rows:
            raise ValidationError(_("The file has no guests."))
        return rows


def parse_invitation_csv(text: str) -> tuple[list[ImportRow], list[str]]:
    """The guests of a CSV and the errors, one message per bad row."""
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows: list[ImportRow] = []
    errors: list[str] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for line, cells in enumerate(reader, start=1):
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                continue
            if line == 1 and cells[0].lower() in _HEADER_WORDS:
                continue
            if len(rows) + len(errors) >= IMPORT_MAX_ROWS:
                errors.append(
                    gettext("At most %(count)s guests per file.") % {"count": IMPORT_MAX_ROWS}
                )
                break
            data = dict(zip(IMPORT_COLUMNS, cells + [""] * len(IMPORT_COLUMNS), strict=False))
            problem = _row_problem(data, extra=len(cells) > len(IMPORT_COLUMNS))
            if problem:
                errors.append(
                    gettext("Row %(line)s: %(problem)s") % {"line": line, "problem": problem}
                )
            else:
                rows.append(ImportRow(line=line, data=data))
    except csv.Error:
        errors.append(gettext("The file is not a valid CSV."))
    return rows, errors


def _row_problem(data: dict, *, extra: bool) -> str:
    if extra:
        return gettext("too many columns (expected name, institution, title, email, whatsapp).")
    if not data["name"]:
        return gettext("the name is missing.")
    for key in ("name", "institution", "title"):
        if len(data[key]) > 200:
            return gettext("%(column)s is longer than 200 characters.") % {"column": key}
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            return gettext("“%(email)s” is not an email address.") % {"email": data["email"]}
    try:
        data["whatsapp"] = _clean_whatsapp(data["whatsapp"])
    except ValidationError:
        return gettext("“%(number)s” is not an Indonesian mobile number.") % {
            "number": data["whatsapp"]
        }
    return ""


class InvitationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(Invitation.Status.choices),
    )


class GateDeviceForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The gate it stands at, e.g. Gerbang A."),
    )
