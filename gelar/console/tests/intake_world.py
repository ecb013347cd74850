"""Shared set-up of the console intake tests: an expo, its staff, an outsider, snapshots."""

from dataclasses import dataclass

from django.utils import translation

from gelar.audit.models import AuditEntry
from gelar.events.models import Booth, Expo, Hall, OrganizerMember
from gelar.exhibitors.models import Exhibitor, ExhibitorDocument, Participation
from gelar.testing import (
    ExpoWorld,
    build_expo,
    make_exhibitor,
    make_exhibitor_member,
    make_organizer,
    make_organizer_member,
    make_participation,
    make_product,
    make_user,
)

PASSWORD = "pw-12345678"


@dataclass
class IntakeWorld:
    world: ExpoWorld
    expo: Expo
    admin: object
    staff: object
    outsider: object
    applicant: Participation  # applied, NIB and documents
    batik: Participation  # accepted, venue, booth A-01
    amplang: Participation  # accepted, online
    waiting: Participation  # accepted, venue, no booth
    free_booth: Booth
    other_booth: Booth  # a booth of another expo
    owner: object  # the applicant's owner, with an email
    other: ExpoWorld  # another organizer's expo


def build_intake(*, quota: int = 2) -> IntakeWorld:
    world = build_expo(venue_booth_quota=quota)
    expo = world.expo
    admin = make_user(email="admin@dindakop.go.id", full_name="Ani Admin")
    staff = make_user(email="staf@dindakop.go.id", full_name="Budi Staf")
    outsider = make_user(email="orang@lain.go.id", full_name="Orang Lain")
    make_organizer_member(organizer=expo.organizer, user=admin, role=OrganizerMember.Role.ADMIN)
    make_organizer_member(organizer=expo.organizer, user=staff, role=OrganizerMember.Role.STAFF)
    make_organizer_member(
        organizer=make_organizer(slug="dinas-lain"), user=outsider, role=OrganizerMember.Role.ADMIN
    )

    applicant_exhibitor = world.applicant
    applicant_exhibitor.nib = "9120009876543"
    applicant_exhibitor.save()
    owner = make_user(email="pemilik@tenun.id", full_name="Sari Tenun")
    make_exhibitor_member(exhibitor=applicant_exhibitor, user=owner, role="owner")
    make_exhibitor_member(
        exhibitor=applicant_exhibitor, user=make_user(email="staf@tenun.id"), role="staff"
    )
    ExhibitorDocument.objects.create(
        exhibitor=applicant_exhibitor, kind="nib", number="9120009876543", file=""
    )
    waiting = make_participation(
        expo=expo,
        exhibitor=make_exhibitor(name="Kopi Owa Menunggu", nib="9120001112223"),
        mode="venue",
    )
    make_product(exhibitor=waiting.exhibitor, name="Kopi Owa 250 g", price=45000)
    other = build_expo(suffix="-lain", organizer=make_organizer(slug="dinas-lain-2"))
    return IntakeWorld(
        world=world,
        expo=expo,
        admin=admin,
        staff=staff,
        outsider=outsider,
        applicant=Participation.objects.get(expo=expo, exhibitor=applicant_exhibitor),
        batik=Participation.objects.get(expo=expo, exhibitor=world.batik),
        amplang=Participation.objects.get(expo=expo, exhibitor=world.amplang),
        waiting=waiting,
        free_booth=Booth.objects.get(hall=world.hall, code="A-99"),
        other_booth=Booth.objects.get(hall=Hall.objects.get(expo=other.expo), code="A-99"),
        owner=owner,
        other=other,
    )


def login(client, user) -> None:
    client.force_login(user)


def snapshot(expo: Expo) -> dict:
    """What an outsider must not change: every participation and the audit log."""
    return {
        "participations": list(
            Participation.objects.filter(expo=expo)
            .order_by("pk")
            .values_list("pk", "status", "mode", "booth_id", "decision_reason", "decided_at")
        ),
        "audit": AuditEntry.objects.count(),
        "exhibitors": Exhibitor.objects.count(),
    }


def t(message: str, **params) -> str:
    """The Indonesian text of a message, as the pages at bare URLs show it."""
    with translation.override("id"):
        text = translation.gettext(message)
    return text % params if params else text
