"""The organizer's audit log: newest first, filtered by action, only its own entries."""

import pytest
from django.urls import reverse

from gelar.audit.models import AuditEntry
from gelar.console.tests.intake_world import (
    build_intake,
    snapshot,
)
from gelar.exhibitors.models import Participation
from gelar.exhibitors.services import participation as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = build_intake()
    services.participation_accept(participation=world.applicant, actor=world.staff)
    services.booth_assign(participation=world.waiting, booth=world.free_booth, actor=world.admin)
    # Another organizer's change must not show.
    other = world.other
    services.participation_refuse(
        participation=Participation.objects.get(expo=other.expo, exhibitor=other.applicant),
        reason="Bukan urusan kita",
        actor=None,
    )
    return world


def _url(w, **params) -> str:
    url = reverse("console:audit", args=[w.expo.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_the_log_shows_the_organizers_changes_newest_first(client, w, who):
    client.force_login(getattr(w, who))

    response = client.get(_url(w))

    assert response.status_code == 200
    entries = response.context["page"].object_list
    assert [(e.action, e.actor) for e in entries] == [
        ("booth.assign", w.admin),
        ("participation.accept", w.staff),
    ]
    assert entries[0].change_rows == [("booth", None, "A-99", True)]
    html = response.content.decode()
    assert "Bukan urusan kita" not in html
    assert "Ani Admin" in html
    assert "booth: — → A-99" in html


def test_filter_by_action(client, w):
    client.force_login(w.staff)

    response = client.get(_url(w, action="participation.accept"))

    assert [e.action for e in response.context["page"].object_list] == ["participation.accept"]
    # An action that is not in the log is ignored, not a 500.
    response = client.get(_url(w, action="drop-table"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2


def test_free_form_details_are_shown_as_they_are(client, w):
    AuditEntry.objects.create(
        action="expo.publish",
        object_type="events.expo",
        object_id=str(w.expo.pk),
        object_repr=str(w.expo),
        changes={"note": "dibuka untuk pendaftaran", "count": 3},
        organizer=w.expo.organizer,
    )
    client.force_login(w.staff)

    entry = client.get(_url(w)).context["page"].object_list[0]

    assert entry.change_rows == [
        ("note", None, "dibuka untuk pendaftaran", False),
        ("count", None, 3, False),
    ]


def test_pagination(client, w):
    for i in range(55):
        AuditEntry.objects.create(
            action="product.price",
            object_type="catalog.product",
            object_id=str(i),
            object_repr=f"Produk {i}",
            changes={"price": [1000, 2000]},
            organizer=w.expo.organizer,
        )
    client.force_login(w.staff)

    assert len(client.get(_url(w)).context["page"].object_list) == 50
    assert len(client.get(_url(w, page=2)).context["page"].object_list) == 7


def test_outsider_gets_404(client, w):
    client.force_login(w.outsider)
    before = snapshot(w.expo)

    assert client.get(_url(w)).status_code == 404
    assert snapshot(w.expo) == before
