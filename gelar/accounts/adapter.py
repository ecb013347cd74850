"""Gelar's allauth adapter: mobile numbers on accounts.User, codes by SMS."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from gelar.accounts import sms
from gelar.accounts.forms import PhoneField
from gelar.accounts.models import User
from gelar.common.validators import normalize_whatsapp


def _normalized(phone: str) -> str | None:
    try:
        return normalize_whatsapp(phone)
    except ValidationError:
        return None


class AccountAdapter(DefaultAccountAdapter):
    # -- mobile numbers (allauth's phone support) -----------------------------

    def phone_form_field(self, **kwargs) -> PhoneField:
        return PhoneField(**kwargs)

    def get_phone(self, user: User) -> tuple[str, bool] | None:
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone(self, user: User, phone: str, verified: bool) -> None:
        user.phone = normalize_whatsapp(phone)
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def set_phone_verified(self, user: User, phone: str) -> None:
        user.phone_verified = True
        user.save(update_fields=["phone_verified"])

    def get_user_by_phone(self, phone: str) -> User | None:
        # The login form passes what was typed ("0812-..."), not the cleaned value.
        normalized = _normalized(phone)
        if normalized is None:
            return None
        return User.objects.filter(phone=normalized).first()

    def send_verification_code_sms(self, user: User, phone: str, code: str, **kwargs) -> None:
        text = gettext("Your Gelar verification code is %(code)s. Do not share it.") % {
            "code": code
        }
        sms.send_sms(to=normalize_whatsapp(phone), text=text)

    def send_account_already_exists_sms(self, phone: str) -> None:
        # Someone tried to sign up with a number that has an account; tell its owner
        # rather than the person at the form (no account enumeration).
        text = gettext(
            "Someone tried to sign up for Gelar with this number, which already has an "
            "account. If it was you, sign in instead or reset your password."
        )
        sms.send_sms(to=normalize_whatsapp(phone), text=text)

    # -- sign-up -----------------------------------------------------------------

    def save_user(self, request, user: User, form, commit: bool = True) -> User:
        user.full_name = form.cleaned_data.get("full_name", "")
        return super().save_user(request, user, form, commit=commit)

    def populate_username(self, request, user: User) -> None:
        # Usernames are internal (the admin's login); derive one from the name.
        if not user.username:
            user.username = self.generate_unique_username([user.full_name, user.email, "user"])

    # -- login ---------------------------------------------------------------------

    def get_login_stages(self) -> list[str]:
        return [
            "gelar.accounts.stages.EmailVerificationStage"
            if stage == "allauth.account.stages.EmailVerificationStage"
            else stage
            for stage in super().get_login_stages()
        ]

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth keys the per-login failure limit by email or username only, so
        # every login by mobile number would share one counter: five failures on
        # any number would lock out all of them. Key those by the number itself.
        phone = credentials.get("phone")
        if phone and not credentials.get("email"):
            return f"phone:{_normalized(phone) or phone}"
        return super()._get_login_attempts_cache_key(request, **credentials)
