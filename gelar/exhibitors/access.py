"""Access to a business's data: every exhibitor dashboard query starts here.

Non-members get DoesNotExist (a 404 in the interface), never someone else's data.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from gelar.exhibitors.models import Exhibitor, ExhibitorMember

TEAM_ROLES = (ExhibitorMember.Role.OWNER, ExhibitorMember.Role.STAFF)
OWNER_ONLY = (ExhibitorMember.Role.OWNER,)


def exhibitors_of(*, user, roles: Iterable[str] = TEAM_ROLES) -> QuerySet[Exhibitor]:
    if not user.is_authenticated:
        return Exhibitor.objects.none()
    return Exhibitor.objects.filter(members__user=user, members__role__in=list(roles)).distinct()


def exhibitor_for_member(
    *, user, exhibitor_slug: str, roles: Iterable[str] = TEAM_ROLES
) -> Exhibitor:
    """The business if the user is in its team with one of the roles; raises DoesNotExist."""
    return (
        exhibitors_of(user=user, roles=roles)
        .select_related("category", "region__province")
        .get(slug=exhibitor_slug)
    )
