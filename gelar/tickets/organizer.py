"""The organizer's side of the venue: time slots and the invitation links they send.

Slot capacity follows the same rule as registration: `taken` is changed only by
the ticket services, and a new capacity is written by a conditional UPDATE
(taken <= new capacity), so a registration landing at the same moment can never
leave a slot with more tickets than places. A slot is deleted only while no
ticket (valid or cancelled) points at it; otherwise the organizer closes it.
"""

import datetime
import logging
import smtplib
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gelar.audit.services import audit_record
from gelar.events.models import Expo
from gelar.tickets.documents import ticket_when
from gelar.tickets.models import Invitation, Ticket, TimeSlot

log = logging.getLogger(__name__)


def _json(value):
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The slot must end after it starts.")})


def slot_create(
    *,
    expo: Expo,
    actor,
    name: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    is_public: bool = True,
) -> TimeSlot:
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        slot = TimeSlot.objects.create(
            expo=expo,
            name=name,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            is_public=is_public,
        )
        audit_record(
            actor=actor,
            action="slot.create",
            obj=slot,
            changes={"capacity": capacity, "is_public": is_public},
            organizer=expo.organizer,
        )
    return slot


def slot_update(
    *,
    slot: TimeSlot,
    actor,
    name: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    is_public: bool,
) -> TimeSlot:
    """Raises ValidationError on `capacity` when fewer places than tickets already taken."""
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        updated = TimeSlot.objects.filter(pk=slot.pk, taken__lte=capacity).update(
            name=name,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            is_public=is_public,
        )
        if not updated:
            taken = TimeSlot.objects.values_list("taken", flat=True).get(pk=slot.pk)
            raise ValidationError(
                {
                    "capacity": ngettext(
                        "%(taken)s place is already taken: the capacity cannot be lower.",
                        "%(taken)s places are already taken: the capacity cannot be lower.",
                        taken,
                    )
                    % {"taken": taken}
                }
            )
        before = (slot.name, slot.starts_at, slot.ends_at, slot.capacity, slot.is_public)
        after = (name, starts_at, ends_at, capacity, is_public)
        keys = ("name", "starts_at", "ends_at", "capacity", "is_public")
        changes = {
            key: [_json(old), _json(new)]
            for key, old, new in zip(keys, before, after, strict=True)
            if old != new
        }
        slot.refresh_from_db()
        audit_record(
            actor=actor,
            action="slot.update",
            obj=slot,
            changes=changes,
            organizer=slot.expo.organizer,
        )
    return slot


def slot_delete(*, slot: TimeSlot, actor) -> None:
    """Raises ValidationError when a ticket (even a cancelled one) belongs to the slot."""
    with transaction.atomic():
        locked = TimeSlot.objects.select_for_update().get(pk=slot.pk)
        if locked.taken or locked.tickets.exists():
            raise ValidationError(
                _("The slot has tickets: close it to registration instead of deleting it.")
            )
        audit_record(
            actor=actor,
            action="slot.delete",
            obj=locked,
            changes={"starts_at": locked.starts_at.isoformat()},
            organizer=slot.expo.organizer,
        )
        locked.delete()


# --- invitation links ---


def invitation_rsvp_url(invitation: Invitation) -> str:
    """The guest's RSVP link: the token in it is the guest's only credential."""
    return settings.SITE_URL + reverse("tickets:rsvp", args=[invitation.token])


def invitation_message(invitation: Invitation) -> str:
    expo = invitation.expo
    return _(
        "Dear %(name)s, you are invited to %(expo)s at %(venue)s. "
        "Please confirm your attendance here: %(url)s"
    ) % {
        "name": invitation.name,
        "expo": expo.name,
        "venue": expo.venue_name,
        "url": invitation_rsvp_url(invitation),
    }


def invitation_whatsapp_url(invitation: Invitation) -> str:
    """A wa.me link with the invitation text: to the guest's number, or to choose a chat."""
    return (
        f"https://wa.me/{invitation.whatsapp}?text={quote(invitation_message(invitation), safe='')}"
    )


def invitation_send_link(*, invitation: Invitation, actor) -> None:
    """Email the RSVP link, then record that it went. Raises ValidationError without an
    address or when the mail server fails (logged; nothing is recorded then).

    The mail is sent first, not after commit: it is the action itself, and the
    organizer must learn on this request whether it went. A crash between the two
    loses an audit line, never a guest's link.
    """
    if not invitation.email:
        raise ValidationError(_("%(name)s has no email address.") % {"name": invitation.name})
    try:
        _send_invitation_email(invitation)
    except (smtplib.SMTPException, OSError):
        log.exception("invitation %s: the RSVP email could not be sent", invitation.pk)
        raise ValidationError(
            _("The email to %(email)s could not be sent; try again later.")
            % {"email": invitation.email}
        ) from None
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="invitation.send",
            obj=invitation,
            changes={"email": invitation.email},
            organizer=invitation.expo.organizer,
        )


def _send_invitation_email(invitation: Invitation) -> None:
    send_mail(
        subject=_("Invitation: %(expo)s") % {"expo": invitation.expo.name},
        message=invitation_message(invitation) + "\n",
        from_email=None,
        recipient_list=[invitation.email],
    )


# --- ticket links ---


def ticket_url(secret: str) -> str:
    """The ticket page's link: the secret in it is the ticket."""
    return settings.SITE_URL + reverse("tickets:ticket", args=[secret])


def send_ticket_email(*, ticket_id: int, ticket_url: str, language: str | None) -> bool:
    """Email the ticket link (the only copy of the secret besides the holder's); run it
    after commit. False when there is no address or the mail server failed.

    A mail server failure is logged and swallowed: the ticket exists, and whoever asked
    (the visitor on the ticket page, the organizer shown the new link) has the link.
    """
    ticket = Ticket.objects.select_related("expo", "slot").filter(pk=ticket_id).first()
    if ticket is None or not ticket.email:
        return False
    context = {"ticket": ticket, "ticket_url": ticket_url, "when": None}
    with translation.override(language):
        context["when"] = ticket_when(ticket)
        subject = render_to_string("tickets/email/ticket_subject.txt", context)
        body = render_to_string("tickets/email/ticket_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body.strip() + "\n", None, [ticket.email])
    except (smtplib.SMTPException, OSError):
        log.exception("ticket %s: the ticket email could not be sent", ticket.pk)
        return False
    return True
