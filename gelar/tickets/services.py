"""The venue's rules: registration within capacity, invitations, tickets, gate devices
and the scans that admit people.

Capacity. A public ticket takes a place in its TimeSlot with one conditional UPDATE
(`taken = taken + 1 WHERE taken < capacity`); zero rows updated means the slot is full.
The UPDATE also locks the slot row until the transaction ends, so the per-WhatsApp
limit counted after it is exact as well. Cancelling gives the place back once.

Secrets. A ticket's QR holds "GLR1." + a 32-byte secret; only its SHA-256 is stored,
so the secret is given in clear only in the return value of the service that made it
(registration, RSVP, re-issue). A secret is random, except that of a ticket registered
through the public form: an HMAC of the form's idempotency key, so that the database
(secret_hash is unique) makes a form submitted twice one ticket, and the second submit
finds it (register_from_form) -- the form's key gives the secret again.

Scans. A scan is decided under a lock of the ticket row and stored as a Scan, unique per
(device, nonce): the same scan sent again, online or in a repeated sync, returns the
stored outcome and changes nothing; the same nonce with another code is refused
("nonce_reused") and records nothing. The Scan rows are the record of the gate (an
AuditEntry per scan would double every write at the door); organizer and visitor
actions go to the audit log.

Which entry admits. A ticket's admission is its EARLIEST entry by `scanned_at` among all
the scans the server knows, wherever they came from:

- Online, the gate asks before the person walks in: an entry of a ticket that is inside
  is refused ("already_used", naming the gate and time that let it in) and changes
  nothing.
- Offline, the gate decided alone and the person got in: when the sync arrives, an entry
  of a ticket that was already inside at that moment is a "conflict" (both gates and
  times are on record: `conflicts()`); an offline entry older than the recorded
  admission becomes the admission and the entry recorded before it becomes a conflict.

To get this right whatever order scans arrive in, every movement of the ticket (the
scans that let someone in -- admitted, conflict -- and exits) is replayed in
`scanned_at` order after each new scan: not inside -> admitted, inside -> conflict,
exit -> out. Refusals (already_used, wrong_day, cancelled, unknown, refused_offline)
are final and move nothing.

What the device showed. A sync item may say "verdict": "refused" (the offline gate
sent the person away): stored as refused_offline, it moves nothing -- no admission, no
conflict. "admitted" (and no verdict, from older clients) means the person got in: a
movement, whatever the server thinks of the ticket. An offline entry the server would
have refused -- the ticket cancelled before the scan, or outside its time -- is stored
as a "conflict" with its `anomaly` (cancelled, outside_window) and its own reason, so
the organizer finds it in `conflicts()`; it puts the person inside like an admission.
Unknown codes and other expos' tickets stay unknown / other_expo (no ticket to hold).

Cancelling. A cancel refuses scans made at or after `cancelled_at` only: an offline
entry made before it syncs as the admission it was. Once a ticket let someone in, the
holder can no longer cancel it (AlreadyAdmitted): the place stays theirs while they
may be inside; the ticket lock orders a cancel and an online entry.

Re-entry. An exit scan marks the ticket outside and a later entry admits it again
("re-entry", the same ticket walking back in after lunch). The price: a holder who has
been scanned out could pass the code to someone outside; the exit scan is done by staff
at the exit, which is the control. An invited guest's state also resets at the start of
each expo day (in the expo's zone): their ticket is valid every day, so they walk in on
the second day without an exit scan on the first. A public ticket's does not: its slot
may run past midnight, and one slot is one visit.

Windows. A public ticket is valid from 30 minutes before its slot starts to 30 minutes
after it ends; an invited guest's on every day of the expo.

Devices. A gate device's token stops working when the organizer revokes it, when the
expo is closed, and two days after its last day (time for the last offline syncs).
"""

import base64
import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import dateformat, timezone
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record
from gelar.common.validators import normalize_whatsapp
from gelar.events.models import Expo
from gelar.tickets.models import (
    GateDevice,
    Invitation,
    Scan,
    Ticket,
    TimeSlot,
    new_ticket_secret,
    secret_hash,
)

CODE_PREFIX = "GLR1."
# A secret is secrets.token_urlsafe(32): 43 characters of the URL-safe alphabet.
_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")
MAX_CODE_LENGTH = 200  # a ticket code is 48 characters; anything far longer is junk
MAX_NONCE_LENGTH = 64
_NONCE = re.compile(r"[\x21-\x7e]{1,64}")  # printable ASCII, no spaces
MAX_SYNC_BATCH = 1000
MAX_TICKETS_PER_CONTACT = 4  # per WhatsApp number (or email) per slot: a family
GRACE = datetime.timedelta(minutes=30)
# A device's clock may run a little ahead; a scan from further in the future is refused.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# Offline scans older than this are refused (a device that sat in a drawer for months).
MAX_SCAN_AGE = datetime.timedelta(days=60)
# last_seen_at is written at most this often per device (not once per scan).
SEEN_EVERY = datetime.timedelta(minutes=1)
# A gate device works until this long after the expo's last day (the last evening's
# offline scans still sync the next days), and never once the expo is closed.
GATE_AFTER_END = datetime.timedelta(days=2)
# What a device showed offline (sync items): the person got in, or was sent away.
VERDICT_ADMITTED = "admitted"
VERDICT_REFUSED = "refused"

Result = Scan.Result
Direction = Scan.Direction
# The scans that say where the person is: replayed in scanned_at order.
MOVEMENTS = (Result.ADMITTED, Result.CONFLICT, Result.EXITED)


class TicketError(Exception):
    """`message` for the person (translated), `code` stable, `field` the input at fault."""

    def __init__(self, message, *, code: str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field


class SlotFull(TicketError):
    def __init__(self) -> None:
        super().__init__(_("This time slot is full."), code="slot_full")


class RegistrationClosed(TicketError):
    pass


class TooManyTickets(TicketError):
    def __init__(self) -> None:
        super().__init__(
            _("At most %(count)s tickets per WhatsApp number or email for one time slot.")
            % {"count": MAX_TICKETS_PER_CONTACT},
            code="too_many_tickets",
            field="whatsapp",
        )


class TicketInvalid(TicketError):
    """Bad input: a name, an email, a number."""


class TicketNotFound(TicketError):
    pass


class ScanInvalid(TicketError):
    """A malformed scan (sync item): refused with a reason, never stored."""


# --- codes ----------------------------------------------------------------------------


def ticket_code(secret: str) -> str:
    """What the QR code holds."""
    return CODE_PREFIX + secret


def parse_ticket_code(text: Any) -> str | None:
    """The secret in a scanned code, or None when it is not a ticket code at all.

    Surrounding whitespace is dropped: keyboard-wedge scanners end with Enter or Tab.
    """
    if not isinstance(text, str) or len(text) > MAX_CODE_LENGTH:
        return None
    text = text.strip()
    if not text.startswith(CODE_PREFIX):
        return None
    secret = text[len(CODE_PREFIX) :]
    return secret if _SECRET.fullmatch(secret) else None


# --- input cleaning -------------------------------------------------------------------


def _clean_name(value: str, *, field: str = "holder_name", max_length: int = 200) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise TicketInvalid(_("Enter a name."), code="name_required", field=field)
    if len(name) > max_length or "\x00" in name:
        raise TicketInvalid(
            _("A name has at most %(count)s characters.") % {"count": max_length},
            code="name_too_long",
            field=field,
        )
    return name


def _clean_optional(value: str, *, field: str, max_length: int = 200) -> str:
    text = " ".join((value or "").split())
    if len(text) > max_length or "\x00" in text:
        raise TicketInvalid(
            _("At most %(count)s characters.") % {"count": max_length},
            code="too_long",
            field=field,
        )
    return text


def _clean_email(value: str) -> str:
    email = (value or "").strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise TicketInvalid(
            _("Enter a valid email address."), code="email_invalid", field="email"
        ) from None
    if len(email) > 254:
        raise TicketInvalid(_("Enter a valid email address."), code="email_invalid", field="email")
    return email


def _clean_whatsapp(value: str) -> str:
    if not (value or "").strip():
        return ""
    try:
        return normalize_whatsapp(value)
    except ValidationError as error:
        raise TicketInvalid(error.messages[0], code="whatsapp_invalid", field="whatsapp") from None


def _local_today(expo: Expo, now: datetime.datetime) -> datetime.date:
    return now.astimezone(expo.tzinfo).date()


# --- registration ---------------------------------------------------------------------


def _create_ticket(*, secret: str | None = None, **fields) -> tuple[Ticket, str]:
    secret = secret or new_ticket_secret()
    ticket = Ticket.objects.create(secret_hash=secret_hash(secret), **fields)
    # The number follows the pk: short and unique without a retry loop. It is printed
    # for people, never accepted as a credential by scan().
    letter = "U" if ticket.kind == Ticket.Kind.INVITED else "P"
    ticket.number = f"{letter}{ticket.pk:06d}"
    Ticket.objects.filter(pk=ticket.pk).update(number=ticket.number)
    return ticket, secret


def register_for_slot(
    *,
    slot: TimeSlot,
    holder_name: str,
    email: str = "",
    whatsapp: str = "",
    now: datetime.datetime | None = None,
    lock: bool = True,
    secret: str | None = None,
) -> tuple[Ticket, str]:
    """A public ticket for the slot; returns it and its secret (given in clear only here).

    Needs a WhatsApp number or an email (the ticket is sent there). Raises TicketInvalid,
    RegistrationClosed (expo not open, slot not public or over), SlotFull, TooManyTickets.
    `secret` is register_from_form's; None draws a random one. `lock=False` swaps the
    conditional UPDATE for a read-check-write; it exists only for the test that shows
    the race it prevents.
    """
    now = now or timezone.now()
    name = _clean_name(holder_name)
    email = _clean_email(email)
    whatsapp = _clean_whatsapp(whatsapp)
    if not email and not whatsapp:
        raise TicketInvalid(
            _("Enter a WhatsApp number or an email address to receive the ticket."),
            code="contact_required",
            field="whatsapp",
        )
    expo = slot.expo
    if expo.status not in (Expo.Status.PUBLISHED, Expo.Status.LIVE) or not slot.is_public:
        raise RegistrationClosed(
            _("Registration for this time slot is closed."), code="registration_closed"
        )
    if slot.ends_at <= now:
        raise RegistrationClosed(_("This time slot is over."), code="slot_over")

    with transaction.atomic():
        if lock:
            taken = TimeSlot.objects.filter(pk=slot.pk, taken__lt=F("capacity")).update(
                taken=F("taken") + 1
            )
            if not taken:
                raise SlotFull()
        else:
            _take_place_racy(slot)
        # After the UPDATE, which holds the slot row's lock: registrations of this slot
        # wait here one by one, so the count is exact.
        same_contact = Q(whatsapp=whatsapp) if whatsapp else Q()
        if email:
            same_contact |= Q(email=email)
        held = Ticket.objects.filter(same_contact, slot=slot, status=Ticket.Status.VALID).count()
        if held >= MAX_TICKETS_PER_CONTACT:
            raise TooManyTickets()
        ticket, secret = _create_ticket(
            secret=secret,
            expo=expo,
            kind=Ticket.Kind.PUBLIC,
            slot=slot,
            holder_name=name,
            email=email,
            whatsapp=whatsapp,
        )
        audit_record(
            actor=None,
            action="ticket.register",
            obj=ticket,
            changes={"slot": slot.pk, "holder_name": name},
            organizer=expo.organizer,
        )
    return ticket, secret


@dataclass(frozen=True)
class Registration:
    ticket: Ticket
    secret: str
    created: bool  # False: the form's key had made this ticket already (a second submit)


def registration_secret(idempotency_key: str) -> str:
    """The secret of the ticket that the registration form with this key makes.

    Keyed with SECRET_KEY, so that the key alone does not give it away. It tells nothing
    that the key did not already: whoever holds the form's key can submit it again and
    be shown the ticket, as the visitor who sent it is.
    """
    digest = salted_hmac("gelar.tickets.registration", idempotency_key, algorithm="sha256")
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def registered_ticket(*, idempotency_key: str) -> Registration | None:
    """The registration that the form with this key already made, if any."""
    return _registered(registration_secret(idempotency_key))


def _registered(secret: str) -> Registration | None:
    ticket = Ticket.objects.filter(secret_hash=secret_hash(secret)).first()
    return Registration(ticket, secret, created=False) if ticket is not None else None


def register_from_form(
    *,
    idempotency_key: str,
    slot: TimeSlot,
    holder_name: str,
    email: str = "",
    whatsapp: str = "",
    now: datetime.datetime | None = None,
) -> Registration:
    """register_for_slot for a form that may arrive twice (a double tap, the back button):
    the same key makes one ticket and gives the same secret each time.

    The ticket's secret comes from the key and secret_hash is unique, so the database
    holds this without the cache: a second submit racing the first waits -- on the slot
    row's lock for the same slot, on the unique index of the hash for another -- then
    fails on the unique hash (or finds the slot or the contact's tickets full, by the
    first one's ticket) and returns the first one's ticket instead.
    """
    secret = registration_secret(idempotency_key)
    if (found := _registered(secret)) is not None:
        return found
    try:
        ticket, _secret = register_for_slot(
            slot=slot,
            holder_name=holder_name,
            email=email,
            whatsapp=whatsapp,
            now=now,
            secret=secret,
        )
    except (IntegrityError, TicketError):
        if (found := _registered(secret)) is None:
            raise
        return found
    return Registration(ticket, secret, created=True)


def _take_place_racy(slot: TimeSlot) -> None:
    # The read-check-write the conditional UPDATE prevents; only the concurrency test
    # uses it, to show that it can see the race.
    fresh = TimeSlot.objects.get(pk=slot.pk)
    if fresh.taken >= fresh.capacity:
        raise SlotFull()
    fresh.taken += 1
    fresh.save(update_fields=["taken"])


def _release_place(ticket: Ticket) -> None:
    if ticket.slot_id:
        TimeSlot.objects.filter(pk=ticket.slot_id, taken__gt=0).update(taken=F("taken") - 1)


def _locked_ticket(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().select_related("expo").get(pk=ticket.pk)


class AlreadyAdmitted(TicketError):
    def __init__(self) -> None:
        super().__init__(
            _("This ticket was already used to enter; it can no longer be cancelled."),
            code="already_admitted",
        )


def ticket_cancel(*, ticket: Ticket, actor=None, now: datetime.datetime | None = None) -> Ticket:
    """Cancel a ticket and give its slot place back (once: cancelling again does nothing).

    Raises AlreadyAdmitted once the ticket let someone in: the holder may be inside, and
    the place is theirs (the scan lock orders a cancel and an online entry at the gate).
    """
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked_ticket(ticket)
        if ticket.status == Ticket.Status.CANCELLED:
            return ticket
        if ticket.admitted_at is not None:
            raise AlreadyAdmitted()
        ticket.status = Ticket.Status.CANCELLED
        ticket.cancelled_at = now
        ticket.save(update_fields=["status", "cancelled_at"])
        _release_place(ticket)
        audit_record(
            actor=actor,
            action="ticket.cancel",
            obj=ticket,
            changes={"status": [Ticket.Status.VALID, Ticket.Status.CANCELLED]},
            organizer=ticket.expo.organizer,
        )
    return ticket


def ticket_reissue_secret(*, ticket: Ticket, actor) -> str:
    """A lost ticket: a new secret; the old QR code no longer scans."""
    with transaction.atomic():
        ticket = _locked_ticket(ticket)
        if ticket.status == Ticket.Status.CANCELLED:
            raise TicketError(_("This ticket was cancelled."), code="cancelled")
        secret = new_ticket_secret()
        ticket.secret_hash = secret_hash(secret)
        ticket.save(update_fields=["secret_hash"])
        audit_record(
            actor=actor,
            action="ticket.reissue",
            obj=ticket,
            changes={"secret": "reissued"},
            organizer=ticket.expo.organizer,
        )
    return secret


# --- invitations ----------------------------------------------------------------------


def invitation_create(
    *,
    expo: Expo,
    actor,
    name: str,
    institution: str = "",
    title: str = "",
    email: str = "",
    whatsapp: str = "",
) -> Invitation:
    """Invite a guest; the RSVP link carries the invitation's random token."""
    invitation = Invitation(
        expo=expo,
        name=_clean_name(name, field="name"),
        institution=_clean_optional(institution, field="institution"),
        title=_clean_optional(title, field="title"),
        email=_clean_email(email),
        whatsapp=_clean_whatsapp(whatsapp),
        invited_by=actor if actor is not None and actor.is_authenticated else None,
    )
    with transaction.atomic():
        invitation.save()
        audit_record(
            actor=actor,
            action="invitation.create",
            obj=invitation,
            changes={"name": invitation.name, "institution": invitation.institution},
            organizer=expo.organizer,
        )
    return invitation


def invitation_respond(
    *, invitation: Invitation, accept: bool, now: datetime.datetime | None = None
) -> tuple[Ticket | None, str | None]:
    """The guest's answer. Accepting makes the invited ticket once and returns it with
    its secret; accepting again returns (ticket, None) -- the secret was shown already
    (ticket_reissue_secret makes a new one). Accepting after declining revives the
    ticket with a new secret. Declining cancels the ticket: (None, None).
    Raises RegistrationClosed once the expo is over, AlreadyAdmitted when declining a
    ticket that let the guest in.
    """
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("expo").get(pk=invitation.pk)
        )
        expo = invitation.expo
        if expo.status == Expo.Status.CLOSED or expo.end_date < _local_today(expo, now):
            raise RegistrationClosed(_("This expo is over."), code="expo_over")
        before = invitation.status
        invitation.status = Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
        invitation.responded_at = now
        invitation.save(update_fields=["status", "responded_at"])
        ticket = Ticket.objects.select_for_update().filter(invitation=invitation).first()
        secret = None
        if accept and ticket is None:
            ticket, secret = _create_ticket(
                expo=expo,
                kind=Ticket.Kind.INVITED,
                invitation=invitation,
                holder_name=invitation.name,
                email=invitation.email,
                whatsapp=invitation.whatsapp,
            )
        elif accept and ticket.status == Ticket.Status.CANCELLED:
            secret = new_ticket_secret()
            ticket.secret_hash = secret_hash(secret)
            ticket.status = Ticket.Status.VALID
            ticket.cancelled_at = None
            ticket.save(update_fields=["secret_hash", "status", "cancelled_at"])
        elif not accept and ticket is not None and ticket.status == Ticket.Status.VALID:
            if ticket.admitted_at is not None:
                raise AlreadyAdmitted()
            ticket.status = Ticket.Status.CANCELLED
            ticket.cancelled_at = now
            ticket.save(update_fields=["status", "cancelled_at"])
        audit_record(
            actor=None,
            action="invitation.respond",
            obj=invitation,
            changes={"status": [before, invitation.status]},
            organizer=expo.organizer,
        )
    return (ticket, secret) if accept else (None, None)


# --- gate devices ---------------------------------------------------------------------


def gate_device_create(*, expo: Expo, actor, name: str) -> tuple[GateDevice, str]:
    """A gate device and its bearer token (shown once; only its SHA-256 is kept)."""
    token = secrets.token_urlsafe(32)
    device = GateDevice(
        expo=expo,
        name=_clean_name(name, field="name", max_length=100),
        token_hash=secret_hash(token),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    with transaction.atomic():
        device.save()
        audit_record(
            actor=actor,
            action="gate_device.create",
            obj=device,
            changes={"name": device.name},
            organizer=expo.organizer,
        )
    return device, token


def gate_device_revoke(*, device: GateDevice, actor, now: datetime.datetime | None = None) -> None:
    """The token stops working at once (revoking twice does nothing)."""
    now = now or timezone.now()
    with transaction.atomic():
        revoked = GateDevice.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if revoked:
            device.revoked_at = now
            audit_record(
                actor=actor,
                action="gate_device.revoke",
                obj=device,
                organizer=device.expo.organizer,
            )


def gate_device_for_token(token: Any, *, now: datetime.datetime | None = None) -> GateDevice | None:
    """The active device holding the token, or None (unknown, revoked, junk, or its expo
    closed or more than GATE_AFTER_END past its last day)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100 or "\x00" in token:
        return None
    device = (
        GateDevice.objects.select_related("expo", "expo__organizer")
        .filter(token_hash=secret_hash(token.strip()), revoked_at__isnull=True)
        .first()
    )
    now = now or timezone.now()
    if device is not None and (
        device.expo.status == Expo.Status.CLOSED
        or device.expo.end_date < _local_today(device.expo, now) - GATE_AFTER_END
    ):
        return None
    if device is not None:
        if device.last_seen_at is None or device.last_seen_at < now - SEEN_EVERY:
            GateDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
            device.last_seen_at = now
    return device


# --- scanning -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanOutcome:
    result: str
    ticket: Ticket | None
    reason: str
    # (gate name, time) of the entry that let the ticket in, for already_used and conflict.
    first_admission: tuple[str, datetime.datetime] | None = None
    holder_name: str = ""
    scan: Scan | None = None

    @property
    def ok(self) -> bool:
        """Green at the gate: the person may pass."""
        return self.result in (Result.ADMITTED, Result.EXITED)


def _clock(value: datetime.datetime, expo: Expo, *, day_of: datetime.datetime) -> str:
    """'10.42' (Indonesian) or '10:42' in the expo's zone; with the date when it is not
    the day of `day_of`."""
    local = value.astimezone(expo.tzinfo)
    english = (get_language() or "").startswith("en")
    clock = local.strftime("%H:%M" if english else "%H.%M")
    if local.date() != day_of.astimezone(expo.tzinfo).date():
        return f"{dateformat.format(local, 'j F')} {clock}"
    return clock


def _window_text(ticket: Ticket, expo: Expo) -> str:
    if ticket.slot_id:
        start = ticket.slot.starts_at.astimezone(expo.tzinfo)
        end = ticket.slot.ends_at.astimezone(expo.tzinfo)
        english = (get_language() or "").startswith("en")
        pattern = "%H:%M" if english else "%H.%M"
        return (
            f"{dateformat.format(start, 'l j F')} {start.strftime(pattern)}–{end.strftime(pattern)}"
        )
    if expo.start_date == expo.end_date:
        return dateformat.format(expo.start_date, "j F Y")
    return (
        f"{dateformat.format(expo.start_date, 'j F')} – {dateformat.format(expo.end_date, 'j F Y')}"
    )


def _in_window(ticket: Ticket, expo: Expo, at: datetime.datetime) -> bool:
    if ticket.slot_id:
        return ticket.slot.starts_at - GRACE <= at <= ticket.slot.ends_at + GRACE
    return expo.start_date <= at.astimezone(expo.tzinfo).date() <= expo.end_date


def _entered_by(scan: Scan) -> Scan | None:
    """The entry that had let the ticket in when this scan came (for its reason)."""
    earlier = Q(scanned_at__lt=scan.scanned_at) | Q(scanned_at=scan.scanned_at, pk__lt=scan.pk)
    return (
        Scan.objects.filter(earlier, ticket_id=scan.ticket_id, result=Result.ADMITTED)
        .select_related("device")
        .order_by("-scanned_at", "-pk")
        .first()
    )


def _outcome(scan: Scan, expo: Expo, *, reentry: bool = False) -> ScanOutcome:
    """The outcome of a stored scan, its reason in the active language."""
    ticket = scan.ticket
    first = None
    result = scan.result
    if result == Result.ADMITTED:
        reason = _("Valid (re-entry).") if reentry else _("Valid.")
    elif result == Result.EXITED:
        reason = _("Exit recorded.")
    elif result == Result.CONFLICT and scan.anomaly == Scan.Anomaly.CANCELLED:
        reason = _("Admitted offline although cancelled.")
    elif result == Result.CONFLICT and scan.anomaly == Scan.Anomaly.OUTSIDE_WINDOW:
        reason = _("Admitted offline outside its time: this ticket is for %(when)s.") % {
            "when": _window_text(ticket, expo)
        }
    elif result == Result.REFUSED_OFFLINE:
        reason = _("Refused at the gate (offline).")
    elif result in (Result.ALREADY_USED, Result.CONFLICT):
        entry = _entered_by(scan)
        if entry is not None:
            first = (entry.device.name, entry.scanned_at)
            when = _clock(entry.scanned_at, expo, day_of=scan.scanned_at)
            if result == Result.ALREADY_USED:
                reason = _("Already used at %(gate)s at %(time)s.") % {
                    "gate": entry.device.name,
                    "time": when,
                }
            else:
                reason = _("Entered twice: also at %(gate)s at %(time)s.") % {
                    "gate": entry.device.name,
                    "time": when,
                }
        else:
            reason = _("Already used.")
    elif result == Result.WRONG_DAY:
        window = _window_text(ticket, expo)
        reason = _("Not valid now: this ticket is for %(when)s.") % {"when": window}
    elif result == Result.CANCELLED:
        reason = _("This ticket was cancelled.")
    elif result == Result.OTHER_EXPO:
        reason = _("This ticket is for another expo.")
    else:
        reason = _("Unknown code: not a ticket.")
    return ScanOutcome(
        result=str(result),
        ticket=ticket,
        reason=reason,
        first_admission=first,
        holder_name=ticket.holder_name if ticket else "",
        scan=scan,
    )


def _clean_scan(
    *,
    code: Any,
    direction: Any,
    nonce: Any,
    scanned_at: Any,
    now: datetime.datetime,
) -> tuple[str, str, str, datetime.datetime]:
    if not isinstance(nonce, str) or not _NONCE.fullmatch(nonce):
        raise ScanInvalid(
            _("The scan has no valid nonce (1 to 64 printable characters)."),
            code="nonce_invalid",
            field="nonce",
        )
    if not isinstance(code, str):
        raise ScanInvalid(_("The code must be text."), code="code_invalid", field="code")
    if len(code) > MAX_CODE_LENGTH or "\x00" in code:
        raise ScanInvalid(
            _("The code is too long or has forbidden characters."),
            code="code_invalid",
            field="code",
        )
    if direction not in (Direction.ENTRY, Direction.EXIT):
        raise ScanInvalid(
            _("The direction must be entry or exit."), code="direction_invalid", field="direction"
        )
    if scanned_at is None:
        scanned_at = now
    elif isinstance(scanned_at, str):
        try:
            parsed = parse_datetime(scanned_at) if len(scanned_at) <= 40 else None
        except ValueError:
            parsed = None
        if parsed is None or timezone.is_naive(parsed):
            raise ScanInvalid(
                _("The scan time must be an ISO 8601 time with its offset."),
                code="time_invalid",
                field="scanned_at",
            )
        scanned_at = parsed
    elif not isinstance(scanned_at, datetime.datetime) or timezone.is_naive(scanned_at):
        raise ScanInvalid(
            _("The scan time must be an ISO 8601 time with its offset."),
            code="time_invalid",
            field="scanned_at",
        )
    if scanned_at > now + CLOCK_SKEW:
        raise ScanInvalid(
            _("The scan time is in the future: check the device's clock."),
            code="time_future",
            field="scanned_at",
        )
    if scanned_at < now - MAX_SCAN_AGE:
        raise ScanInvalid(_("The scan is too old."), code="time_too_old", field="scanned_at")
    return code, direction, nonce, scanned_at


def scan(
    *,
    device: GateDevice,
    code: Any,
    direction: Any = "entry",
    nonce: Any,
    scanned_at: Any = None,
    offline: bool = False,
    verdict: Any = None,
    now: datetime.datetime | None = None,
) -> ScanOutcome:
    """Decide and record one scan (see the module docstring). The same (device, nonce)
    again returns the stored outcome; with another code it raises ScanInvalid
    ("nonce_reused"), as it does for malformed input.

    Online scans are timed by the server's clock (`scanned_at` defaults to now); only an
    offline scan's time comes from the device, which the server cannot time otherwise.
    `verdict` (offline only): what the device showed, VERDICT_ADMITTED (the default, for
    clients that do not send it) or VERDICT_REFUSED.
    """
    now = now or timezone.now()
    code, direction, nonce, scanned_at = _clean_scan(
        code=code, direction=direction, nonce=nonce, scanned_at=scanned_at, now=now
    )
    if verdict is None:
        verdict = VERDICT_ADMITTED
    if verdict not in (VERDICT_ADMITTED, VERDICT_REFUSED):
        raise ScanInvalid(
            _("The verdict must be admitted or refused."), code="verdict_invalid", field="verdict"
        )
    expo = device.expo
    code_hash = _code_hash(code)
    stored = _stored(device=device, nonce=nonce, expo=expo, code_hash=code_hash)
    if stored is not None:
        return stored
    secret = parse_ticket_code(code)
    found = (
        Ticket.objects.filter(secret_hash=secret_hash(secret)).values_list("pk", "expo_id").first()
        if secret
        else None
    )
    try:
        with transaction.atomic():
            if found is None or found[1] != expo.pk:
                # Another expo's ticket is not linked: this expo's records stay its own.
                result = Result.UNKNOWN if found is None else Result.OTHER_EXPO
                record = _record(
                    device=device,
                    ticket=None,
                    nonce=nonce,
                    code_hash=code_hash,
                    direction=direction,
                    result=result,
                    scanned_at=scanned_at,
                    offline=offline,
                )
                return _outcome(record, expo)
            ticket = (
                Ticket.objects.select_for_update(of=("self",))
                .select_related("slot")
                .get(pk=found[0])
            )
            # A racing duplicate of this very scan waited for the lock: answer as it did.
            stored = _stored(device=device, nonce=nonce, expo=expo, code_hash=code_hash)
            if stored is not None:
                return stored
            return _decide(
                device=device,
                expo=expo,
                ticket=ticket,
                nonce=nonce,
                code_hash=code_hash,
                direction=direction,
                scanned_at=scanned_at,
                offline=offline,
                verdict=verdict,
            )
    except IntegrityError:
        # The same (device, nonce) committed by a racing request (unknown codes take no
        # ticket lock): its outcome is this one's.
        stored = _stored(device=device, nonce=nonce, expo=expo, code_hash=code_hash)
        if stored is None:
            raise
        return stored


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def _stored(*, device: GateDevice, nonce: str, expo: Expo, code_hash: str) -> ScanOutcome | None:
    """The outcome of this device's scan with this nonce, if any. The same nonce with
    another code is a device bug (or a forgery): refused, so it cannot pass for a repeat."""
    found = (
        Scan.objects.select_related("ticket", "ticket__slot", "device")
        .filter(device=device, nonce=nonce)
        .first()
    )
    if found is None:
        return None
    # Scans stored before code_hash existed have none: they answer as before.
    if found.code_hash and found.code_hash != code_hash:
        raise ScanInvalid(
            _("This nonce was already used for another code."),
            code="nonce_reused",
            field="nonce",
        )
    return _outcome(found, expo)


def _record(**fields) -> Scan:
    # A savepoint, so that a duplicate nonce leaves the outer transaction usable.
    with transaction.atomic():
        return Scan.objects.create(**fields)


def _decide(
    *,
    device: GateDevice,
    expo: Expo,
    ticket: Ticket,
    nonce: str,
    code_hash: str,
    direction: str,
    scanned_at: datetime.datetime,
    offline: bool,
    verdict: str,
) -> ScanOutcome:
    def record(result: str, anomaly: str = "") -> Scan:
        return _record(
            device=device,
            ticket=ticket,
            nonce=nonce,
            code_hash=code_hash,
            direction=direction,
            result=result,
            anomaly=anomaly,
            scanned_at=scanned_at,
            offline=offline,
        )

    # A scan made before the cancellation (an offline entry synced later) is not refused
    # by it: the ticket was valid then.
    cancelled = ticket.status == Ticket.Status.CANCELLED and (
        ticket.cancelled_at is None or scanned_at >= ticket.cancelled_at
    )
    entry = direction == Direction.ENTRY
    outside_window = entry and not _in_window(ticket, expo, scanned_at)
    anomaly = ""
    if offline and verdict == VERDICT_REFUSED:
        # The device sent the person away: on record, but nobody moved.
        return _outcome(record(Result.REFUSED_OFFLINE), expo)
    if offline:
        # The device let the person through: a movement, whatever the server thinks of the
        # ticket; an entry the server would have refused is a conflict with its reason.
        if cancelled and entry:
            anomaly = Scan.Anomaly.CANCELLED
        elif outside_window:
            anomaly = Scan.Anomaly.OUTSIDE_WINDOW
    elif cancelled:
        return _outcome(record(Result.CANCELLED), expo)
    elif outside_window:
        return _outcome(record(Result.WRONG_DAY), expo)

    movements = list(
        Scan.objects.filter(ticket=ticket, result__in=MOVEMENTS).order_by("scanned_at", "pk")
    )
    if entry and not offline:
        # Online the gate asks first: refused when the ticket is inside at this moment.
        before = [m for m in movements if m.scanned_at <= scanned_at]
        if _inside_after(before, ticket, expo, scanned_at):
            return _outcome(record(Result.ALREADY_USED), expo)
    if anomaly:
        new = record(Result.CONFLICT, anomaly)
    else:
        new = record(Result.ADMITTED if entry else Result.EXITED)
    movements.append(new)
    movements.sort(key=lambda m: (m.scanned_at, m.pk))
    results = _replay(movements, ticket, expo)
    for movement, result in zip(movements, results, strict=True):
        if movement.result != result:
            movement.result = result
            Scan.objects.filter(pk=movement.pk).update(result=result)
    _update_ticket(ticket, movements, expo)
    reentry = new.result == Result.ADMITTED and any(
        m.result == Result.ADMITTED and (m.scanned_at, m.pk) < (new.scanned_at, new.pk)
        for m in movements
    )
    return _outcome(new, expo, reentry=reentry)


def _new_day(ticket: Ticket, expo: Expo, before: datetime.datetime, now: datetime.datetime) -> bool:
    """Does the inside/outside state reset between these two times? Only for a guest's
    ticket (valid every day); a public slot running past midnight is one visit."""
    if ticket.slot_id:
        return False
    return before.astimezone(expo.tzinfo).date() != now.astimezone(expo.tzinfo).date()


def _replay(movements: list[Scan], ticket: Ticket, expo: Expo) -> list[str]:
    """The result of each movement, replayed in order: entry while outside -> admitted,
    entry while inside -> conflict, exit -> exited; an anomaly (an offline entry the
    server would have refused) stays a conflict and puts the person inside. A guest's
    ticket starts each expo day outside."""
    inside, last, results = False, None, []
    for movement in movements:
        if last is not None and _new_day(ticket, expo, last, movement.scanned_at):
            inside = False
        last = movement.scanned_at
        if movement.direction == Direction.EXIT:
            inside = False
            results.append(Result.EXITED)
        elif movement.anomaly or inside:
            inside = True
            results.append(Result.CONFLICT)
        else:
            inside = True
            results.append(Result.ADMITTED)
    return results


def _inside_after(movements: list[Scan], ticket: Ticket, expo: Expo, at: datetime.datetime) -> bool:
    """Is the ticket inside at `at`, given its movements up to then (in order)?"""
    if not movements:
        return False
    last = movements[-1]
    if _new_day(ticket, expo, last.scanned_at, at):
        return False
    return last.direction == Direction.ENTRY


def _update_ticket(ticket: Ticket, movements: list[Scan], expo: Expo) -> None:
    admissions = [m for m in movements if m.result == Result.ADMITTED]
    first = admissions[0] if admissions else None
    # Entered last (on whatever day): occupancy() decides whether that still counts.
    inside = bool(movements and movements[-1].direction == Direction.ENTRY)
    values = {
        "admitted_at": first.scanned_at if first else None,
        "admitted_gate_id": first.device_id if first else None,
        "inside": inside,
    }
    if any(getattr(ticket, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(ticket, name, value)
        ticket.save(update_fields=["admitted_at", "admitted_gate", "inside"])


# --- sync -----------------------------------------------------------------------------


@dataclass
class SyncResult:
    # One per item, in the order sent: {"index", "nonce", "result", "reason", ...}.
    results: list[dict] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for item in self.results if item["result"] == result)


def outcome_payload(outcome: ScanOutcome) -> dict:
    """The outcome as JSON-ready data (the API and the sync results)."""
    ticket = outcome.ticket
    first = outcome.first_admission
    zone = outcome.scan.device.expo.tzinfo if outcome.scan else None
    return {
        "result": str(outcome.result),
        "ok": outcome.ok,
        "reason": outcome.reason,
        "ticket": (
            {"number": ticket.number, "holder_name": ticket.holder_name, "kind": ticket.kind}
            if ticket is not None
            else None
        ),
        "first_admission": (
            {"gate": first[0], "at": first[1].astimezone(zone).isoformat()} if first else None
        ),
        "scanned_at": outcome.scan.scanned_at.astimezone(zone).isoformat() if zone else None,
    }


def sync(*, device: GateDevice, scans: list, now: datetime.datetime | None = None) -> SyncResult:
    """Record an offline device's queued scans (see the module docstring).

    Each item is {nonce, code, direction, scanned_at, verdict?}; a malformed item (or a
    nonce this device used for another code) is "rejected" with a reason and stores
    nothing, the others are processed in scanned_at order, each
    in its own transaction. A repeated sync returns the stored outcomes and changes
    nothing. Raises ScanInvalid when `scans` is not a list or has more than
    MAX_SYNC_BATCH items.
    """
    now = now or timezone.now()
    if not isinstance(scans, list):
        raise ScanInvalid(_("scans must be a list."), code="batch_invalid", field="scans")
    if len(scans) > MAX_SYNC_BATCH:
        raise ScanInvalid(
            _("At most %(count)s scans per request.") % {"count": MAX_SYNC_BATCH},
            code="batch_too_large",
            field="scans",
        )
    results: list[dict | None] = [None] * len(scans)
    valid: list[tuple[datetime.datetime, int, dict]] = []
    for index, item in enumerate(scans):
        nonce = item.get("nonce") if isinstance(item, dict) else None
        try:
            if not isinstance(item, dict):
                raise ScanInvalid(_("A scan must be an object."), code="item_invalid")
            code, direction, nonce, scanned_at = _clean_scan(
                code=item.get("code"),
                direction=item.get("direction", Direction.ENTRY),
                nonce=item.get("nonce"),
                scanned_at=item.get("scanned_at", ""),
                now=now,
            )
            verdict = item.get("verdict")
            if verdict not in (None, VERDICT_ADMITTED, VERDICT_REFUSED):
                raise ScanInvalid(
                    _("The verdict must be admitted or refused."),
                    code="verdict_invalid",
                    field="verdict",
                )
        except ScanInvalid as error:
            results[index] = _rejected(index, nonce, error)
            continue
        clean = {
            "code": code,
            "direction": direction,
            "nonce": nonce,
            "scanned_at": scanned_at,
            "verdict": verdict,
        }
        valid.append((scanned_at, index, clean))
    for _at, index, clean in sorted(valid, key=lambda entry: (entry[0], entry[1])):
        try:
            outcome = scan(device=device, offline=True, now=now, **clean)
        except ScanInvalid as error:
            results[index] = _rejected(index, clean["nonce"], error)
            continue
        results[index] = {"index": index, "nonce": clean["nonce"], **outcome_payload(outcome)}
    return SyncResult(results=[r for r in results if r is not None])


def _rejected(index: int, nonce: Any, error: TicketError) -> dict:
    shown = nonce if isinstance(nonce, str) and len(nonce) <= MAX_NONCE_LENGTH else None
    return {
        "index": index,
        "nonce": shown,
        "result": "rejected",
        "ok": False,
        "reason": str(error.message),
        "code": error.code,
        "field": error.field,
    }


# --- reads for the gate and the organizer -----------------------------------------------


def gate_ticket_list(*, device: GateDevice) -> list[dict]:
    """Every ticket of the device's expo (valid and cancelled, so that offline the gate
    can say "cancelled"): secret hashes, never secrets. Times are ISO 8601 in the expo's
    zone."""
    zone = device.expo.tzinfo
    rows = (
        Ticket.objects.filter(expo_id=device.expo_id)
        .order_by("pk")
        .values_list(
            "secret_hash",
            "number",
            "holder_name",
            "kind",
            "slot__starts_at",
            "slot__ends_at",
            "status",
            "admitted_at",
            "admitted_gate__name",
        )
    )
    return [
        {
            "h": h,
            "n": number,
            "name": name,
            "kind": kind,
            "slot": [starts.astimezone(zone).isoformat(), ends.astimezone(zone).isoformat()]
            if starts
            else None,
            "status": status,
            "admitted_at": admitted_at.astimezone(zone).isoformat() if admitted_at else None,
            "admitted_gate": gate,
        }
        for h, number, name, kind, starts, ends, status, admitted_at, gate in rows
    ]


def _day_bounds(expo: Expo, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    local = now.astimezone(expo.tzinfo)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(days=1)


def occupancy(*, expo: Expo, now: datetime.datetime | None = None) -> dict:
    """People inside now (not scanned out, and entered today or -- a public ticket -- in
    a slot not over yet), the capacity of the slots open now, and the tickets admitted
    today (first entries and re-entries, each once)."""
    now = now or timezone.now()
    start, end = _day_bounds(expo, now)
    # Anomalies (let in offline where the server would have refused) are in too.
    let_in = Q(result=Result.ADMITTED) | Q(result=Result.CONFLICT, anomaly__gt="")
    entered_today = Scan.objects.filter(
        let_in, ticket__expo=expo, scanned_at__gte=start, scanned_at__lt=end
    ).values("ticket_id")
    slot_running = Q(slot__isnull=False, slot__ends_at__gte=now - GRACE)
    inside = (
        Ticket.objects.filter(expo=expo, inside=True)
        .filter(Q(pk__in=entered_today) | slot_running)
        .count()
    )
    admitted_today = (
        Scan.objects.filter(
            ticket__expo=expo,
            result=Result.ADMITTED,
            scanned_at__gte=start,
            scanned_at__lt=end,
        )
        .values("ticket_id")
        .distinct()
        .count()
    )
    capacity_now = (
        TimeSlot.objects.filter(expo=expo, starts_at__lte=now, ends_at__gt=now).aggregate(
            total=Sum("capacity")
        )["total"]
        or 0
    )
    return {
        "inside": inside,
        "capacity_now": capacity_now,
        "admitted_today": admitted_today,
    }


def conflicts(*, expo: Expo) -> QuerySet[Scan]:
    """The conflict scans of the expo, newest first. Each has its own gate and time
    (device, scanned_at) and, annotated, the entry that had let the ticket in:
    `entered_gate` and `entered_at` (also `ticket.admitted_gate`/`admitted_at`, the
    first admission)."""
    entry = Scan.objects.filter(
        ticket_id=OuterRef("ticket_id"),
        result=Result.ADMITTED,
        scanned_at__lte=OuterRef("scanned_at"),
    ).order_by("-scanned_at", "-pk")
    return (
        Scan.objects.filter(device__expo=expo, result=Result.CONFLICT)
        .select_related("device", "ticket", "ticket__admitted_gate")
        .annotate(
            entered_gate=Subquery(entry.values("device__name")[:1]),
            entered_at=Subquery(entry.values("scanned_at")[:1]),
        )
        .order_by("-scanned_at", "-pk")
    )
