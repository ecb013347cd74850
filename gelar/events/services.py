"""Writes to expos, their agenda and their floor plan (and the global categories).

Every function changes the database inside one transaction and records the
change in the audit log in the same transaction. Rules that depend on other
rows (a booth must not overlap its neighbours, a status change must follow
the allowed transitions) are checked here, after the rows concerned are
locked, so two organizers editing at once cannot slip past them.

Errors the person can fix are raised as django ValidationError keyed by the
field they concern (a form shows them next to the field); refusals that are
not about one field are raised as ExpoActionError subclasses.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record, field_changes
from gelar.events.models import AgendaSession, Booth, Expo, Hall, Organizer, Speaker
from gelar.exhibitors.models import Category, Participation

EXPO_FIELDS = (
    "name",
    "slug",
    "tagline",
    "description",
    "start_date",
    "end_date",
    "time_zone",
    "venue_name",
    "venue_address",
    "venue_region",
    "planned_venue_percent",
    "venue_booth_quota",
    "stream_url",
)

# Participations that hold on to their booth: the booth cannot be deleted under them.
_HOLDING = (
    Participation.Status.APPLIED,
    Participation.Status.CHANGES_REQUESTED,
    Participation.Status.ACCEPTED,
)


class ExpoActionError(Exception):
    """A refused action, with a message for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidStatusTransition(ExpoActionError):
    pass


class PublishBlocked(ExpoActionError):
    pass


class BoothInUse(ExpoActionError):
    pass


def _values(obj, fields: Sequence[str]) -> dict[str, Any]:
    # Foreign keys by their id, so the audit shows the code and not a whole object.
    # Instants in UTC, however the form's zone typed them, so equal times compare equal.
    values = {}
    for name in fields:
        value = getattr(obj, obj._meta.get_field(name).attname)
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        values[name] = value
    return values


def _save_audited(
    obj, *, before: dict[str, Any], fields: Sequence[str], actor, action: str, organizer
) -> None:
    """Save an edit and audit it, only when one of `fields` changed."""
    changes = field_changes(before, _values(obj, fields))
    if changes:
        obj.save()
        audit_record(actor=actor, action=action, obj=obj, changes=changes, organizer=organizer)


def _set(obj, data: Mapping[str, Any], fields: Sequence[str]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _gone(values: dict[str, Any]) -> dict[str, list]:
    """The audit changes of a deleted row: every field from its value to nothing."""
    return field_changes(values, dict.fromkeys(values))


# --- Expos ---


def expo_create(*, organizer: Organizer, actor, data: Mapping[str, Any]) -> Expo:
    """A new expo of the organizer, in draft (the public does not see it yet)."""
    with transaction.atomic():
        expo = Expo(organizer=organizer, status=Expo.Status.DRAFT)
        _set(expo, data, EXPO_FIELDS)
        if not expo.slug:
            expo.slug = slugify(expo.name)[:50]
        expo.save()
        audit_record(
            actor=actor,
            action="expo.create",
            obj=expo,
            changes=field_changes({}, _values(expo, EXPO_FIELDS)),
            organizer=organizer,
        )
    return expo


def expo_update(*, expo: Expo, actor, data: Mapping[str, Any]) -> Expo:
    """Change the expo's details; the audit keeps each changed field's old and new value."""
    with transaction.atomic():
        current = Expo.objects.select_for_update().get(pk=expo.pk)
        before = _values(current, EXPO_FIELDS)
        _set(current, data, EXPO_FIELDS)
        if not current.slug:
            current.slug = slugify(current.name)[:50]
        _save_audited(
            current,
            before=before,
            fields=EXPO_FIELDS,
            actor=actor,
            action="expo.update",
            organizer=current.organizer,
        )
    return current


# The allowed moves and the audit action of each. Closed is final: a closed
# expo lives on as a virtual mall. Back to draft only before it went live.
STATUS_TRANSITIONS: dict[tuple[str, str], str] = {
    (Expo.Status.DRAFT, Expo.Status.PUBLISHED): "expo.publish",
    (Expo.Status.PUBLISHED, Expo.Status.DRAFT): "expo.unpublish",
    (Expo.Status.PUBLISHED, Expo.Status.LIVE): "expo.go_live",
    (Expo.Status.PUBLISHED, Expo.Status.CLOSED): "expo.close",
    (Expo.Status.LIVE, Expo.Status.CLOSED): "expo.close",
}


def status_targets(*, status: str) -> list[str]:
    """The statuses an expo in `status` may move to, in the order of Expo.Status."""
    return [s for s in Expo.Status.values if (status, s) in STATUS_TRANSITIONS]


def expo_set_status(*, expo: Expo, status: str, actor) -> Expo:
    """Move the expo to `status`; raises InvalidStatusTransition or PublishBlocked."""
    with transaction.atomic():
        current = Expo.objects.select_for_update().get(pk=expo.pk)
        action = STATUS_TRANSITIONS.get((current.status, status))
        if action is None:
            raise InvalidStatusTransition(
                _("An expo cannot go from %(old)s to %(new)s.")
                % {
                    "old": Expo.Status(current.status).label,
                    "new": Expo.Status(status).label if status in Expo.Status.values else status,
                }
            )
        if status == Expo.Status.PUBLISHED:
            problems = publish_problems(expo=current)
            if problems:
                raise PublishBlocked(" ".join(problems))
        if status == Expo.Status.DRAFT:
            accepted = current.participations.filter(status=Participation.Status.ACCEPTED)
            if accepted.exists():
                raise InvalidStatusTransition(
                    _(
                        "The expo has accepted exhibitors: it stays public. "
                        "Close it instead if it will not take place."
                    )
                )
        old = current.status
        current.status = status
        current.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=action,
            obj=current,
            changes={"status": [old, status]},
            organizer=current.organizer,
        )
    return current


def publish_problems(*, expo: Expo) -> list[str]:
    """What keeps the expo from being published (empty: it can be)."""
    problems = []
    if not expo.start_date or not expo.end_date:
        problems.append(_("Set the expo's dates before publishing."))
    if expo.venue_booth_quota > 0 and not (expo.venue_name and expo.venue_region_id):
        problems.append(
            _("The expo has venue booths: set the venue's name and region before publishing.")
        )
    return problems


# --- Agenda ---

SESSION_FIELDS = ("title", "description", "starts_at", "ends_at", "stream_url")


def _check_session_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})


def _speaker_list(session: AgendaSession) -> list[str]:
    return [f"{s.name} | {s.role}" if s.role else s.name for s in session.speakers.all()]


def _replace_speakers(session: AgendaSession, speakers: Sequence[tuple[str, str]]) -> None:
    session.speakers.all().delete()
    Speaker.objects.bulk_create(
        Speaker(session=session, name=name, role=role, position=position)
        for position, (name, role) in enumerate(speakers)
    )


def session_create(
    *, expo: Expo, actor, data: Mapping[str, Any], speakers: Sequence[tuple[str, str]] = ()
) -> AgendaSession:
    _check_session_times(data["starts_at"], data["ends_at"])
    with transaction.atomic():
        session = AgendaSession(expo=expo)
        _set(session, data, SESSION_FIELDS)
        session.save()
        _replace_speakers(session, speakers)
        changes = field_changes({}, _values(session, SESSION_FIELDS))
        if speakers:
            changes["speakers"] = [None, _speaker_list(session)]
        audit_record(
            actor=actor,
            action="agenda.create",
            obj=session,
            changes=changes,
            organizer=expo.organizer,
        )
    return session


def session_update(
    *,
    session: AgendaSession,
    actor,
    data: Mapping[str, Any],
    speakers: Sequence[tuple[str, str]],
) -> AgendaSession:
    _check_session_times(data["starts_at"], data["ends_at"])
    with transaction.atomic():
        current = AgendaSession.objects.select_for_update().get(pk=session.pk)
        before = _values(current, SESSION_FIELDS)
        speakers_before = _speaker_list(current)
        _set(current, data, SESSION_FIELDS)
        changes = field_changes(before, _values(current, SESSION_FIELDS))
        current.save()
        _replace_speakers(current, speakers)
        speakers_after = _speaker_list(current)
        if speakers_after != speakers_before:
            changes["speakers"] = [speakers_before, speakers_after]
        if changes:
            audit_record(
                actor=actor,
                action="agenda.update",
                obj=current,
                changes=changes,
                organizer=session.expo.organizer,
            )
    return current


def session_delete(*, session: AgendaSession, actor) -> None:
    with transaction.atomic():
        changes = _gone(_values(session, SESSION_FIELDS))
        changes["speakers"] = [_speaker_list(session), None]
        audit_record(
            actor=actor,
            action="agenda.delete",
            obj=session,
            changes=changes,
            organizer=session.expo.organizer,
        )
        session.delete()


# --- Floor plan: halls and booths ---

HALL_FIELDS = ("name", "width", "height")
BOOTH_FIELDS = ("code", "x", "y", "width", "height")


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int

    def overlaps(self, other: "Rect") -> bool:
        # Touching edges do not overlap: booths in a row share their walls.
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )

    def inside(self, width: int, height: int) -> bool:
        return self.x + self.width <= width and self.y + self.height <= height


def _lock_hall(hall: Hall) -> Hall:
    # The hall row is the lock for its booths: every booth write of the hall
    # takes it first, so the overlap and code checks see every committed booth.
    return Hall.objects.select_for_update().get(pk=hall.pk)


def hall_create(*, expo: Expo, actor, data: Mapping[str, Any]) -> Hall:
    with transaction.atomic():
        position = expo.halls.count()
        hall = Hall(expo=expo, position=position)
        _set(hall, data, HALL_FIELDS)
        hall.save()
        audit_record(
            actor=actor,
            action="hall.create",
            obj=hall,
            changes=field_changes({}, _values(hall, HALL_FIELDS)),
            organizer=expo.organizer,
        )
    return hall


def hall_update(*, hall: Hall, actor, data: Mapping[str, Any]) -> Hall:
    """Rename or resize the hall; it may not shrink past its booths."""
    with transaction.atomic():
        current = _lock_hall(hall)
        before = _values(current, HALL_FIELDS)
        _set(current, data, HALL_FIELDS)
        outside = [
            b.code
            for b in current.booths.all()
            if not Rect(b.x, b.y, b.width, b.height).inside(current.width, current.height)
        ]
        if outside:
            raise ValidationError(
                _("These booths would be outside the hall: %(codes)s.")
                % {"codes": ", ".join(outside)}
            )
        _save_audited(
            current,
            before=before,
            fields=HALL_FIELDS,
            actor=actor,
            action="hall.update",
            organizer=hall.expo.organizer,
        )
    return current


def hall_delete(*, hall: Hall, actor) -> None:
    """Delete a hall and its booths; refused while a booth holds an exhibitor."""
    with transaction.atomic():
        current = _lock_hall(hall)
        held = list(
            Booth.objects.filter(hall=current, participation__status__in=_HOLDING)
            .order_by("code")
            .values_list("code", flat=True)
        )
        if held:
            raise BoothInUse(
                _("The hall cannot be deleted: these booths hold exhibitors: %(codes)s.")
                % {"codes": ", ".join(held)}
            )
        codes = list(current.booths.order_by("code").values_list("code", flat=True))
        audit_record(
            actor=actor,
            action="hall.delete",
            obj=current,
            changes=_gone(_values(current, HALL_FIELDS)),
            organizer=hall.expo.organizer,
        )
        if codes:
            audit_record(
                actor=actor,
                action="booth.delete",
                obj=current,
                changes={"codes": [codes, None]},
                organizer=hall.expo.organizer,
            )
        current.delete()


def _check_booths(hall: Hall, booths: Sequence[Booth], *, exclude_pk: int | None = None) -> None:
    """Each new or moved booth inside the hall, not overlapping, with a code unique in the hall.

    Raises a ValidationError keyed by field for a single booth, a general
    one listing the codes when several are checked at once (a generated grid).
    """
    existing = [b for b in hall.booths.all() if b.pk != exclude_pk]
    single = len(booths) == 1
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field if single else "__all__", []).append(message)

    taken_codes = {b.code.casefold(): b.code for b in existing}
    placed: list[Booth] = []
    for booth in booths:
        rect = Rect(booth.x, booth.y, booth.width, booth.height)
        if booth.code.casefold() in taken_codes:
            add(
                "code",
                _("The hall already has a booth %(code)s.") % {"code": booth.code},
            )
        if not rect.inside(hall.width, hall.height):
            add(
                "x",
                _("Booth %(code)s does not fit inside the hall (%(width)s × %(height)s).")
                % {"code": booth.code, "width": hall.width, "height": hall.height},
            )
        for other in [*existing, *placed]:
            if rect.overlaps(Rect(other.x, other.y, other.width, other.height)):
                add(
                    "x",
                    _("Booth %(code)s overlaps booth %(other)s.")
                    % {"code": booth.code, "other": other.code},
                )
                break
        taken_codes[booth.code.casefold()] = booth.code
        placed.append(booth)
    if errors:
        raise ValidationError(errors)


def booth_create(*, hall: Hall, actor, data: Mapping[str, Any]) -> Booth:
    with transaction.atomic():
        current = _lock_hall(hall)
        booth = Booth(hall=current)
        _set(booth, data, BOOTH_FIELDS)
        _check_booths(current, [booth])
        booth.save()
        audit_record(
            actor=actor,
            action="booth.create",
            obj=booth,
            changes=field_changes({}, _values(booth, BOOTH_FIELDS)),
            organizer=hall.expo.organizer,
        )
    return booth


def booth_update(*, booth: Booth, actor, data: Mapping[str, Any]) -> Booth:
    with transaction.atomic():
        hall = _lock_hall(booth.hall)
        current = Booth.objects.get(pk=booth.pk)
        before = _values(current, BOOTH_FIELDS)
        _set(current, data, BOOTH_FIELDS)
        _check_booths(hall, [current], exclude_pk=current.pk)
        _save_audited(
            current,
            before=before,
            fields=BOOTH_FIELDS,
            actor=actor,
            action="booth.update",
            organizer=hall.expo.organizer,
        )
    return current


def booth_delete(*, booth: Booth, actor) -> None:
    """Delete an empty booth; refused while it holds an exhibitor (even one not yet decided)."""
    with transaction.atomic():
        hall = _lock_hall(booth.hall)
        current = Booth.objects.get(pk=booth.pk)
        holder = (
            Participation.objects.filter(booth=current, status__in=_HOLDING)
            .select_related("exhibitor")
            .first()
        )
        if holder is not None:
            raise BoothInUse(
                _("Booth %(code)s holds %(exhibitor)s: move the exhibitor first.")
                % {"code": current.code, "exhibitor": holder.exhibitor.name}
            )
        audit_record(
            actor=actor,
            action="booth.delete",
            obj=current,
            changes=_gone(_values(current, BOOTH_FIELDS)),
            organizer=hall.expo.organizer,
        )
        current.delete()


@dataclass(frozen=True)
class BoothGrid:
    """Rows × columns of booths from (x, y), numbered row by row: A-01, A-02, ...

    An aisle of `aisle` units runs between rows and, every `block` columns
    (0: never), across them.
    """

    prefix: str
    rows: int
    columns: int
    x: int = 0
    y: int = 0
    booth_width: int = 30
    booth_height: int = 30
    aisle: int = 30
    block: int = 0
    first_number: int = 1

    def booths(self, hall: Hall) -> list[Booth]:
        count = self.rows * self.columns
        digits = max(2, len(str(self.first_number + count - 1)))
        result = []
        for row in range(self.rows):
            for column in range(self.columns):
                crossings = column // self.block if self.block else 0
                number = self.first_number + row * self.columns + column
                result.append(
                    Booth(
                        hall=hall,
                        code=f"{self.prefix}{number:0{digits}d}",
                        x=self.x + column * self.booth_width + crossings * self.aisle,
                        y=self.y + row * (self.booth_height + self.aisle),
                        width=self.booth_width,
                        height=self.booth_height,
                    )
                )
        return result


def booth_grid_create(*, hall: Hall, actor, grid: BoothGrid) -> list[Booth]:
    """Create a whole grid of booths, or none if any of them is misplaced."""
    with transaction.atomic():
        current = _lock_hall(hall)
        booths = grid.booths(current)
        _check_booths(current, booths)
        created = Booth.objects.bulk_create(booths)
        audit_record(
            actor=actor,
            action="booth.grid_create",
            obj=current,
            changes={"codes": [None, [b.code for b in created]]},
            organizer=hall.expo.organizer,
        )
    return created


# --- Categories (global; recorded in the log of the organizer whose admin changed them) ---

CATEGORY_FIELDS = ("name", "name_en", "position")


def category_create(*, organizer: Organizer, actor, data: Mapping[str, Any]) -> Category:
    with transaction.atomic():
        category = Category()
        _set(category, data, CATEGORY_FIELDS)
        base = slugify(data.get("slug") or data.get("name_en") or data["name"])[:40] or "category"
        slug, n = base, 1
        while Category.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        category.slug = slug
        category.save()
        audit_record(
            actor=actor,
            action="category.create",
            obj=category,
            changes=field_changes({}, _values(category, CATEGORY_FIELDS)),
            organizer=organizer,
        )
    return category


def category_update(
    *, category: Category, organizer: Organizer, actor, data: Mapping[str, Any]
) -> Category:
    """Rename a category; its slug (used in the public filter links) stays."""
    with transaction.atomic():
        current = Category.objects.select_for_update().get(pk=category.pk)
        before = _values(current, CATEGORY_FIELDS)
        _set(current, data, CATEGORY_FIELDS)
        _save_audited(
            current,
            before=before,
            fields=CATEGORY_FIELDS,
            actor=actor,
            action="category.update",
            organizer=organizer,
        )
    return current
