"""The visitor's side of the venue: registration, the ticket page and PDF, the RSVP page.

No login: a ticket's link carries its secret, an invitation's link its token.
The secret is never stored; the ticket page hashes it and looks the hash up, and
anything that cannot be a secret is a 404 before any query (PostgreSQL refuses a
NUL byte). The rules (capacity, closed slots, cancelling, RSVP) are
gelar.tickets.services'; these views parse, call one service, render.
"""

import re
import uuid
from functools import partial
from urllib.parse import quote

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from gelar.events import selectors as events
from gelar.events.models import Expo
from gelar.tickets import services
from gelar.tickets.documents import ticket_pdf, ticket_qr_svg, ticket_when
from gelar.tickets.forms_public import IDEMPOTENCY_KEY, RegistrationForm
from gelar.tickets.models import Invitation, Ticket, TimeSlot, secret_hash
from gelar.tickets.organizer import send_ticket_email

# secrets.token_urlsafe(32) makes 43 of these; anything else is no secret or token.
_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")


def _expo_or_404(slug: str) -> Expo:
    try:
        return events.public_expo(slug=slug)
    except Expo.DoesNotExist:
        raise Http404("expo") from None


def _context(expo: Expo, **context) -> dict:
    is_over = events.expo_phase(expo=expo, now=timezone.now()) == "past"
    return {"expo": expo, "is_over": is_over, **context}


def _private(response: HttpResponse) -> HttpResponse:
    # The link is the key: no search engine, no referrer carrying it to another site.
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- registration -------------------------------------------------------------------


def _open_slots(expo: Expo, now):
    """The public slots a visitor may still choose, soonest first; past ones hidden.

    register_for_slot has the final word; this only spares the visitor a form that
    cannot succeed (a closed expo, a slot that is over).
    """
    if expo.status not in (Expo.Status.PUBLISHED, Expo.Status.LIVE):
        return []
    return list(TimeSlot.objects.filter(expo=expo, is_public=True, ends_at__gt=now))


@never_cache
# The form's key shows its ticket again (services.register_from_form): never in an error
# report.
@sensitive_post_parameters("idempotency_key")
@require_http_methods(["GET", "POST"])
def visit(request: HttpRequest, slug: str) -> HttpResponse:
    """The venue's time slots with the places left and the registration form."""
    expo = _expo_or_404(slug)
    now = timezone.now()
    if request.method == "POST":
        # A form sent again (a second tap, the back button) finds its ticket, even when
        # its slot has filled up or closed since.
        key = request.POST.get("idempotency_key", "")
        if IDEMPOTENCY_KEY.fullmatch(key):
            found = services.registered_ticket(idempotency_key=key)
            if found is not None:
                return redirect("tickets:ticket", secret=found.secret)
    slots = _open_slots(expo, now)
    open_slots = [slot for slot in slots if slot.taken < slot.capacity]
    status = 200
    if request.method == "POST":
        form = RegistrationForm(request.POST, slots=open_slots)
        if form.is_valid():
            result = _register(request, expo=expo, form=form, slots=open_slots)
            if isinstance(result, HttpResponse):
                return result
            status = result
        else:
            # A slot that filled up or closed since the page was shown is a conflict.
            status = 409 if form.has_error("slot", "invalid_choice") else 400
        # Places may have changed since the page was shown.
        slots = _open_slots(expo, now)
    else:
        form = RegistrationForm(initial={"idempotency_key": uuid.uuid4().hex}, slots=open_slots)
    chosen = str(form["slot"].value() or "")
    rows = [
        {
            "slot": slot,
            "left": max(slot.capacity - slot.taken, 0),
            "full": slot.taken >= slot.capacity,
            "checked": chosen == str(slot.pk),
        }
        for slot in slots
    ]
    context = _context(expo, form=form, rows=rows, any_open=bool(open_slots))
    return render(request, "tickets/visit.html", context, status=status)


def _register(request, *, expo: Expo, form: RegistrationForm, slots) -> HttpResponse | int:
    """Call register_from_form: a redirect to the ticket, or the status of the form shown
    again with the service's error."""
    data = form.cleaned_data
    slot = next(slot for slot in slots if slot.pk == data["slot"])
    try:
        registration = services.register_from_form(
            idempotency_key=data["idempotency_key"],
            slot=slot,
            holder_name=data["name"],
            whatsapp=data["whatsapp"],
            email=data["email"],
        )
    except services.TicketError as error:
        # The service's names for the form's fields.
        field = {"holder_name": "name"}.get(error.field, error.field)
        form.add_error(field if field in form.fields else None, error.message)
        if field not in form.fields and isinstance(error, services.SlotFull):
            form.add_error("slot", _("Choose another time slot."))
        return 409 if isinstance(error, services.SlotFull) or field == "slot" else 400
    secret = registration.secret
    if registration.created:  # a second submit of the form sends no second email
        ticket_url = request.build_absolute_uri(reverse("tickets:ticket", args=[secret]))
        transaction.on_commit(
            partial(
                send_ticket_email,
                ticket_id=registration.ticket.pk,
                ticket_url=ticket_url,
                language=translation.get_language(),
            )
        )
    return redirect("tickets:ticket", secret=secret)


# --- the ticket page -------------------------------------------------------------------


def _ticket_or_404(secret: str) -> Ticket:
    if not isinstance(secret, str) or not _SECRET.fullmatch(secret):
        raise Http404("ticket")
    ticket = (
        Ticket.objects.select_related("expo", "expo__organizer", "slot", "invitation")
        .filter(secret_hash=secret_hash(secret))
        .first()
    )
    if ticket is None:
        raise Http404("ticket")
    return ticket


@never_cache
def ticket(request: HttpRequest, secret: str) -> HttpResponse:
    found = _ticket_or_404(secret)
    expo = found.expo
    page_url = request.build_absolute_uri(reverse("tickets:ticket", args=[secret]))
    share = _("My ticket for %(expo)s: %(url)s") % {"expo": expo.name, "url": page_url}
    context = _context(
        expo,
        ticket=found,
        secret=secret,
        qr_svg=ticket_qr_svg(services.ticket_code(secret)),
        when=ticket_when(found),
        share_url=f"https://wa.me/?text={quote(share, safe='')}",
        is_valid=found.status == Ticket.Status.VALID,
    )
    return _private(render(request, "tickets/ticket.html", context))


@never_cache
@require_http_methods(["GET", "POST"])
def ticket_cancel(request: HttpRequest, secret: str) -> HttpResponse:
    """GET asks to confirm; POST cancels (the place goes back to the slot)."""
    found = _ticket_or_404(secret)
    if found.status != Ticket.Status.VALID:
        messages.info(request, _("This ticket is already cancelled."))
        return redirect("tickets:ticket", secret=secret)
    error = None
    if request.method == "POST":
        try:
            services.ticket_cancel(ticket=found)
        except services.TicketError as failure:
            # Already used to enter: the holder may be inside, the place stays theirs.
            error = failure.message
            found.refresh_from_db()
        else:
            messages.success(request, _("Your ticket is cancelled; its place is free again."))
            return redirect("tickets:ticket", secret=secret)
    elif found.admitted_at is not None:
        error = services.AlreadyAdmitted().message
    context = _context(
        found.expo,
        ticket=found,
        secret=secret,
        when=ticket_when(found),
        error=error,
        can_cancel=found.admitted_at is None,
    )
    status = 409 if request.method == "POST" else 200
    return _private(render(request, "tickets/ticket_cancel.html", context, status=status))


@never_cache
def ticket_download(request: HttpRequest, secret: str) -> HttpResponse:
    found = _ticket_or_404(secret)
    pdf = ticket_pdf(found, secret, language=translation.get_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"tiket-{found.number or found.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


# --- RSVP ------------------------------------------------------------------------------


def _invitation_or_404(token: str) -> Invitation:
    if not isinstance(token, str) or not _SECRET.fullmatch(token):
        raise Http404("invitation")
    invitation = (
        Invitation.objects.select_related("expo", "expo__organizer")
        .exclude(expo__status=Expo.Status.DRAFT)
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise Http404("invitation")
    return invitation


@never_cache
@require_http_methods(["GET", "POST"])
def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    """The guest's invitation: accept (-> the ticket page) or decline."""
    invitation = _invitation_or_404(token)
    status = 200
    error = None
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            error = _("Choose whether you will attend.")
            status = 400
        else:
            try:
                found, secret = services.invitation_respond(
                    invitation=invitation, accept=answer == "accept"
                )
            except services.TicketError as failure:
                error = failure.message
                status = 409
            else:
                if secret is not None:
                    ticket_url = request.build_absolute_uri(
                        reverse("tickets:ticket", args=[secret])
                    )
                    transaction.on_commit(
                        partial(
                            send_ticket_email,
                            ticket_id=found.pk,
                            ticket_url=ticket_url,
                            language=translation.get_language(),
                        )
                    )
                    return redirect("tickets:ticket", secret=secret)
                if answer == "accept":
                    messages.info(
                        request,
                        _(
                            "You had already accepted; your ticket was sent to you then. "
                            "Lost it? Ask the organizer for a new one."
                        ),
                    )
                else:
                    messages.success(request, _("Thank you for letting us know."))
                return redirect("tickets:rsvp", token=token)
        invitation.refresh_from_db()
    context = _context(invitation.expo, invitation=invitation, error=error)
    return _private(render(request, "tickets/rsvp.html", context, status=status))
