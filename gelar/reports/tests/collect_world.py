"""The world of the visits, inquiries and Outcome tests: the Pekalongan expo of
gelar.testing (the batik shop at a venue booth, the amplang seller online, an
applicant), the batik shop's team (owner Siti, staff Budi), an outsider (Joko, who owns
the amplang seller) and a member of the organizer (Dewi, staff)."""

from dataclasses import dataclass

import pytest

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product
from gelar.events.models import OrganizerMember
from gelar.reports.models import BoothVisit, Inquiry, Outcome, Visit
from gelar.testing import (
    ExpoWorld,
    build_expo,
    make_exhibitor_member,
    make_organizer_member,
    make_user,
)


@dataclass
class World:
    expo_world: ExpoWorld
    owner: object
    staff: object
    outsider: object
    organizer_staff: object

    @property
    def expo(self):
        return self.expo_world.expo

    @property
    def batik(self):
        return self.expo_world.batik

    @property
    def amplang(self):
        return self.expo_world.amplang

    @property
    def applicant(self):
        return self.expo_world.applicant

    @property
    def shirt(self) -> Product:
        return self.expo_world.shirt


@pytest.fixture
def world(db) -> World:
    expo_world = build_expo()
    owner = make_user(email="siti@example.com", full_name="Siti Rahmawati")
    staff = make_user(email="budi@example.com", full_name="Budi Santoso")
    outsider = make_user(email="joko@example.com", full_name="Joko Amplang")
    organizer_staff = make_user(email="dewi@example.com", full_name="Dewi Lestari")
    make_exhibitor_member(exhibitor=expo_world.batik, user=owner, role="owner")
    make_exhibitor_member(exhibitor=expo_world.batik, user=staff, role="staff")
    make_exhibitor_member(exhibitor=expo_world.amplang, user=outsider, role="owner")
    make_organizer_member(
        organizer=expo_world.expo.organizer, user=organizer_staff, role=OrganizerMember.Role.STAFF
    )
    return World(
        expo_world=expo_world,
        owner=owner,
        staff=staff,
        outsider=outsider,
        organizer_staff=organizer_staff,
    )


def db_state() -> dict:
    """Every row these pages can change, to prove that an outsider changed nothing."""
    models = (Visit, BoothVisit, Inquiry, Outcome, AuditEntry, Product)
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}
