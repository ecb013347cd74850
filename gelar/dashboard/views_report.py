"""The exhibitor's own report: /umkm/<slug>/laporan/ (their expos) and
/umkm/<slug>/laporan/<expo>/ (what the expo did for them).

The business comes from exhibitor_for_member (404 for anyone outside its team) and
the expo from that business's participations that have a report
(selectors_exhibitor.report_participation): the ACCEPTED ones, and one withdrawn or
refused after it sold, took inquiries or reported -- its figures are in the
organizer's report, so the business sees them too. Another expo, or one they applied
to and were never accepted at, is a 404. The figures are
gelar.reports.selectors.exhibitor_report's, which reads this exhibitor's rows and no
one else's -- the page never holds another exhibitor's sales.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone

from gelar.dashboard.views import _exhibitor, _render
from gelar.exhibitors.models import Participation
from gelar.orders.models import Order
from gelar.reports.charts import report_charts
from gelar.reports.models import Outcome
from gelar.reports.selectors import exhibitor_report
from gelar.reports.selectors_exhibitor import report_participation, report_participations


@login_required
def reports(request: HttpRequest, slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    participations = report_participations(exhibitor=business)
    return _render(request, "dashboard/reports.html", business, participations=participations)


@login_required
def report(request: HttpRequest, slug: str, expo_slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        participation = report_participation(exhibitor=business, expo_slug=expo_slug)
    except Participation.DoesNotExist:
        raise Http404("expo") from None
    expo = participation.expo
    figures = exhibitor_report(expo=expo, exhibitor=business, now=timezone.now())
    row = figures["row"]
    statuses = dict(Order.Status.choices)
    channels, licences = dict(Outcome.Channel.choices), dict(Outcome.Licence.choices)
    return _render(
        request,
        "dashboard/report.html",
        business,
        expo=expo,
        participation=participation,
        report=figures,
        row=row,
        charts=report_charts(figures),
        orders_by_status=[
            (statuses.get(status, status), count)
            for status, count in figures["orders_by_status"].items()
        ],
        new_channels=[channels.get(code, code) for code in row["new_channels"]],
        licences_new=[licences.get(code, code) for code in row["licences_new"]],
        zone=expo.time_zone,
    )
