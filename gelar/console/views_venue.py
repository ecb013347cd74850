"""The venue pages of the console: /console/<expo>/venue/ -- time slots, live
occupancy, conflicts, invitations and gate devices.

Access: the organizer's admins and staff manage everything; a gate officer sees
the occupancy and the gate devices only (no guest data, no action); everyone else
gets a 404 and changes nothing. Every change is one POST calling one service of
gelar.tickets, then a redirect (a refusal re-renders the page with a 400) -- except
creating a gate device, whose token is shown once on the answer to the POST itself
and never stored in clear.
"""

import datetime
from functools import partial
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gelar.console import forms_venue as forms
from gelar.events.access import expo_for_member
from gelar.events.models import Expo, OrganizerMember
from gelar.tickets import organizer
from gelar.tickets import services as tickets
from gelar.tickets.models import GateDevice, Invitation, Scan, Ticket, TimeSlot

Role = OrganizerMember.Role
MANAGE_ROLES = (Role.ADMIN, Role.STAFF)
VIEW_ROLES = (Role.ADMIN, Role.STAFF, Role.GATE)
GATE_PATH = "/gerbang/"


def _expo_or_404(request: HttpRequest, slug: str, roles=MANAGE_ROLES) -> Expo:
    try:
        return expo_for_member(user=request.user, expo_slug=slug, roles=roles)
    except Expo.DoesNotExist:
        raise Http404("expo") from None


def _can_manage(request: HttpRequest, expo: Expo) -> bool:
    return expo.organizer.members.filter(user=request.user, role__in=MANAGE_ROLES).exists()


def _nav(request: HttpRequest, expo: Expo, can_manage: bool) -> dict:
    # A gate officer sees the venue tab only: the others would be 404s.
    return {
        "expo": expo,
        "can_manage": can_manage,
        "nav_live_only": not can_manage,
        "nav_venue_only": not can_manage,
        "zone": expo.time_zone,
    }


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        for item in error.messages:
            form.add_error(None, item)


# --- the overview: occupancy, slots, conflicts ---


def _gate_counts(expo: Expo, since: datetime.datetime) -> list[dict]:
    """Per gate device: entries admitted, exits and refusals since `since`."""
    R = Scan.Result
    refused = [
        R.ALREADY_USED,
        R.WRONG_DAY,
        R.CANCELLED,
        R.UNKNOWN,
        R.OTHER_EXPO,
        R.REFUSED_OFFLINE,
    ]
    return list(
        GateDevice.objects.filter(expo=expo)
        .annotate(
            admitted=Count(
                "scans", filter=Q(scans__scanned_at__gte=since, scans__result=R.ADMITTED)
            ),
            exited=Count("scans", filter=Q(scans__scanned_at__gte=since, scans__result=R.EXITED)),
            refused=Count(
                "scans", filter=Q(scans__scanned_at__gte=since, scans__result__in=refused)
            ),
            conflicts=Count(
                "scans", filter=Q(scans__scanned_at__gte=since, scans__result=R.CONFLICT)
            ),
        )
        .order_by("name", "pk")
        .values("name", "revoked_at", "admitted", "exited", "refused", "conflicts")
    )


def _start_of_today(expo: Expo) -> datetime.datetime:
    local = timezone.localtime(timezone.now(), expo.tzinfo)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _occupancy_context(expo: Expo) -> dict:
    return {
        "occupancy": tickets.occupancy(expo=expo),
        "gates": _gate_counts(expo, _start_of_today(expo)),
    }


def _venue_page(request: HttpRequest, expo: Expo, *, form=None, status: int = 200) -> HttpResponse:
    can_manage = _can_manage(request, expo)
    context = {**_nav(request, expo, can_manage), **_occupancy_context(expo)}
    if can_manage:
        with timezone.override(expo.tzinfo):
            context.update(
                {
                    "slots": list(expo.time_slots.all()),
                    "form": form or forms.SlotForm(instance=TimeSlot(expo=expo)),
                    "conflicts": list(tickets.conflicts(expo=expo)),
                }
            )
    return render(request, "console/venue.html", context, status=status)


@login_required
def venue(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the overview (a gate officer sees the occupancy); POST: add a slot."""
    if request.method == "POST":
        expo = _expo_or_404(request, slug)
        with timezone.override(expo.tzinfo):
            form = forms.SlotForm(request.POST, instance=TimeSlot(expo=expo))
            if not form.is_valid():
                return _venue_page(request, expo, form=form, status=400)
            try:
                organizer.slot_create(expo=expo, actor=request.user, **form.slot_data())
            except ValidationError as error:
                _apply_errors(form, error)
                return _venue_page(request, expo, form=form, status=400)
        messages.success(request, _("The time slot is added."))
        return redirect("console:venue", expo.slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    expo = _expo_or_404(request, slug, roles=VIEW_ROLES)
    if request.GET.get("part") == "occupancy":
        # What venue_live.js fetches every few seconds: the occupancy block alone.
        response = render(
            request,
            "console/venue_occupancy.html",
            {"expo": expo, "zone": expo.time_zone, **_occupancy_context(expo)},
        )
        response["Cache-Control"] = "no-store"
        return response
    return _venue_page(request, expo)


def _slot_or_404(expo: Expo, pk: int) -> TimeSlot:
    try:
        return TimeSlot.objects.select_related("expo__organizer").get(expo=expo, pk=pk)
    except TimeSlot.DoesNotExist:
        raise Http404("slot") from None


@login_required
def slot_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    slot = _slot_or_404(expo, pk)
    with timezone.override(expo.tzinfo):
        form = forms.SlotForm(request.POST or None, instance=_slot_or_404(expo, pk))
        if request.method == "POST" and form.is_valid():
            try:
                organizer.slot_update(slot=slot, actor=request.user, **form.slot_data())
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The time slot is saved."))
                return redirect("console:venue", expo.slug)
        return render(
            request,
            "console/venue_slot.html",
            {**_nav(request, expo, True), "form": form, "slot": slot},
            status=400 if request.method == "POST" else 200,
        )


@login_required
def slot_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    slot = _slot_or_404(expo, pk)
    if request.method == "POST":
        try:
            organizer.slot_delete(slot=slot, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("console:venue", expo.slug)
        messages.success(request, _("The time slot is deleted."))
        return redirect("console:venue", expo.slug)
    with timezone.override(expo.tzinfo):
        label = f"{timezone.localtime(slot.starts_at):%d-%m-%Y %H.%M}"
    return render(
        request,
        "console/confirm.html",
        {
            **_nav(request, expo, True),
            "question": _("Delete the time slot %(slot)s?") % {"slot": slot.name or label},
            "button": _("Delete"),
            "cancel_url": reverse("console:venue", args=[expo.slug]),
            "danger": True,
        },
    )


# --- invitations ---


def _badges_available() -> bool:
    try:
        from gelar.tickets import documents
    except ImportError:
        return False
    return hasattr(documents, "badges_pdf")


def _invitations_page(
    request: HttpRequest,
    expo: Expo,
    *,
    form=None,
    import_form=None,
    reissued: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    filters = forms.InvitationFilterForm(request.GET)
    invitations = Invitation.objects.filter(expo=expo).select_related("ticket", "expo")
    chosen = filters.cleaned_data["status"] if filters.is_valid() else ""
    if chosen:
        invitations = invitations.filter(status=chosen)
    rows = []
    for invitation in invitations:
        rows.append(
            {
                "invitation": invitation,
                "ticket": getattr(invitation, "ticket", None),
                "rsvp_url": organizer.invitation_rsvp_url(invitation),
                "whatsapp_url": organizer.invitation_whatsapp_url(invitation),
            }
        )
    counts = dict(
        Invitation.objects.filter(expo=expo)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "console/venue_invitations.html",
        {
            **_nav(request, expo, True),
            "rows": rows,
            "filters": filters,
            "counts": [(label, counts.get(value, 0)) for value, label in Invitation.Status.choices],
            "form": form or forms.InvitationForm(),
            "import_form": import_form or forms.InvitationImportForm(),
            "badges": _badges_available(),
            "reissued": reissued,
        },
        status=status,
    )


@login_required
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the guest list; POST: invite one guest."""
    expo = _expo_or_404(request, slug)
    if request.method == "GET":
        return _invitations_page(request, expo)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    form = forms.InvitationForm(request.POST)
    if not form.is_valid():
        return _invitations_page(request, expo, form=form, status=400)
    try:
        invitation = tickets.invitation_create(expo=expo, actor=request.user, **form.cleaned_data)
    except tickets.TicketError as error:
        form.add_error(getattr(error, "field", None), error.message)
        return _invitations_page(request, expo, form=form, status=400)
    messages.success(request, _("%(name)s is invited.") % {"name": invitation.name})
    return redirect("console:venue_invitations", expo.slug)


@login_required
def invitations_import(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.InvitationImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invitations_page(request, expo, import_form=form, status=400)
    rows = form.cleaned_data["file"]
    try:
        # All or nothing: a refused guest leaves the list as it was, to fix and re-upload.
        with transaction.atomic():
            for row in rows:
                try:
                    tickets.invitation_create(expo=expo, actor=request.user, **row.data)
                except tickets.TicketError as error:
                    raise ValidationError(
                        _("Row %(line)s: %(problem)s")
                        % {"line": row.line, "problem": error.message}
                    ) from None
    except ValidationError as error:
        form.add_error("file", error)
        return _invitations_page(request, expo, import_form=form, status=400)
    messages.success(
        request,
        ngettext("%(count)s guest is invited.", "%(count)s guests are invited.", len(rows))
        % {"count": len(rows)},
    )
    return redirect("console:venue_invitations", expo.slug)


def _invitation_or_404(expo: Expo, pk: int) -> Invitation:
    try:
        return Invitation.objects.select_related("expo__organizer").get(expo=expo, pk=pk)
    except Invitation.DoesNotExist:
        raise Http404("invitation") from None


@login_required
def invitation_send(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    invitation = _invitation_or_404(expo, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        organizer.invitation_send_link(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The RSVP link is sent to %(email)s.") % {"email": invitation.email},
        )
    return redirect("console:venue_invitations", expo.slug)


def _invitation_ticket_or_404(expo: Expo, pk: int) -> Ticket:
    try:
        return Ticket.objects.select_related("expo__organizer", "invitation").get(
            expo=expo, invitation__pk=pk
        )
    except Ticket.DoesNotExist:
        raise Http404("ticket") from None


@login_required
def ticket_reissue(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A guest lost their ticket: GET asks, POST makes a new link (the old QR code stops
    working), emails it after commit when there is an address and shows it once."""
    expo = _expo_or_404(request, slug)
    ticket = _invitation_ticket_or_404(expo, pk)
    if request.method != "POST":
        return render(
            request,
            "console/confirm.html",
            {
                **_nav(request, expo, True),
                "question": _(
                    "Issue a new ticket link for %(name)s? The old link and QR code stop "
                    "working at once (gates that are offline learn it when they sync)."
                )
                % {"name": ticket.holder_name},
                "button": _("Issue a new ticket link"),
                "cancel_url": reverse("console:venue_invitations", args=[expo.slug]),
                "danger": True,
            },
        )
    try:
        secret = tickets.ticket_reissue_secret(ticket=ticket, actor=request.user)
    except tickets.TicketError as error:
        messages.error(request, error.message)
        return redirect("console:venue_invitations", expo.slug)
    link = organizer.ticket_url(secret)
    if ticket.email:
        transaction.on_commit(
            partial(
                organizer.send_ticket_email,
                ticket_id=ticket.pk,
                ticket_url=link,
                language=translation.get_language(),
            )
        )
    message = _("My ticket for %(expo)s: %(url)s") % {"expo": expo.name, "url": link}
    reissued = {
        "name": ticket.holder_name,
        "email": ticket.email,
        "url": link,
        "whatsapp_url": f"https://wa.me/{ticket.whatsapp}?text={quote(message, safe='')}",
    }
    response = _invitations_page(request, expo, reissued=reissued)
    # The link is the ticket: shown on this answer only, no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def invitation_badges(request: HttpRequest, slug: str) -> HttpResponse:
    """Name badges of the guests who accepted, as one PDF to print."""
    expo = _expo_or_404(request, slug)
    if not _badges_available():
        raise Http404("badges")
    from gelar.tickets.documents import badges_pdf

    # Without the secrets (only hashes are stored) the badges carry names, no QR code.
    guests = Invitation.objects.filter(expo=expo, status=Invitation.Status.ACCEPTED)
    pdf = badges_pdf(list(guests.select_related("expo")))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="badges-{expo.slug}.pdf"'
    return response


# --- gate devices ---


def pairing_url(token: str) -> str:
    return f"{settings.SITE_URL}{GATE_PATH}#token={quote(token, safe='')}"


def _qr_svg(text: str) -> str:
    """The pairing link as an inline <svg> QR code (ElementTree escapes the label)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    svg = image.get_image()
    for attribute in ("width", "height"):
        svg.attrib.pop(attribute, None)
    svg.set("role", "img")
    svg.set("shape-rendering", "crispEdges")
    image.path.attrib.pop("id", None)
    svg.set("aria-label", _("The pairing link as a QR code"))
    return image.to_string(encoding="unicode")


def _gates_page(
    request: HttpRequest,
    expo: Expo,
    *,
    form=None,
    created: GateDevice | None = None,
    token: str = "",
    status: int = 200,
) -> HttpResponse:
    can_manage = _can_manage(request, expo)
    pairing = pairing_url(token) if token else ""
    return render(
        request,
        "console/venue_gates.html",
        {
            **_nav(request, expo, can_manage),
            "devices": list(GateDevice.objects.filter(expo=expo)),
            "form": form or forms.GateDeviceForm(),
            "created": created,
            "token": token,
            "pairing_url": pairing,
            "pairing_qr": _qr_svg(pairing) if pairing else "",
        },
        status=status,
    )


@login_required
def gates(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the devices (a gate officer may look); POST: add one, showing its token once."""
    if request.method == "GET":
        return _gates_page(request, _expo_or_404(request, slug, roles=VIEW_ROLES))
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    expo = _expo_or_404(request, slug)
    form = forms.GateDeviceForm(request.POST)
    if not form.is_valid():
        return _gates_page(request, expo, form=form, status=400)
    try:
        device, token = tickets.gate_device_create(
            expo=expo, actor=request.user, name=form.cleaned_data["name"]
        )
    except tickets.TicketError as error:
        form.add_error("name", error.message)
        return _gates_page(request, expo, form=form, status=400)
    response = _gates_page(request, expo, created=device, token=token)
    # The token is on this page only: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


def _device_or_404(expo: Expo, pk: int) -> GateDevice:
    try:
        return GateDevice.objects.select_related("expo__organizer").get(expo=expo, pk=pk)
    except GateDevice.DoesNotExist:
        raise Http404("gate device") from None


@login_required
def gate_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    device = _device_or_404(expo, pk)
    if request.method == "POST":
        if device.revoked_at is None:
            tickets.gate_device_revoke(device=device, actor=request.user)
        messages.success(request, _("%(name)s can no longer scan.") % {"name": device.name})
        return redirect("console:venue_gates", expo.slug)
    return render(
        request,
        "console/confirm.html",
        {
            **_nav(request, expo, True),
            "question": _(
                "Revoke %(name)s? The device stops scanning at once; "
                "its offline scans not yet synced are refused."
            )
            % {"name": device.name},
            "button": _("Revoke"),
            "cancel_url": reverse("console:venue_gates", args=[expo.slug]),
            "danger": True,
        },
    )
