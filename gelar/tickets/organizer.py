"""The organizer's side of the venue: time slots and the invitation links they send.

Slot capacity follows the same rule as registration: `taken` is changed only by
the ticket services, and a new capacity is written by a conditional UPDATE
(taken <= new capacity), so a registration landing at the same moment can never
leave a slot with more tickets than places. A slot is deleted only while no
ticket (valid or cancelled) points at it; otherwise the organizer closes it.
"""

import datetime
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record
from gelar.events.models import Expo
from gelar.tickets.models import Invitation, TimeSlot


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
                    "capacity": _(
                        "%(taken)s places are already taken: the capacity cannot be lower."
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
    """Email the RSVP link (after commit). Raises ValidationError without an address."""
    if not invitation.email:
        raise ValidationError(_("%(name)s has no email address.") % {"name": invitation.name})
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="invitation.send",
            obj=invitation,
            changes={"email": invitation.email},
            organizer=invitation.expo.organizer,
        )
        transaction.on_commit(lambda: _send_invitation_email(invitation))


def _send_invitation_email(invitation: Invitation) -> None:
    send_mail(
        subject=_("Invitation: %(expo)s") % {"expo": invitation.expo.name},
        message=invitation_message(invitation) + "\n",
        from_email=None,
        recipient_list=[invitation.email],
    )
