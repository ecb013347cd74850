"""Writes of what the expo did beyond orders and sales: visits, bulk inquiries, and the
exhibitor's own report (Outcome).

- Visits are counts, not changes anyone makes: one INSERT ... ON CONFLICT DO NOTHING per
  row under the unique constraint (visitor, day), so a repeat -- a reload, two tabs, a
  beacon sent twice -- changes nothing and never errors, without a read first.
- A bulk inquiry moves through INQUIRY_TRANSITIONS, the one table of what may follow
  what, with its row locked; each change is audited, the buyer and the team are told
  by email after commit. New inquiries are limited per WhatsApp number, per client
  address and per booth (inquiry_submit), so no script fills a team's inbox.
- The Outcome is upserted under its unique constraint (expo, exhibitor) and audited.
"""

import datetime
import hashlib
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record, field_changes
from gelar.catalog.models import Product
from gelar.common import throttle
from gelar.common.validators import normalize_whatsapp
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor
from gelar.exhibitors.selectors import accepted_participations
from gelar.reports import notifications
from gelar.reports.models import BoothVisit, Inquiry, Outcome, Visit

Status = Inquiry.Status

# Far beyond any UMKM's figures; keeps a typo of twenty digits out of the arithmetic.
MAX_AMOUNT = 10**12
# At most this many inquiries from one WhatsApp number to one exhibitor a day (in the
# expo's zone): enough for a real buyer, a wall against a script.
INQUIRIES_PER_DAY = 5
# A script changes the number at will, so also: at most this many from one client
# address (gelar.common.throttle.client_key) to one exhibitor in 24 hours -- generous,
# as a carrier's NAT puts many buyers behind one address --
INQUIRIES_PER_CLIENT_PER_DAY = 30
# -- and at most this many to one exhibitor a day in all, whoever sends them: far beyond
# what a UMKM receives (the busiest demo booth gets a handful), it bounds the emails a
# flood from many addresses can cause. The trade-off: such a flood closes the form for
# the rest of the day (the booth's WhatsApp link stays), which beats an inbox of
# thousands hiding the real buyers.
INQUIRIES_PER_BOOTH_PER_DAY = 200
# The same inquiry sent again this soon (a double tap, the back button) is the first one.
RESUBMIT_WINDOW = datetime.timedelta(minutes=10)

# What an exhibitor may mark an inquiry as, from each status. ANSWERED is reached by
# answering (inquiry_answer), never by a mark; NEW is never reached again.
# - A new quote replaces the previous one (quoted -> quoted).
# - WON and LOST stay open to correction: a deal falls through after the handshake
#   (won -> lost), a lost buyer comes back (lost -> won), a value was mistyped
#   (won -> won). The report counts the status an inquiry has now.
INQUIRY_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.QUOTED, Status.WON, Status.LOST}),
    Status.ANSWERED: frozenset({Status.QUOTED, Status.WON, Status.LOST}),
    Status.QUOTED: frozenset({Status.QUOTED, Status.WON, Status.LOST}),
    Status.WON: frozenset({Status.WON, Status.LOST}),
    Status.LOST: frozenset({Status.WON}),
}


class ReportError(Exception):
    """A rule said no; `message` is for the person, `field` the form field it is about."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class InquiryError(ReportError):
    pass


class InquiryFlood(InquiryError):
    """Too many inquiries today: from this number or this client address to this
    exhibitor (`code` "too_many", "too_many_client"), or to this exhibitor in all
    ("booth_busy")."""


class OutcomeError(ReportError):
    pass


def _today(expo: Expo, now: datetime.datetime) -> datetime.date:
    return timezone.localdate(now, timezone=expo.tzinfo)


def _is_accepted(*, expo: Expo, exhibitor: Exhibitor) -> bool:
    return accepted_participations(expo=expo).filter(exhibitor=exhibitor).exists()


# --- visits --------------------------------------------------------------------------


def visitor_hash(visitor_key: str) -> str:
    """What is stored of a visitor's cookie key: its SHA-256, in hex."""
    return hashlib.sha256(visitor_key.encode()).hexdigest()


def visit_record(
    *,
    expo: Expo,
    visitor_key: str,
    exhibitor: Exhibitor | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """Count the visitor at the online expo today (in its zone) and, with `exhibitor`,
    at that booth. The caller has checked that the expo is public and the exhibitor
    accepted at it (the beacon's view does, through the public selectors)."""
    if not visitor_key:
        raise ValueError("visitor_key is empty")
    now = now or timezone.now()
    visitor = visitor_hash(visitor_key)
    day = _today(expo, now)
    with transaction.atomic():
        Visit.objects.bulk_create(
            [Visit(expo=expo, visitor=visitor, day=day, first_seen=now)],
            ignore_conflicts=True,
        )
        if exhibitor is not None:
            BoothVisit.objects.bulk_create(
                [
                    BoothVisit(
                        expo=expo, exhibitor=exhibitor, visitor=visitor, day=day, first_seen=now
                    )
                ],
                ignore_conflicts=True,
            )


# --- bulk inquiries ------------------------------------------------------------------


def _clean_text(value: str, *, field: str, max_length: int, required: bool, label: str) -> str:
    """Trimmed text; one-line fields get their runs of spaces collapsed too."""
    text = (value or "").strip()
    if field != "message":
        text = " ".join(text.split())
    if required and not text:
        raise InquiryError(_("Enter %(label)s.") % {"label": label}, code="required", field=field)
    if len(text) > max_length:
        raise InquiryError(
            _("This field can have at most %(max)s characters.") % {"max": max_length},
            code="too_long",
            field=field,
        )
    return text


def _amount(value, *, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_AMOUNT:
        raise InquiryError(
            _("Enter an amount in whole Rupiah above zero."), code="amount_invalid", field=field
        )
    return value


def inquiry_submit(
    *,
    expo: Expo,
    exhibitor: Exhibitor,
    product: Product | None = None,
    buyer_name: str,
    company: str = "",
    buyer_whatsapp: str,
    buyer_email: str = "",
    quantity: str,
    message: str,
    client: str = "",
    now: datetime.datetime | None = None,
) -> Inquiry:
    """A buyer's bulk inquiry to an exhibitor accepted at a public expo.

    The same inquiry again within RESUBMIT_WINDOW returns the first one (a double tap
    is not a second inquiry). InquiryFlood beyond INQUIRIES_PER_DAY from one number to
    one exhibitor today, INQUIRIES_PER_BOOTH_PER_DAY to one exhibitor today in all, or
    INQUIRIES_PER_CLIENT_PER_DAY from `client` (the sender's address, as
    gelar.common.throttle.client_key gives it; "" = not over the web: no such limit).
    The counts in the database are decided under a lock on the exhibitor's row, so two
    submits racing cannot both slip under a limit; the client's budget is an atomic
    counter in the cache, taken last, so only an inquiry about to be saved spends it.
    `now` (the demo's 2021 clock) places "today" and the window; created_at is the
    INSERT's time.
    """
    now = now or timezone.now()
    # Only a public expo's booths take inquiries (a closed expo is a virtual mall).
    if not expo.is_public or not _is_accepted(expo=expo, exhibitor=exhibitor):
        raise InquiryError(
            _("This booth does not take inquiries at this expo."), code="booth_closed"
        )
    if product is not None and (product.exhibitor_id != exhibitor.pk or not product.is_active):
        raise InquiryError(
            _("This product is not sold by this booth."), code="product_unknown", field="product"
        )
    values = {
        "buyer_name": _clean_text(
            buyer_name, field="buyer_name", max_length=200, required=True, label=_("your name")
        ),
        "company": _clean_text(
            company, field="company", max_length=200, required=False, label=_("the company")
        ),
        "quantity": _clean_text(
            quantity,
            field="quantity",
            max_length=100,
            required=True,
            label=_("the quantity you need"),
        ),
        "message": _clean_text(
            message, field="message", max_length=2000, required=True, label=_("a message")
        ),
    }
    try:
        values["buyer_whatsapp"] = normalize_whatsapp(buyer_whatsapp)
    except ValidationError as error:
        raise InquiryError(error.messages[0], code="whatsapp", field="buyer_whatsapp") from None
    email = (buyer_email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InquiryError(
                _("Enter a valid email address."), code="email", field="buyer_email"
            ) from None
    values["buyer_email"] = email

    day_start = datetime.datetime.combine(_today(expo, now), datetime.time(), tzinfo=expo.tzinfo)
    with transaction.atomic():
        _lock_for_inquiries(exhibitor)
        sent = Inquiry.objects.filter(exhibitor=exhibitor, buyer_whatsapp=values["buyer_whatsapp"])
        repeat = (
            sent.filter(
                expo=expo,
                product=product,
                quantity=values["quantity"],
                message=values["message"],
                created_at__gte=now - RESUBMIT_WINDOW,
            )
            .order_by("created_at", "pk")
            .first()
        )
        if repeat is not None:
            return repeat
        if sent.filter(created_at__gte=day_start).count() >= INQUIRIES_PER_DAY:
            raise InquiryFlood(
                _(
                    "You have already sent %(count)s inquiries to this booth today. "
                    "Please wait for their answer, or try again tomorrow."
                )
                % {"count": INQUIRIES_PER_DAY},
                code="too_many",
            )
        today = Inquiry.objects.filter(exhibitor=exhibitor, created_at__gte=day_start)
        if today.count() >= INQUIRIES_PER_BOOTH_PER_DAY:
            raise InquiryFlood(
                _(
                    "This booth has received too many inquiries today. Please try again "
                    "tomorrow, or contact them on WhatsApp."
                ),
                code="booth_busy",
            )
        if client and not throttle.take(
            f"gelar:inquiry:{exhibitor.pk}:{client}",
            limit=INQUIRIES_PER_CLIENT_PER_DAY,
            seconds=24 * 3600,
        ):
            raise InquiryFlood(
                _(
                    "Too many inquiries were sent to this booth from your network today. "
                    "Please try again tomorrow, or contact them on WhatsApp."
                ),
                code="too_many_client",
            )
        inquiry = Inquiry.objects.create(expo=expo, exhibitor=exhibitor, product=product, **values)
        audit_record(
            actor=None,
            action="reports.inquiry.submit",
            obj=inquiry,
            changes={"status": [None, inquiry.status], "product": product.pk if product else None},
            organizer=expo.organizer,
            exhibitor=exhibitor,
        )
        inquiry_id = inquiry.pk
        transaction.on_commit(lambda: notifications.notify_inquiry_received(inquiry_id=inquiry_id))
    return inquiry


def _lock_for_inquiries(exhibitor: Exhibitor) -> None:
    """Serialise the exhibitor's new inquiries (few; cheap): late, once.

    FOR NO KEY UPDATE, not FOR UPDATE: the lock other writers' foreign-key checks take
    on the exhibitor (FOR KEY SHARE, at their commit: a new order, product or booth
    sale) does not wait for it. FOR UPDATE would, and a checkout -- product rows locked,
    an order referencing the exhibitor -- against an inquiry on that product -- the
    exhibitor locked, an inquiry referencing the product -- waited on each other: a
    deadlock. This lock still excludes itself, which is all the limits need.
    (SQLite ignores row locks: its writers are serialised whole.)
    """
    Exhibitor.objects.select_for_update(no_key=True).filter(pk=exhibitor.pk).first()


def _locked(inquiry: Inquiry) -> Inquiry:
    return (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("expo__organizer", "exhibitor")
        .get(pk=inquiry.pk)
    )


def _snapshot(inquiry: Inquiry) -> dict:
    return {
        "status": inquiry.status,
        "answer": inquiry.answer,
        "quoted_value": inquiry.quoted_value,
        "won_value": inquiry.won_value,
        "lost_reason": inquiry.lost_reason,
    }


def inquiry_answer(
    *, inquiry: Inquiry, actor, answer: str, now: datetime.datetime | None = None
) -> Inquiry:
    """The exhibitor's answer to the buyer; a new inquiry becomes ANSWERED. Answering
    again replaces the text and keeps a later status (quoted, won, lost). The buyer
    is emailed the link to the answer when they gave an address."""
    now = now or timezone.now()
    text = (answer or "").strip()
    if not text:
        raise InquiryError(_("Write an answer."), code="required", field="answer")
    if len(text) > 2000:
        raise InquiryError(
            _("The answer can have at most %(max)s characters.") % {"max": 2000},
            code="too_long",
            field="answer",
        )
    with transaction.atomic():
        locked = _locked(inquiry)
        before = _snapshot(locked)
        locked.answer = text
        locked.answered_at = now
        if locked.status == Status.NEW:
            locked.status = Status.ANSWERED
        locked.save(update_fields=["answer", "answered_at", "status"])
        audit_record(
            actor=actor,
            action="reports.inquiry.answer",
            obj=locked,
            changes=field_changes(before, _snapshot(locked)),
            organizer=locked.expo.organizer,
            exhibitor=locked.exhibitor,
        )
        inquiry_id = locked.pk
        transaction.on_commit(lambda: notifications.notify_inquiry_answered(inquiry_id=inquiry_id))
    return locked


def inquiry_targets(inquiry: Inquiry) -> frozenset[str]:
    """The statuses the exhibitor may mark the inquiry as now."""
    return INQUIRY_TRANSITIONS.get(inquiry.status, frozenset())


def inquiry_mark(
    *,
    inquiry: Inquiry,
    actor,
    status: str,
    value: int | None = None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Inquiry:
    """Mark the inquiry QUOTED (`value`: the quoted amount, optional), WON (`value`
    required: the deal's value, counted as bulk in the report) or LOST (`reason`
    required), following INQUIRY_TRANSITIONS from the status it has under the lock."""
    now = now or timezone.now()
    if status not in (Status.QUOTED, Status.WON, Status.LOST):
        raise InquiryError(_("Choose quoted, won or lost."), code="status", field="status")
    if status == Status.WON and value is None:
        raise InquiryError(
            _("Enter the value of the deal in Rupiah."), code="value_required", field="value"
        )
    if value is not None and status != Status.LOST:
        value = _amount(value, field="value")
    reason = " ".join((reason or "").split())
    if status == Status.LOST and not reason:
        raise InquiryError(
            _("Say in a few words why it was lost."), code="reason_required", field="reason"
        )
    if len(reason) > 300:
        raise InquiryError(
            _("The reason can have at most %(max)s characters.") % {"max": 300},
            code="too_long",
            field="reason",
        )
    with transaction.atomic():
        locked = _locked(inquiry)
        if status not in inquiry_targets(locked):
            raise InquiryError(
                _("This inquiry is %(current)s: it cannot be marked %(target)s.")
                % {"current": locked.get_status_display(), "target": Status(status).label},
                code="transition",
                field="status",
            )
        before = _snapshot(locked)
        locked.status = status
        if status == Status.QUOTED:
            if value is not None:
                locked.quoted_value = value
        elif status == Status.WON:
            locked.won_value = value
            locked.lost_reason = ""
            locked.decided_at = now
        else:
            locked.won_value = None
            locked.lost_reason = reason
            locked.decided_at = now
        locked.save(
            update_fields=["status", "quoted_value", "won_value", "lost_reason", "decided_at"]
        )
        audit_record(
            actor=actor,
            action=f"reports.inquiry.{status}",
            obj=locked,
            changes=field_changes(before, _snapshot(locked)),
            organizer=locked.expo.organizer,
            exhibitor=locked.exhibitor,
        )
    return locked


# --- the exhibitor's own report ------------------------------------------------------


def _choices(values: Iterable[str], allowed, *, field: str) -> list[str]:
    """The chosen codes in the choices' order, once each; an unknown code is refused."""
    chosen = set(values or ())
    unknown = chosen - set(allowed.values)
    if unknown:
        raise OutcomeError(_("Choose from the list."), code="choice", field=field)
    return [code for code in allowed.values if code in chosen]


def outcome_can_report(*, expo: Expo, now: datetime.datetime | None = None) -> bool:
    """An exhibitor reports once the expo has started (its first day, in its zone)."""
    return expo.start_date <= _today(expo, now or timezone.now())


def outcome_save(
    *,
    expo: Expo,
    exhibitor: Exhibitor,
    actor,
    sales_whatsapp: int,
    sales_marketplace: int,
    sales_after: int,
    turnover_before: int,
    turnover_after: int | None,
    new_channels: Iterable[str],
    licences: Iterable[str],
    note: str = "",
    now: datetime.datetime | None = None,
) -> Outcome:
    """Create or correct the exhibitor's own report of the expo (one per expo).

    Only for an ACCEPTED participation, once the expo has started. The figures are
    self-reported: the report shows them beside the platform's, never added to them.
    """
    now = now or timezone.now()
    if not _is_accepted(expo=expo, exhibitor=exhibitor):
        raise OutcomeError(
            _("Only exhibitors accepted at this expo can report on it."), code="not_accepted"
        )
    if not outcome_can_report(expo=expo, now=now):
        raise OutcomeError(_("You can report once the expo has started."), code="not_started")
    amounts = {
        "sales_whatsapp": sales_whatsapp,
        "sales_marketplace": sales_marketplace,
        "sales_after": sales_after,
        "turnover_before": turnover_before,
        "turnover_after": turnover_after,
    }
    for field, amount in amounts.items():
        if amount is None and field == "turnover_after":
            continue
        if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_AMOUNT:
            raise OutcomeError(
                _("Enter an amount in whole Rupiah (0 when there was none)."),
                code="amount_invalid",
                field=field,
            )
    note = (note or "").strip()
    if len(note) > 2000:
        raise OutcomeError(
            _("The note can have at most %(max)s characters.") % {"max": 2000},
            code="too_long",
            field="note",
        )
    values = {
        **amounts,
        "new_channels": _choices(new_channels, Outcome.Channel, field="new_channels"),
        "licences": _choices(licences, Outcome.Licence, field="licences"),
        "note": note,
    }
    with transaction.atomic():
        outcome = Outcome.objects.select_for_update().filter(expo=expo, exhibitor=exhibitor).first()
        created = outcome is None
        if created:
            try:
                # A savepoint: a report created meanwhile by a teammate is then updated.
                with transaction.atomic():
                    outcome = Outcome.objects.create(
                        expo=expo,
                        exhibitor=exhibitor,
                        reported_by=actor if actor is not None and actor.is_authenticated else None,
                        reported_at=now,
                        **values,
                    )
            except IntegrityError:
                created = False
                outcome = Outcome.objects.select_for_update().get(expo=expo, exhibitor=exhibitor)
        if created:
            before: dict = {}
        else:
            before = {name: getattr(outcome, name) for name in values}
            for name, value in values.items():
                setattr(outcome, name, value)
            outcome.reported_by = actor if actor is not None and actor.is_authenticated else None
            outcome.save()
        audit_record(
            actor=actor,
            action="reports.outcome.create" if created else "reports.outcome.update",
            obj=outcome,
            changes=field_changes(before, values),
            organizer=expo.organizer,
            exhibitor=exhibitor,
        )
    return outcome
