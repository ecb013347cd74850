"""The report's exports in the console: ask for an XLSX, a zip of CSVs or a PDF, watch it
being made, download it.

/console/<expo>/report/exports/ lists the latest exports (GET) and asks for one (POST
kind=xlsx|csv|pdf and language=id|en, Indonesian when not given, whatever the console's
language: one domain call, reports.exporting.export_request, which makes it in the
background); /console/<expo>/report/exports/<id>/ shows its progress, and while it is
being made polls itself every 2 s with htmx (the fragment alone, on HX-Request; without
JavaScript the page refreshes itself); .../<id>/file is the file. The expo comes from
expo_for_member (admin and staff of its organizer); host, gate and everyone else get a
404 and nothing is made. The files hold the exhibitors' figures: private, never cached.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gelar.events.access import expo_for_member
from gelar.events.models import Expo
from gelar.reports import exporting, exports
from gelar.reports.models import ReportExport

Status = ReportExport.Status


def _expo_or_404(request: HttpRequest, slug: str) -> Expo:
    try:
        return expo_for_member(user=request.user, expo_slug=slug)
    except Expo.DoesNotExist:
        raise Http404("expo") from None


def _export_or_404(expo: Expo, pk: int) -> ReportExport:
    exporting.exports_expire_stale(expo=expo)
    try:
        return ReportExport.objects.select_related("requested_by").get(expo=expo, pk=pk)
    except ReportExport.DoesNotExist:
        raise Http404("export") from None


def _list(
    request: HttpRequest,
    expo: Expo,
    *,
    language: str = settings.LANGUAGE_CODE,
    error: str = "",
    status: int = 200,
):
    return render(
        request,
        "console/report_exports.html",
        {
            "expo": expo,
            "exports": exporting.exports_for_expo(expo=expo),
            "kinds": ReportExport.Kind.choices,
            "languages": exporting.export_languages(),
            "language": language,
            "error": error,
        },
        status=status,
    )


@login_required
def report_exports(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    if request.method == "GET":
        return _list(request, expo)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    kind = request.POST.get("kind", "")
    # The file's language is chosen on the form, not taken from the console's: the
    # report is handed to the Mayor, so Indonesian unless asked otherwise.
    language = request.POST.get("language") or settings.LANGUAGE_CODE
    if language not in dict(exporting.export_languages()):
        return _list(request, expo, error=_("Choose the language of the export."), status=400)
    if kind not in ReportExport.Kind.values:
        return _list(
            request,
            expo,
            language=language,
            error=_("Choose XLSX, CSV or PDF for the export."),
            status=400,
        )
    export = exporting.export_request(expo=expo, kind=kind, actor=request.user, language=language)
    return redirect("console:report_export", slug=expo.slug, pk=export.pk)


@login_required
@require_GET
def report_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    export = _export_or_404(expo, pk)
    context = {"expo": expo, "export": export, "working": export.status in exporting.WORKING}
    if request.headers.get("HX-Request") == "true":
        # 286 tells htmx to stop polling: the file is ready or will not come.
        status = 200 if context["working"] else 286
        return render(request, "console/report_export_status.html", context, status=status)
    return render(request, "console/report_export.html", context)


@login_required
@require_GET
def report_export_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    expo = _expo_or_404(request, slug)
    export = _export_or_404(expo, pk)
    if export.status != Status.DONE or not export.file:
        raise Http404("export file")
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404("export file") from None
    finished = export.finished_at.astimezone(expo.tzinfo)
    extension = exports.EXTENSIONS[export.kind]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"gelar-{expo.slug}-report-{finished:%Y-%m-%d}.{extension}",
        content_type=exports.CONTENT_TYPES[export.kind],
    )
    response["Cache-Control"] = "private, no-store"
    return response
