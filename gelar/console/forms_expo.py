"""Forms of the expo side of the console: they parse and check input, the services write."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from gelar.events.models import AgendaSession, Booth, Expo, Hall
from gelar.exhibitors.models import Category
from gelar.public.embeds import player_for
from gelar.regions.models import Province, Regency

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_GRID_BOOTHS = 400


def clean_stream_url(url: str) -> str:
    """A stream the public page can play: YouTube or an HLS (.m3u8) playlist; '' allowed."""
    player = player_for(url)
    if url and (player is None or player.kind not in ("youtube", "video")):
        raise ValidationError(
            _("Use a YouTube video or live link, or an HLS address ending in .m3u8."),
            code="stream",
        )
    return url


class ExpoForm(forms.ModelForm):
    """An expo's details. The venue's region is picked in two steps, province then
    regency or city: without a script the "Show regencies" button reloads the form with
    the province's list, with one (console.js) the list refills at once."""

    venue_province = forms.ChoiceField(label=_("Venue province"), required=False)

    class Meta:
        model = Expo
        fields = [
            "name",
            "slug",
            "tagline",
            "description",
            "start_date",
            "end_date",
            "time_zone",
            "venue_name",
            "venue_address",
            "venue_province",
            "venue_region",
            "planned_venue_percent",
            "venue_booth_quota",
            "stream_url",
        ]
        labels = {"venue_region": _("Venue regency or city")}
        help_texts = {
            "slug": _("The expo's address on the site; made from the name when left empty."),
            "planned_venue_percent": _(
                "The planned share of exhibitors at the venue; the rest are online."
            ),
            "venue_booth_quota": _(
                "How many exhibitors can get a booth at the venue (0: online only)."
            ),
            "stream_url": _("A YouTube video or live link, or an HLS address ending in .m3u8."),
        }
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["venue_province"].choices = [("", _("Choose a province"))] + [
            (p.code, p.name) for p in Province.objects.all()
        ]
        province = self._province_code()
        if province:
            self.initial.setdefault("venue_province", province)
        self.fields["venue_region"].queryset = (
            Regency.objects.filter(province_id=province) if province else Regency.objects.none()
        )
        self.fields["venue_region"].empty_label = (
            _("Choose a regency or city") if province else _("Choose a province first")
        )
        # Labels for console.js when it refills the list.
        self.fields["venue_region"].widget.attrs.update(
            {
                "data-choose": _("Choose a regency or city"),
                "data-first": _("Choose a province first"),
            }
        )

    def _province_code(self) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix("venue_province"), "")
        province = self.initial.get("venue_province")
        if province:
            return province
        if self.instance.venue_region_id:
            return self.instance.venue_region.province_id
        return ""

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("name", ""))[:50]
        if not slug:
            raise ValidationError(_("Enter a name or an address for the expo."), code="required")
        if Expo.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("Another expo already uses the address %(slug)s: choose another one."),
                params={"slug": slug},
                code="unique",
            )
        return slug

    def clean_stream_url(self) -> str:
        return clean_stream_url(self.cleaned_data.get("stream_url", ""))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The expo cannot end before it starts."))
        return data

    def expo_data(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.Meta.fields if name != "venue_province"
        }


def region_options() -> dict[str, list[list[str]]]:
    """Every province's regencies and cities, for the script that refills the list."""
    options: dict[str, list[list[str]]] = {}
    for code, name, province in Regency.objects.values_list("code", "name", "province_id"):
        options.setdefault(province, []).append([code, name])
    return options


def _parse_speakers(text: str) -> list[tuple[str, str]]:
    speakers = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, _sep, role = (part.strip() for part in line.partition("|"))
        if not name:
            raise ValidationError(
                _("Line %(line)s: write the speaker's name before the |."),
                params={"line": number},
                code="speaker",
            )
        if len(name) > 200 or len(role) > 200:
            raise ValidationError(
                _("Line %(line)s: a name or role is longer than 200 characters."),
                params={"line": number},
                code="speaker",
            )
        speakers.append((name, role))
    return speakers


class SessionForm(forms.ModelForm):
    """A session of the agenda. Times are typed in the expo's zone: the view renders and
    parses the form with that zone active (timezone.override)."""

    speakers = forms.CharField(
        label=_("Speakers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name | role, e.g. Rina Kusuma | Mayor of Pekalongan"),
    )

    class Meta:
        model = AgendaSession
        fields = ["title", "description", "starts_at", "ends_at", "stream_url"]
        widgets = {
            "starts_at": DATETIME_INPUT,
            "ends_at": DATETIME_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"stream_url": _("Empty: the expo's own stream carries the session.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["speakers"] = "\n".join(
                f"{s.name} | {s.role}" if s.role else s.name for s in self.instance.speakers.all()
            )

    def clean_speakers(self) -> list[tuple[str, str]]:
        return _parse_speakers(self.cleaned_data.get("speakers", ""))

    def clean_stream_url(self) -> str:
        return clean_stream_url(self.cleaned_data.get("stream_url", ""))

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data

    def session_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def local_input(value: datetime.datetime, zone) -> str:
    return timezone.localtime(value, zone).strftime("%Y-%m-%dT%H:%M")


def _at_least_one(form: forms.Form, *names: str) -> None:
    for name in names:
        form.fields[name].widget.attrs["min"] = 1
        form.fields[name].validators.append(MinValueValidator(1))


class HallForm(forms.ModelForm):
    class Meta:
        model = Hall
        fields = ["name", "width", "height"]
        help_texts = {
            "width": _("In the plan's units, e.g. decimetres: 400 is a 40 m wide hall."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _at_least_one(self, "width", "height")


class BoothForm(forms.ModelForm):
    class Meta:
        model = Booth
        fields = ["code", "x", "y", "width", "height"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _at_least_one(self, "width", "height")

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()

    def booth_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BoothGridForm(forms.Form):
    prefix = forms.CharField(label=_("Code prefix"), max_length=10, initial="A-", required=False)
    rows = forms.IntegerField(label=_("Rows"), min_value=1, max_value=50, initial=1)
    columns = forms.IntegerField(label=_("Booths per row"), min_value=1, max_value=100, initial=10)
    first_number = forms.IntegerField(label=_("First number"), min_value=0, initial=1)
    x = forms.IntegerField(label=_("Left edge (x)"), min_value=0, initial=10)
    y = forms.IntegerField(label=_("Top edge (y)"), min_value=0, initial=10)
    booth_width = forms.IntegerField(label=_("Booth width"), min_value=1, initial=30)
    booth_height = forms.IntegerField(label=_("Booth depth"), min_value=1, initial=30)
    aisle = forms.IntegerField(
        label=_("Aisle width"),
        min_value=0,
        initial=30,
        help_text=_("Between the rows, and across them every block of booths."),
    )
    block = forms.IntegerField(
        label=_("Booths between cross aisles"),
        min_value=0,
        initial=0,
        help_text=_("0: no cross aisle."),
    )

    def clean(self):
        data = super().clean()
        rows, columns = data.get("rows"), data.get("columns")
        if rows and columns and rows * columns > MAX_GRID_BOOTHS:
            raise ValidationError(
                _("At most %(max)s booths at once."), params={"max": MAX_GRID_BOOTHS}
            )
        prefix = data.get("prefix", "")
        first, count = data.get("first_number"), (rows or 0) * (columns or 0)
        if first is not None and len(prefix) + max(2, len(str(first + count))) > 20:
            self.add_error("prefix", _("The codes would be longer than 20 characters."))
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "name_en", "position"]
