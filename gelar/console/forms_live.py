"""Forms of the host console: they only parse; gelar.live's services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gelar.live.chat import MAX_SLOW_MODE_SECONDS
from gelar.live.runsheet import MAX_NOTE_LENGTH
from gelar.live.services import MAX_ANNOUNCEMENT_LENGTH

SEARCH_MAX = 100


class ProductSearchForm(forms.Form):
    """Narrows the products offered for the run sheet (GET)."""

    q = forms.CharField(
        label=_("Find a product"),
        required=False,
        max_length=SEARCH_MAX,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def query(self) -> str:
        return (self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""


class RunSheetAddForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=None,
        error_messages={"invalid_choice": _("Choose a product of an accepted exhibitor.")},
    )
    note = forms.CharField(
        label=_("Note for the host (optional)"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class AnnouncementForm(forms.Form):
    text = forms.CharField(
        label=_("Announcement"),
        required=False,
        max_length=MAX_ANNOUNCEMENT_LENGTH,
        help_text=_("Shown above the chat to every viewer; leave empty to remove it."),
    )


class ChatRulesForm(forms.Form):
    chat_open = forms.BooleanField(label=_("Chat open"), required=False)
    slow_mode_seconds = forms.IntegerField(
        label=_("Slow mode (seconds between messages, 0: off)"),
        min_value=0,
        max_value=MAX_SLOW_MODE_SECONDS,
    )


class BlockedWordsForm(forms.Form):
    blocked_words = forms.CharField(
        label=_("Blocked words"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One word or phrase per line, on top of Gelar's own list; "
            "they are masked with asterisks in every session of this expo."
        ),
    )
