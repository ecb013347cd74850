"""Reads of expos for the public site and the API: what the public may see."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet

from gelar.events.models import AgendaSession, Booth, Expo, Hall
from gelar.exhibitors.models import Exhibitor, Participation

_ACCEPTED = Participation.Status.ACCEPTED


def public_expos() -> QuerySet[Expo]:
    """Every expo but drafts: published, live and closed ones (a virtual mall) are public."""
    return Expo.objects.exclude(status=Expo.Status.DRAFT).select_related(
        "organizer", "venue_region"
    )


def public_expo(*, slug: str, with_agenda: bool = False) -> Expo:
    """The public expo with this slug; raises Expo.DoesNotExist for drafts and unknown slugs.

    with_agenda prefetches the sessions and their speakers, which
    agenda_days() and agenda_on_air() then read without further queries.
    """
    expos = public_expos()
    if with_agenda:
        expos = expos.prefetch_related(
            Prefetch("sessions", queryset=AgendaSession.objects.prefetch_related("speakers"))
        )
    return expos.get(slug=slug)


def local_today(*, expo: Expo, now: datetime.datetime) -> datetime.date:
    """Today's date where the expo takes place (WIB, WITA or WIT)."""
    return now.astimezone(expo.tzinfo).date()


def expo_phase(*, expo: Expo, now: datetime.datetime) -> str:
    return expo.phase(today=local_today(expo=expo, now=now))


@dataclass(frozen=True)
class ExpoListing:
    live: list[Expo]
    upcoming: list[Expo]
    past: list[Expo]


def expo_listing(*, now: datetime.datetime) -> ExpoListing:
    """Public expos in three sections, each annotated with its accepted exhibitor counts.

    The phase is decided with today's date in each expo's own zone: an expo in
    Jayapura starts two hours before one in Jakarta.
    """
    accepted = Q(participations__status=_ACCEPTED)
    expos = public_expos().annotate(
        exhibitor_count=Count("participations", filter=accepted),
        venue_count=Count(
            "participations", filter=accepted & Q(participations__mode=Participation.Mode.VENUE)
        ),
        online_count=Count(
            "participations", filter=accepted & Q(participations__mode=Participation.Mode.ONLINE)
        ),
    )
    sections: dict[str, list[Expo]] = {"live": [], "upcoming": [], "past": []}
    for expo in expos:
        sections[expo_phase(expo=expo, now=now)].append(expo)
    return ExpoListing(
        live=sorted(sections["live"], key=_by_start),
        upcoming=sorted(sections["upcoming"], key=_by_start),
        # The most recent first.
        past=sorted(sections["past"], key=_by_start, reverse=True),
    )


def _by_start(expo: Expo) -> tuple:
    return (expo.start_date, expo.name)


@dataclass(frozen=True)
class AgendaDay:
    date: datetime.date
    sessions: list[AgendaSession]


def agenda_days(*, expo: Expo) -> list[AgendaDay]:
    """The programme grouped by day in the expo's zone (reads the prefetched sessions)."""
    days: dict[datetime.date, list[AgendaSession]] = {}
    for session in sorted(expo.sessions.all(), key=lambda s: (s.starts_at, s.pk)):
        days.setdefault(session.starts_at.astimezone(expo.tzinfo).date(), []).append(session)
    return [AgendaDay(date=day, sessions=sessions) for day, sessions in days.items()]


@dataclass(frozen=True)
class OnAir:
    """What the stream shows at an instant: the running session, the next one, or a replay."""

    current: AgendaSession | None
    next: AgendaSession | None
    is_over: bool


def agenda_on_air(*, expo: Expo, now: datetime.datetime) -> OnAir:
    """The session on air at `now` (start inclusive, end exclusive) and the next to start.

    The expo is over -- the stream becomes a replay -- once the expo is past
    (closed, or its last day gone in its zone) or its last session has ended.
    Overlapping sessions: the one that started last is on air.
    """
    sessions = list(expo.sessions.all())
    if expo_phase(expo=expo, now=now) == "past":
        return OnAir(current=None, next=None, is_over=True)
    if sessions and now >= max(s.ends_at for s in sessions):
        return OnAir(current=None, next=None, is_over=True)
    running = [s for s in sessions if s.starts_at <= now < s.ends_at]
    upcoming = [s for s in sessions if s.starts_at > now]
    return OnAir(
        current=max(running, key=lambda s: (s.starts_at, s.pk)) if running else None,
        next=min(upcoming, key=lambda s: (s.starts_at, s.pk)) if upcoming else None,
        is_over=False,
    )


@dataclass(frozen=True)
class BoothSpot:
    """A booth of the floor plan and the accepted exhibitor in it, if any."""

    booth: Booth
    exhibitor: Exhibitor | None


@dataclass(frozen=True)
class HallPlan:
    hall: Hall
    spots: list[BoothSpot]


def _accepted_exhibitor(booth: Booth, expo_id: int) -> Exhibitor | None:
    # A booth may keep a refused or withdrawn participation: it is empty to the public.
    try:
        participation = booth.participation
    except ObjectDoesNotExist:
        return None
    if participation.status != _ACCEPTED or participation.expo_id != expo_id:
        return None
    return participation.exhibitor


def _booths() -> QuerySet[Booth]:
    return Booth.objects.select_related(
        "participation__exhibitor__category", "participation__exhibitor__region"
    ).order_by("code", "pk")


def floor_plan(*, expo: Expo) -> list[HallPlan]:
    """Every hall of the expo with its booths and their accepted exhibitors (two queries)."""
    halls = list(expo.halls.all())
    spots: dict[int, list[BoothSpot]] = {hall.pk: [] for hall in halls}
    for booth in _booths().filter(hall__expo=expo):
        spots[booth.hall_id].append(
            BoothSpot(booth=booth, exhibitor=_accepted_exhibitor(booth, expo.pk))
        )
    return [HallPlan(hall=hall, spots=spots[hall.pk]) for hall in halls]


def hall_plan(*, hall: Hall) -> HallPlan:
    """One hall's plan, e.g. to show an exhibitor where its booth is (one query)."""
    booths = _booths().filter(hall=hall)
    return HallPlan(
        hall=hall,
        spots=[BoothSpot(booth=b, exhibitor=_accepted_exhibitor(b, hall.expo_id)) for b in booths],
    )
