"""The console's intake: the application queue, one application, booths, export, audit log.

Every view finds the expo through expo_for_member (admin and staff of its
organizer); anyone else gets a 404 and changes nothing. Views parse input
with a form, call one service, and tell the result as a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product, ProductImage
from gelar.common.search import filter_by_search
from gelar.console import exports
from gelar.console.forms_intake import (
    AuditFilterForm,
    BoothAssignForm,
    BoothReleaseForm,
    BulkDecisionForm,
    DecisionForm,
    ModeForm,
    QueueFilterForm,
)
from gelar.events import selectors as events
from gelar.events.access import expo_for_member
from gelar.events.models import Booth, Expo
from gelar.exhibitors import notifications
from gelar.exhibitors.models import Exhibitor, ExhibitorDocument, Participation
from gelar.exhibitors.services import participation as services
from gelar.public.floorplan import draw_hall

QUEUE_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 50
DOCUMENT_KINDS = ExhibitorDocument.Kind


def _expo_or_404(request: HttpRequest, slug: str) -> Expo:
    try:
        return expo_for_member(user=request.user, expo_slug=slug)
    except Expo.DoesNotExist:
        raise Http404("expo") from None


def _with_change_rows(entries) -> list[AuditEntry]:
    """Each entry's changes as (field, old, new, is_pair) rows: edits are [old, new]
    pairs, other details (a reason, a count) are shown as they are."""
    entries = list(entries)
    for entry in entries:
        changes = entry.changes if isinstance(entry.changes, dict) else {"": entry.changes}
        entry.change_rows = [
            (field, value[0], value[1], True)
            if isinstance(value, list) and len(value) == 2
            else (field, None, value, False)
            for field, value in changes.items()
        ]
    return entries


def _page(request: HttpRequest, items, size: int):
    return Paginator(items, size).get_page(request.GET.get("page"))


# --- the queue -----------------------------------------------------------------------


def _queue(*, expo: Expo, filters: dict):
    documents = {
        f"has_{kind}": Exists(
            # Present: a number or a file (or both).
            ExhibitorDocument.objects.filter(exhibitor=OuterRef("exhibitor"), kind=kind).exclude(
                file="", number=""
            )
        )
        for kind in DOCUMENT_KINDS.values
    }
    participations = (
        Participation.objects.filter(expo=expo)
        .select_related("exhibitor__category", "exhibitor__region__province", "booth")
        .annotate(products_count=Count("exhibitor__products", distinct=True), **documents)
        .order_by("applied_at", "pk")
    )
    if filters.get("status"):
        participations = participations.filter(status=filters["status"])
    if filters.get("mode"):
        participations = participations.filter(mode=filters["mode"])
    if filters.get("category"):
        participations = participations.filter(exhibitor__category=filters["category"])
    if filters.get("region"):
        participations = participations.filter(exhibitor__region__province=filters["region"])
    if filters.get("q"):
        matching = filter_by_search(Exhibitor.objects.all(), filters["q"])
        participations = participations.filter(exhibitor__in=matching.values("pk"))
    return participations


def _status_counts(expo: Expo) -> list[tuple[str, str, int]]:
    counts = dict(
        Participation.objects.filter(expo=expo)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in Participation.Status.choices]


def _bulk_message(request: HttpRequest, outcomes: list[services.BulkOutcome]) -> None:
    done = [o.participation.exhibitor.name for o in outcomes if o.ok]
    if done:
        messages.success(
            request,
            _("Done for %(count)s: %(names)s.") % {"count": len(done), "names": ", ".join(done)},
        )
    for outcome in outcomes:
        if not outcome.ok:
            who = outcome.participation.exhibitor.name if outcome.participation else ""
            messages.error(request, f"{who or outcome.participation_id}: {outcome.message}")


@login_required
@require_http_methods(["GET", "POST"])
def applications(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    filter_form = QueueFilterForm(request.GET or None, expo=expo)
    filters = filter_form.filters() if request.GET else {}
    bulk_form = BulkDecisionForm(request.POST or None, expo=expo)
    if request.method == "POST" and bulk_form.is_valid():
        data = bulk_form.cleaned_data
        if data["action"] == "accept":
            outcomes = services.participations_accept(
                expo=expo, ids=data["ids"], actor=request.user
            )
        elif data["action"] == "refuse":
            outcomes = services.participations_refuse(
                expo=expo, ids=data["ids"], reason=data["reason"], actor=request.user
            )
        else:
            outcomes = services.participations_request_changes(
                expo=expo, ids=data["ids"], reason=data["reason"], actor=request.user
            )
        _bulk_message(request, outcomes)
        return redirect(request.get_full_path())
    page = _page(request, _queue(expo=expo, filters=filters), QUEUE_PAGE_SIZE)
    selected = set(bulk_form.cleaned_data.get("ids", [])) if bulk_form.is_bound else set()
    if bulk_form.is_bound and not selected:
        selected = {int(v) for v in request.POST.getlist("ids") if v.isdigit()}
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "console/intake_applications.html",
        {
            "expo": expo,
            "filter_form": filter_form,
            "bulk_form": bulk_form,
            "page": page,
            "selected": selected,
            "base_query": urlencode(query),
            "document_kinds": DOCUMENT_KINDS.values,
            "status_counts": _status_counts(expo),
        },
    )


# --- one application -----------------------------------------------------------------


def _participation_or_404(expo: Expo, pk: int) -> Participation:
    try:
        return Participation.objects.select_related(
            "expo__organizer",
            "exhibitor__category",
            "exhibitor__region__province",
            "booth__hall",
            "decided_by",
        ).get(expo=expo, pk=pk)
    except Participation.DoesNotExist:
        raise Http404("participation") from None


def _decide(request: HttpRequest, participation: Participation, data: dict) -> None:
    actor = request.user
    if data["action"] == "accept":
        services.participation_accept(participation=participation, actor=actor)
        messages.success(request, _("%(name)s is accepted.") % {"name": participation.exhibitor})
    elif data["action"] == "refuse":
        services.participation_refuse(
            participation=participation, reason=data["reason"], actor=actor
        )
        messages.success(request, _("%(name)s is refused.") % {"name": participation.exhibitor})
    else:
        services.participation_request_changes(
            participation=participation, reason=data["reason"], actor=actor
        )
        messages.success(
            request,
            _("Changes requested from %(name)s.") % {"name": participation.exhibitor},
        )


@login_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    participation = _participation_or_404(expo, pk)
    posted = request.POST.get("form") if request.method == "POST" else None
    decision_form = DecisionForm(request.POST if posted == "decision" else None)
    mode_form = ModeForm(
        request.POST if posted == "mode" else None, initial={"mode": participation.mode}
    )
    if posted == "decision" and decision_form.is_valid():
        try:
            _decide(request, participation, decision_form.cleaned_data)
        except services.ParticipationError as error:
            messages.error(request, error.message)
        return redirect("console:application", expo.slug, participation.pk)
    if posted == "mode" and mode_form.is_valid():
        try:
            services.participation_change_mode(
                participation=participation, mode=mode_form.cleaned_data["mode"], actor=request.user
            )
            messages.success(request, _("The mode is changed."))
        except services.ParticipationError as error:
            messages.error(request, error.message)
        return redirect("console:application", expo.slug, participation.pk)
    exhibitor = participation.exhibitor
    documents = {d.kind: d for d in exhibitor.documents.all()}
    products = (
        Product.objects.filter(exhibitor=exhibitor)
        .prefetch_related(
            Prefetch(
                "images", queryset=ProductImage.objects.order_by("position", "pk"), to_attr="pics"
            )
        )
        .order_by("-is_active", "name", "pk")
    )
    owner = exhibitor.members.filter(role="owner").select_related("user").first()
    history = AuditEntry.objects.filter(
        object_type=Participation._meta.label_lower, object_id=str(participation.pk)
    ).select_related("actor")
    status = request.GET.get("status", "")
    return render(
        request,
        "console/intake_application.html",
        {
            "expo": expo,
            "participation": participation,
            "exhibitor": exhibitor,
            "owner_user": owner.user if owner else None,
            "documents": [
                (kind, label, documents.get(kind)) for kind, label in DOCUMENT_KINDS.choices
            ],
            "products": products,
            "history": _with_change_rows(history),
            "decision_form": decision_form,
            "mode_form": mode_form,
            "whatsapp_url": notifications.whatsapp_link(participation=participation),
            "can_decide": participation.status
            in (Participation.Status.APPLIED, Participation.Status.CHANGES_REQUESTED),
            "can_refuse": participation.status
            in (
                Participation.Status.APPLIED,
                Participation.Status.CHANGES_REQUESTED,
                Participation.Status.ACCEPTED,
            ),
            "back_query": urlencode({"status": status}) if status else "",
        },
    )


@login_required
@require_GET
def document(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A legal document of an exhibitor of the expo, for the expo's staff only."""
    expo = _expo_or_404(request, slug)
    try:
        doc = ExhibitorDocument.objects.get(pk=pk, exhibitor__participations__expo=expo)
    except ExhibitorDocument.DoesNotExist:
        raise Http404("document") from None
    if not doc.file:
        raise Http404("document file")
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404("document file") from None
    name = doc.file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    # Personal data: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


# --- booths --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def booths(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    venue = (
        Participation.objects.filter(
            expo=expo, status=Participation.Status.ACCEPTED, mode=Participation.Mode.VENUE
        )
        .select_related("exhibitor", "booth__hall")
        .order_by("exhibitor__name", "pk")
    )
    all_booths = (
        Booth.objects.filter(hall__expo=expo)
        .select_related("hall")
        .annotate(
            holder=Participation.objects.filter(booth=OuterRef("pk")).values("exhibitor__name")[:1]
        )
        .order_by("hall__position", "hall__pk", "code", "pk")
    )
    action = request.POST.get("form") if request.method == "POST" else None
    initial = (
        {"participation": request.GET.get("participation")}
        if request.GET.get("participation", "").isdigit()
        else {}
    )
    assign_form = BoothAssignForm(
        request.POST if action == "assign" else None,
        expo=expo,
        participations=venue,
        booths=all_booths,
        initial=initial,
    )
    if action == "assign" and assign_form.is_valid():
        data = assign_form.cleaned_data
        try:
            done = services.booth_assign(
                participation=data["participation"], booth=data["booth"], actor=request.user
            )
            messages.success(
                request,
                _("Booth %(code)s is assigned to %(name)s.")
                % {"code": done.booth.code, "name": done.exhibitor.name},
            )
        except services.ParticipationError as error:
            messages.error(request, error.message)
        return redirect("console:booths", expo.slug)
    if action == "release":
        release_form = BoothReleaseForm(request.POST, expo=expo)
        if release_form.is_valid():
            participation = release_form.cleaned_data["participation"]
            services.booth_release(participation=participation, actor=request.user)
            messages.success(
                request, _("The booth of %(name)s is released.") % {"name": participation.exhibitor}
            )
        else:
            messages.error(request, _("Choose an exhibitor of this expo."))
        return redirect("console:booths", expo.slug)
    venue = list(venue)
    drawings = [draw_hall(plan, empty_label=_("Empty")) for plan in events.floor_plan(expo=expo)]
    held = services.booths_held(expo=expo)
    return render(
        request,
        "console/intake_booths.html",
        {
            "expo": expo,
            "drawings": drawings,
            "with_booth": [p for p in venue if p.booth_id],
            "without_booth": [p for p in venue if not p.booth_id],
            "assign_form": assign_form,
            "held": held,
            "quota": expo.venue_booth_quota,
            "quota_full": held >= expo.venue_booth_quota,
            "free_booths": sum(1 for b in all_booths if not b.holder),
        },
    )


# --- export --------------------------------------------------------------------------


@login_required
@require_GET
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    status = request.GET.get("status", "")
    if status not in Participation.Status.values:
        status = ""
    today = timezone.localdate()
    if fmt == "csv":
        body, content_type = exports.as_csv(expo=expo, status=status), exports.CSV_CONTENT_TYPE
    elif fmt == "xlsx":
        body, content_type = exports.as_xlsx(expo=expo, status=status), exports.XLSX_CONTENT_TYPE
    else:
        raise Http404("format")
    response = HttpResponse(body, content_type=content_type)
    name = exports.filename(expo=expo, extension=fmt, today=today)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- audit log -----------------------------------------------------------------------


@login_required
@require_GET
def audit(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    entries = AuditEntry.objects.filter(organizer=expo.organizer)
    actions = list(entries.order_by("action").values_list("action", flat=True).distinct())
    form = AuditFilterForm(request.GET or None, actions=actions)
    action = form.cleaned_data.get("action") if form.is_bound and form.is_valid() else ""
    if action:
        entries = entries.filter(action=action)
    entries = entries.select_related("actor", "exhibitor").order_by("-at", "-pk")
    page = _page(request, entries, AUDIT_PAGE_SIZE)
    page.object_list = _with_change_rows(page.object_list)
    return render(
        request,
        "console/intake_audit.html",
        {
            "expo": expo,
            "form": form,
            "page": page,
            "base_query": urlencode({"action": action}) if action else "",
        },
    )
