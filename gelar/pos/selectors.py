"""Reads of the booth's point of sale: who may use which till, and the days it sold on.

A till belongs to a business (exhibitor) in one expo where it has an accepted venue
booth. Every page and endpoint of the POS finds its booth through pos_booth: someone
outside the team, or a business without a venue booth there, gets DoesNotExist (a 404).
"""

import datetime

from django.db.models import QuerySet
from django.db.models.functions import TruncDate

from gelar.events.models import Expo
from gelar.exhibitors.access import TEAM_ROLES, exhibitor_for_member
from gelar.exhibitors.models import Exhibitor, Participation
from gelar.pos.models import PosSale


def pos_expos_of(*, exhibitor: Exhibitor) -> QuerySet[Expo]:
    """The expos where the business sells at a booth (accepted, at the venue), newest first."""
    return (
        Expo.objects.filter(
            participations__exhibitor=exhibitor,
            participations__status=Participation.Status.ACCEPTED,
            participations__mode=Participation.Mode.VENUE,
        )
        .exclude(status=Expo.Status.DRAFT)
        .distinct()
        .order_by("-start_date", "-pk")
    )


def pos_booth(
    *, user, exhibitor_slug: str, expo_slug: str, roles=TEAM_ROLES
) -> tuple[Exhibitor, Expo]:
    """(business, expo) if the user is in the team and the business has a venue booth in
    the expo; raises Exhibitor.DoesNotExist or Expo.DoesNotExist otherwise."""
    exhibitor = exhibitor_for_member(user=user, exhibitor_slug=exhibitor_slug, roles=roles)
    expo = pos_expos_of(exhibitor=exhibitor).select_related("organizer").get(slug=expo_slug)
    return exhibitor, expo


def sale_dates(*, exhibitor: Exhibitor, expo: Expo) -> set[datetime.date]:
    """The days, in the expo's zone, on which the booth's till recorded a sale: one row
    a day from the database, not one a sale."""
    days = (
        PosSale.objects.filter(exhibitor=exhibitor, expo=expo)
        .annotate(day=TruncDate("sold_at", tzinfo=expo.tzinfo))
        .values_list("day", flat=True)
        .distinct()
    )
    return set(days)
