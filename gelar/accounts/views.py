from allauth.account.views import LogoutView as AllauthLogoutView
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from gelar.events.access import CONSOLE_ROLES
from gelar.events.models import OrganizerMember
from gelar.exhibitors.models import ExhibitorMember


def _url(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:  # the page is not built yet: its path, in the current language
        language = get_language()
        return fallback if language == settings.LANGUAGE_CODE else f"/{language}{fallback}"


@login_required
def home(request):
    """Where a person lands after signing in: their console, dashboard, or a start page."""
    user = request.user
    if OrganizerMember.objects.filter(user=user, role__in=CONSOLE_ROLES).exists():
        return redirect(_url("console:home", "/console/"))
    if ExhibitorMember.objects.filter(user=user).exists():
        return redirect(_url("dashboard:home", "/umkm/"))
    memberships = OrganizerMember.objects.filter(user=user).select_related("organizer")
    return render(
        request,
        "account/home.html",
        {"memberships": memberships, "dashboard_url": _url("dashboard:home", "/umkm/")},
    )


class LogoutView(AllauthLogoutView):
    """allauth's sign-out; its answer also empties the browser's HTTP cache for the site
    (Clear-Site-Data: "cache"), where pages of the signed-out account may be kept.

    Not "storage": that would also delete the booth till's sales still queued offline
    and the gate scanner's pairing and scans. The till's kept page (with the business's
    payment details) is removed by the sign-out page's script, gelar/static/pos/signout.js.
    """

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        response["Clear-Site-Data"] = '"cache"'
        return response


logout = LogoutView.as_view()
