"""Access to an organizer's data: every console query starts here.

A person who is not a member with one of the roles gets DoesNotExist, the
same as for a thing that does not exist, so the console answers 404 and
leaks nothing about other organizers.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from gelar.events.models import Expo, Organizer, OrganizerMember

CONSOLE_ROLES = (OrganizerMember.Role.ADMIN, OrganizerMember.Role.STAFF)


def organizers_of(*, user, roles: Iterable[str] = CONSOLE_ROLES) -> QuerySet[Organizer]:
    if not user.is_authenticated:
        return Organizer.objects.none()
    return Organizer.objects.filter(members__user=user, members__role__in=list(roles)).distinct()


def organizer_for_member(
    *, user, organizer_slug: str, roles: Iterable[str] = CONSOLE_ROLES
) -> Organizer:
    """The organizer if the user has one of the roles in it; raises Organizer.DoesNotExist."""
    return organizers_of(user=user, roles=roles).get(slug=organizer_slug)


def expos_of(*, user, roles: Iterable[str] = CONSOLE_ROLES) -> QuerySet[Expo]:
    if not user.is_authenticated:
        return Expo.objects.none()
    return Expo.objects.filter(
        organizer__members__user=user, organizer__members__role__in=list(roles)
    ).distinct()


def expo_for_member(*, user, expo_slug: str, roles: Iterable[str] = CONSOLE_ROLES) -> Expo:
    """The expo if the user has one of the roles in its organizer; raises Expo.DoesNotExist."""
    return expos_of(user=user, roles=roles).select_related("organizer").get(slug=expo_slug)


def member_role(*, user, organizer: Organizer) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        OrganizerMember.objects.filter(user=user, organizer=organizer)
        .values_list("role", flat=True)
        .first()
    )
