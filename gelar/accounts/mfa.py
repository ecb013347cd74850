"""Two-factor login required for organizer admins, enforced on every console URL.

It is middleware keyed on the console's URL prefix (in every language) so a
console view cannot forget it. An admin without a TOTP authenticator is sent
to allauth's activation page; once TOTP is active, allauth asks for the code
at every login (allauth.mfa's login stage).
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from gelar.events.models import OrganizerMember


def console_prefixes() -> tuple[str, ...]:
    # i18n_patterns(prefix_default_language=False): /console/ and /en/console/.
    return tuple(
        "/console/" if code == settings.LANGUAGE_CODE else f"/{code}/console/"
        for code, _name in settings.LANGUAGES
    )


def needs_totp(user) -> bool:
    """True for an organizer admin who has not activated TOTP yet."""
    return (
        OrganizerMember.objects.filter(user=user, role=OrganizerMember.Role.ADMIN).exists()
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def require_mfa_for_organizer_admins(get_response):
    prefixes = console_prefixes()

    def middleware(request):
        if (
            request.path_info.startswith(prefixes)
            and request.user.is_authenticated
            and needs_totp(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Organizer administrators must sign in with two-factor authentication. "
                    "Set up an authenticator app to continue to the console."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return get_response(request)

    return middleware
