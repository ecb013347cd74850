"""Account forms: the mobile-number field and the sign-up form (allauth's, extended)."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from gelar.common.validators import normalize_whatsapp


class PhoneField(forms.CharField):
    """An Indonesian mobile number in any usual spelling, cleaned to 62....

    Replaces allauth's PhoneField, which wants E.164 (+62...) typed exactly;
    people here write 0812-3456-7890.
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Phone"))
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "autocomplete": "tel",
                    "inputmode": "tel",
                    "placeholder": "0812 3456 7890",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value:
            value = get_adapter().clean_phone(normalize_whatsapp(value))
        return value


class SignupForm(AllauthSignupForm):
    """Full name, email and/or mobile number, password.

    allauth is configured with a required email (mandatory verification needs
    it); here the email becomes optional when a mobile number is given.
    """

    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    field_order = ["full_name", "email", "phone", "password1", "password2"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs["email_required"] = False
        super().__init__(*args, **kwargs)
        self.fields["phone"].label = _("Mobile number (optional)")
        self.fields["phone"].help_text = _(
            "For example 0812 3456 7890. We send a code by SMS to check it. "
            "Give an email address, a mobile number or both."
        )

    def clean(self):
        cleaned_data = super().clean()
        if (
            not cleaned_data.get("email")
            and not cleaned_data.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error("email", _("Enter an email address or a mobile number."))
        return cleaned_data


class LoginForm(AllauthLoginForm):
    """allauth's login form, labelled for what people type: an email or a number."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Email or phone")  # allauth's msgid, translated by allauth
        login.widget.attrs["autocomplete"] = "username"
