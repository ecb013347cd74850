"""Fixtures of the dashboard's tests: one business with its owner and a staff
teammate, and an outsider who owns another business."""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product, ProductImage
from gelar.catalog.tests.files import jpeg_bytes
from gelar.events.models import Expo
from gelar.exhibitors.models import (
    Exhibitor,
    ExhibitorDocument,
    ExhibitorInvite,
    ExhibitorLink,
    ExhibitorMember,
    Participation,
)
from gelar.testing import (
    kuliner,
    make_exhibitor,
    make_exhibitor_member,
    make_expo,
    make_participation,
    make_product,
    make_user,
)


@dataclass
class Team:
    business: Exhibitor
    owner: object
    staff: object
    staff_member: ExhibitorMember
    outsider: object
    other_business: Exhibitor
    product: Product
    image: ProductImage
    document: ExhibitorDocument
    expo: Expo
    participation: Participation
    invite: ExhibitorInvite


def db_state() -> dict:
    """Every row the dashboard can change, to prove that an outsider changed nothing."""
    models = (
        Exhibitor,
        ExhibitorLink,
        ExhibitorDocument,
        ExhibitorMember,
        ExhibitorInvite,
        Participation,
        Product,
        ProductImage,
        AuditEntry,
    )
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


@pytest.fixture
def team(db) -> Team:
    business = make_exhibitor(
        name="Batik Sekar Jagad", slug="batik-sekar-jagad", nib="9120001234567"
    )
    owner = make_user(email="siti@example.com", full_name="Siti Rahmawati")
    staff = make_user(email="budi@example.com", full_name="Budi Santoso")
    outsider = make_user(email="joko@example.com", full_name="Joko Amplang")
    make_exhibitor_member(exhibitor=business, user=owner, role="owner")
    staff_member = make_exhibitor_member(exhibitor=business, user=staff, role="staff")
    other = make_exhibitor(name="Amplang Joko", slug="amplang-joko", category=kuliner())
    make_exhibitor_member(exhibitor=other, user=outsider, role="owner")
    product = make_product(
        exhibitor=business, name="Kemeja Batik", slug="kemeja-batik", sku="BTK-1", images=0
    )
    image = ProductImage(product=product, position=0)
    image.image.save("t.jpg", ContentFile(jpeg_bytes()), save=False)
    image.save()
    document = ExhibitorDocument(exhibitor=business, kind="nib", number="9120001234567")
    document.file.save("nib.pdf", ContentFile(b"%PDF-1.4\n% test\n"), save=False)
    document.save()
    expo = make_expo(name="Pekalongan Hybrid Expo 2021", slug="phe-2021")
    participation = make_participation(
        expo=expo, exhibitor=business, mode="online", status=Participation.Status.APPLIED
    )
    invite = ExhibitorInvite.objects.create(
        exhibitor=business, email="new@example.com", token="tok-" + "x" * 40, created_by=owner
    )
    return Team(
        business=business,
        owner=owner,
        staff=staff,
        staff_member=staff_member,
        outsider=outsider,
        other_business=other,
        product=product,
        image=image,
        document=document,
        expo=expo,
        participation=participation,
        invite=invite,
    )
