"""The organizer's report of an expo: /console/<expo>/report/ -- what the expo did, live.

Access: admins and staff of the expo's organizer, as for the orders (the report
holds every exhibitor's sales); live-stream hosts, gate officers and everyone else
get a 404. The figures are gelar.reports.selectors.expo_report's, read in a constant
number of queries; the view only pages the exhibitors and draws the charts.

While the expo is live the figures refresh in place: the page's report block asks
`console:report_live` for itself again every 30 seconds (htmx, vendored) and is
swapped for the answer, which is the same block with the same numbers the page
would show. A closed or coming expo is not polled; "Refresh" still fetches it
once (and, without JavaScript, reloads the page).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from gelar.events.access import expo_for_member
from gelar.events.models import Expo
from gelar.reports import charts
from gelar.reports.selectors import expo_report

EXHIBITORS_PER_PAGE = 25
POLL_SECONDS = 30


def _expo_or_404(request: HttpRequest, slug: str) -> Expo:
    try:
        return expo_for_member(user=request.user, expo_slug=slug)
    except Expo.DoesNotExist:
        raise Http404("expo") from None


def _is_live(expo: Expo, now) -> bool:
    return expo.phase(today=timezone.localdate(now, timezone=expo.tzinfo)) == "live"


def _report(expo: Expo, now) -> dict:
    """The expo's report, shared for a few seconds by every screen that shows it.

    Each screen polls every 30 s, and the report reads every order line of the expo
    (about 1 s at a million lines, bench/report.sh): ten screens open in the
    department would keep a core busy. Per language, because labels are translated.
    """
    seconds = settings.GELAR_REPORT_CACHE_SECONDS
    if not seconds:
        return expo_report(expo=expo, now=now)
    key = f"gelar:report:{expo.pk}:{get_language()}"
    report = cache.get(key)
    if report is None:
        report = expo_report(expo=expo, now=now)
        cache.set(key, report, seconds)
    return report


def _context(request: HttpRequest, expo: Expo) -> dict:
    now = timezone.now()
    report = _report(expo, now)
    page = Paginator(report["by_exhibitor"], EXHIBITORS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "expo": expo,
        "report": report,
        "charts": charts.report_charts(report),
        "exhibitor_page": page,
        "page": page,
        "anchor": "#report-exhibitors",
        "zone": expo.time_zone,
        "live": _is_live(expo, now),
        "poll_seconds": POLL_SECONDS,
    }


@login_required
def report(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, "console/report.html", _context(request, expo))


@login_required
def report_live(request: HttpRequest, slug: str) -> HttpResponse:
    """The report block alone, for the page to swap in (htmx)."""
    expo = _expo_or_404(request, slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    response = render(request, "console/report_live.html", _context(request, expo))
    response["Cache-Control"] = "private, no-store"
    return response
