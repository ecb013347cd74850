"""The rules of an exhibitor's participation in an expo: apply, decide, booths.

Every change happens inside one transaction that also writes the audit entry;
emails to the exhibitor go out after commit (gelar.exhibitors.notifications).

Booths are the scarce thing. booth_assign takes one lock, late, in a fixed
order: the expo row (select_for_update), then the participation. Every
assignment in the same expo queues on the expo row, so counting the booths
already held and writing the new one cannot interleave with another
assignment: the venue quota holds when two staff assign at the same moment
(gelar/exhibitors/tests/test_booth_concurrency.py proves it on PostgreSQL).
On SQLite, transactions are IMMEDIATE (settings) so writers serialise anyway.
Releasing a booth only frees a place, so it needs no expo lock.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record
from gelar.events.models import Booth, Expo
from gelar.exhibitors import notifications
from gelar.exhibitors.models import Exhibitor, Participation

Status = Participation.Status
Mode = Participation.Mode

# Expos that take applications: public and not over.
OPEN_FOR_APPLICATIONS = (Expo.Status.PUBLISHED, Expo.Status.LIVE)


class ParticipationError(Exception):
    """A participation rule said no; `message` is for the person who asked."""

    code = "participation"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ExpoNotOpen(ParticipationError):
    code = "expo_not_open"


class NibMissing(ParticipationError):
    code = "nib_missing"


class AlreadyAccepted(ParticipationError):
    code = "already_accepted"


class WrongStatus(ParticipationError):
    """The participation is not in a status the action starts from."""

    code = "wrong_status"


class ReasonRequired(ParticipationError):
    code = "reason_required"


class BoothError(ParticipationError):
    code = "booth"


class NotVenue(BoothError):
    code = "not_venue"


class BoothNotInExpo(BoothError):
    code = "booth_not_in_expo"


class BoothTaken(BoothError):
    code = "booth_taken"


class QuotaFull(BoothError):
    code = "quota_full"


# --- applying (the exhibitor's side) -------------------------------------------------


def participation_apply(
    *, exhibitor: Exhibitor, expo: Expo, mode: str, note: str = "", actor
) -> Participation:
    """Apply to the expo, or re-submit after a request for changes (or a refusal, or a
    withdrawal). Raises ExpoNotOpen, NibMissing, AlreadyAccepted."""
    if mode not in Mode.values:
        raise ParticipationError(_("Choose venue or online."))
    if expo.status not in OPEN_FOR_APPLICATIONS:
        raise ExpoNotOpen(_("This expo is not open for applications."))
    if not exhibitor.nib:
        raise NibMissing(_("NIB is required: add your business's NIB to the profile first."))
    with transaction.atomic():
        existing = Participation.objects.select_for_update().filter(expo=expo, exhibitor=exhibitor)
        participation = existing.first()
        if participation is None:
            try:
                with transaction.atomic():
                    participation = Participation.objects.create(
                        expo=expo, exhibitor=exhibitor, mode=mode, note=note, status=Status.APPLIED
                    )
            except IntegrityError:
                # A second submit at the same moment (a double tap): the first one won,
                # this one re-submits it.
                participation = existing.get()
            else:
                _audit(
                    participation,
                    actor=actor,
                    action="participation.apply",
                    changes={"status": [None, Status.APPLIED], "mode": [None, mode]},
                )
                return participation
        if participation.status == Status.ACCEPTED:
            raise AlreadyAccepted(_("This business is already accepted in this expo."))
        before = _snapshot(participation)
        participation.status = Status.APPLIED
        participation.mode = mode
        participation.note = note
        participation.applied_at = timezone.now()
        participation.decided_at = None
        participation.decided_by = None
        participation.decision_reason = ""
        participation.save()
        _audit(participation, actor=actor, action="participation.resubmit", before=before)
        return participation


def participation_withdraw(*, participation: Participation, actor) -> Participation:
    """The exhibitor withdraws (also after acceptance: the booth is released)."""
    with transaction.atomic():
        participation = _lock(participation)
        if participation.status in (Status.REFUSED, Status.WITHDRAWN):
            raise WrongStatus(_("This application is already closed."))
        before = _snapshot(participation)
        participation.status = Status.WITHDRAWN
        participation.booth = None
        participation.save(update_fields=["status", "booth"])
        _audit(participation, actor=actor, action="participation.withdraw", before=before)
        return participation


# --- decisions (the organizer's side) ------------------------------------------------


def participation_accept(*, participation: Participation, actor) -> Participation:
    with transaction.atomic():
        participation = _lock(participation)
        if participation.status == Status.ACCEPTED:
            raise AlreadyAccepted(_("This business is already accepted in this expo."))
        if participation.status not in (Status.APPLIED, Status.CHANGES_REQUESTED):
            raise WrongStatus(
                _("Only an open application can be accepted; this one is %(status)s.")
                % {"status": participation.get_status_display()}
            )
        return _decide(participation, status=Status.ACCEPTED, reason="", actor=actor)


def participation_refuse(*, participation: Participation, reason: str, actor) -> Participation:
    """Refuse an application, or revoke an acceptance (its booth is released)."""
    reason = _required_reason(reason)
    with transaction.atomic():
        participation = _lock(participation)
        if participation.status not in (
            Status.APPLIED,
            Status.CHANGES_REQUESTED,
            Status.ACCEPTED,
        ):
            raise WrongStatus(
                _("This application cannot be refused; it is %(status)s.")
                % {"status": participation.get_status_display()}
            )
        participation.booth = None
        return _decide(participation, status=Status.REFUSED, reason=reason, actor=actor)


def participation_request_changes(
    *, participation: Participation, reason: str, actor
) -> Participation:
    reason = _required_reason(reason)
    with transaction.atomic():
        participation = _lock(participation)
        if participation.status != Status.APPLIED:
            raise WrongStatus(
                _("Changes can be requested only on an application waiting for review.")
            )
        return _decide(participation, status=Status.CHANGES_REQUESTED, reason=reason, actor=actor)


@dataclass(frozen=True)
class BulkOutcome:
    participation_id: int
    participation: Participation | None
    ok: bool
    message: str


def participations_accept(*, expo: Expo, ids: Iterable[int], actor) -> list[BulkOutcome]:
    return _bulk(expo=expo, ids=ids, action=partial(participation_accept, actor=actor))


def participations_refuse(
    *, expo: Expo, ids: Iterable[int], reason: str, actor
) -> list[BulkOutcome]:
    reason = _required_reason(reason)
    return _bulk(
        expo=expo, ids=ids, action=partial(participation_refuse, reason=reason, actor=actor)
    )


def participations_request_changes(
    *, expo: Expo, ids: Iterable[int], reason: str, actor
) -> list[BulkOutcome]:
    reason = _required_reason(reason)
    return _bulk(
        expo=expo,
        ids=ids,
        action=partial(participation_request_changes, reason=reason, actor=actor),
    )


def participation_change_mode(*, participation: Participation, mode: str, actor) -> Participation:
    """Move an exhibitor between the venue and online; moving online releases the booth."""
    if mode not in Mode.values:
        raise ParticipationError(_("Choose venue or online."))
    with transaction.atomic():
        participation = _lock(participation)
        if participation.mode == mode:
            return participation
        before = _snapshot(participation)
        participation.mode = mode
        if mode == Mode.ONLINE:
            participation.booth = None
        participation.save(update_fields=["mode", "booth"])
        _audit(participation, actor=actor, action="participation.mode", before=before)
        return participation


# --- booths --------------------------------------------------------------------------


def booth_assign(
    *, participation: Participation, booth: Booth, actor, lock: bool = True
) -> Participation:
    """Give an accepted venue exhibitor a booth (or move it to another one).

    Raises NotVenue, BoothNotInExpo, BoothTaken, QuotaFull. `lock=False` exists
    only for the concurrency test that shows the race without the lock.
    """
    with transaction.atomic():
        expos = Expo.objects.select_for_update() if lock else Expo.objects
        expo = expos.get(pk=participation.expo_id)
        participation = _lock(participation) if lock else _fresh(participation)
        if participation.status != Status.ACCEPTED or participation.mode != Mode.VENUE:
            raise NotVenue(_("Only an accepted venue exhibitor can have a booth."))
        booth = Booth.objects.select_related("hall").get(pk=booth.pk)
        if booth.hall.expo_id != expo.pk:
            raise BoothNotInExpo(_("This booth belongs to another expo."))
        if participation.booth_id == booth.pk:
            return participation
        if Participation.objects.filter(booth=booth).exists():
            raise BoothTaken(_("Booth %(code)s is taken.") % {"code": booth.code})
        held = (
            Participation.objects.filter(expo=expo, mode=Mode.VENUE, booth__isnull=False)
            .exclude(pk=participation.pk)
            .count()
        )
        if held >= expo.venue_booth_quota:
            raise QuotaFull(
                _("The venue quota is full: %(held)s of %(quota)s booths are assigned.")
                % {"held": held, "quota": expo.venue_booth_quota}
            )
        before = _snapshot(participation)
        participation.booth = booth
        try:
            with transaction.atomic():
                participation.save(update_fields=["booth"])
        except IntegrityError:
            # The one-to-one said no: someone assigned it outside this lock (e.g. the admin).
            raise BoothTaken(_("Booth %(code)s is taken.") % {"code": booth.code}) from None
        _audit(participation, actor=actor, action="booth.assign", before=before)
        _after_commit(notifications.notify_booth_assigned, participation)
        return participation


def booth_release(*, participation: Participation, actor) -> Participation:
    with transaction.atomic():
        participation = _lock(participation)
        if participation.booth_id is None:
            return participation
        before = _snapshot(participation)
        participation.booth = None
        participation.save(update_fields=["booth"])
        _audit(participation, actor=actor, action="booth.release", before=before)
        return participation


def booths_held(*, expo: Expo) -> int:
    """How many venue booths of the expo's quota are in use."""
    return Participation.objects.filter(expo=expo, mode=Mode.VENUE, booth__isnull=False).count()


# --- helpers -------------------------------------------------------------------------

_NOTIFY = {
    Status.ACCEPTED: notifications.notify_accepted,
    Status.REFUSED: notifications.notify_refused,
    Status.CHANGES_REQUESTED: notifications.notify_changes_requested,
}


def _decide(participation: Participation, *, status: str, reason: str, actor) -> Participation:
    before = _snapshot(participation)
    participation.status = status
    participation.decision_reason = reason
    participation.decided_at = timezone.now()
    participation.decided_by = actor if actor is not None and actor.is_authenticated else None
    participation.save(
        update_fields=["status", "booth", "decision_reason", "decided_at", "decided_by"]
    )
    _audit(participation, actor=actor, action=f"participation.{_ACTION[status]}", before=before)
    _after_commit(_NOTIFY[status], participation)
    return participation


_ACTION = {
    Status.ACCEPTED: "accept",
    Status.REFUSED: "refuse",
    Status.CHANGES_REQUESTED: "request_changes",
}


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Give a reason: the exhibitor is told."))
    return reason


def _lock(participation: Participation) -> Participation:
    return (
        Participation.objects.select_for_update(of=("self",))
        .select_related("expo__organizer", "exhibitor", "booth")
        .get(pk=participation.pk)
    )


def _fresh(participation: Participation) -> Participation:
    return Participation.objects.select_related("expo__organizer", "exhibitor", "booth").get(
        pk=participation.pk
    )


def _snapshot(participation: Participation) -> dict:
    return {
        "status": participation.status,
        "mode": participation.mode,
        "booth": participation.booth.code if participation.booth_id else None,
        "decision_reason": participation.decision_reason,
        "note": participation.note,
    }


def _audit(
    participation: Participation,
    *,
    actor,
    action: str,
    before: dict | None = None,
    changes: dict | None = None,
) -> None:
    if changes is None:
        after = _snapshot(participation)
        changes = {
            name: [before.get(name), value]
            for name, value in after.items()
            if before.get(name) != value
        }
    audit_record(
        actor=actor,
        action=action,
        obj=participation,
        changes=changes,
        organizer=participation.expo.organizer,
        exhibitor=participation.exhibitor,
    )


def _after_commit(notify: Callable[..., None], participation: Participation) -> None:
    transaction.on_commit(partial(notify, participation_id=participation.pk))


def _bulk(*, expo: Expo, ids: Iterable[int], action: Callable) -> list[BulkOutcome]:
    """Decide each participation in its own savepoint: one refusal does not undo the rest."""
    wanted = sorted({int(i) for i in ids})
    found = {
        p.pk: p
        for p in Participation.objects.filter(expo=expo, pk__in=wanted).select_related("exhibitor")
    }
    outcomes = []
    for pk in wanted:
        participation = found.get(pk)
        if participation is None:
            outcomes.append(BulkOutcome(pk, None, False, _("Not an application of this expo.")))
            continue
        try:
            with transaction.atomic():
                done = action(participation=participation)
        except ParticipationError as error:
            outcomes.append(BulkOutcome(pk, participation, False, error.message))
        else:
            outcomes.append(BulkOutcome(pk, done, True, done.get_status_display()))
    return outcomes
