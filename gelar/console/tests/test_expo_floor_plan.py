"""The floor plan editor: halls, booths, a generated grid, and the rules of a booth's place."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gelar.audit.models import AuditEntry
from gelar.console.tests.test_expo_access import make_team, snapshot
from gelar.events.models import Booth, Expo, Hall
from gelar.exhibitors.models import Participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    # build_expo's Hall Utama is 400 x 200 with A-01 at (20, 20) holding Batik Sekar
    # Jagad and an empty A-99 at (300, 100), both 30 x 30.
    return make_team()


@pytest.fixture
def admin_client(client, team):
    client.force_login(team.admin)
    return client


def booth_url(team, name="console:booth_create"):
    return reverse(name, args=[team.expo.slug, team.world.hall.pk])


def codes(hall) -> list[str]:
    return list(Booth.objects.filter(hall=hall).order_by("code").values_list("code", flat=True))


def test_the_floor_plan_page_draws_the_halls_and_counts_booths_against_the_quota(
    admin_client, team
):
    Expo.objects.filter(pk=team.expo.pk).update(venue_booth_quota=30)
    response = admin_client.get(reverse("console:floor_plan_edit", args=[team.expo.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox="10 10 330 130"' in page
    assert ">A-01</text>" in page
    assert (response.context["booths"], response.context["quota"]) == (2, 30)
    assert (
        ngettext("%(counter)s booth on the floor plan", "%(counter)s booths on the floor plan", 2)
        % {"counter": 2}
        in page
    )
    assert escape(_("Place at least as many booths as the quota.")) in page


def test_admin_adds_a_hall_and_it_is_logged(admin_client, team):
    response = admin_client.post(
        reverse("console:floor_plan_edit", args=[team.expo.slug]),
        {"name": "Hall Batik", "width": "600", "height": "300"},
    )
    hall = Hall.objects.get(name="Hall Batik")
    assert response["Location"] == reverse("console:hall_edit", args=[team.expo.slug, hall.pk])
    assert (hall.expo, hall.width, hall.height, hall.position) == (team.expo, 600, 300, 1)
    entry = AuditEntry.objects.get(action="hall.create")
    assert entry.changes == {
        "name": [None, "Hall Batik"],
        "width": [None, 600],
        "height": [None, 300],
    }


def test_admin_adds_a_booth(admin_client, team):
    response = admin_client.post(
        booth_url(team), {"code": "A-02", "x": "50", "y": "20", "width": "30", "height": "30"}
    )
    assert response.status_code == 302
    assert codes(team.world.hall) == ["A-01", "A-02", "A-99"]
    entry = AuditEntry.objects.get(action="booth.create")
    assert entry.actor == team.admin
    assert entry.changes["code"] == [None, "A-02"]


def _booth_errors(response) -> dict:
    assert response.status_code == 200
    return response.context["booth_form"].errors


def test_an_overlapping_booth_is_an_error_next_to_its_position_and_nothing_is_saved(
    admin_client, team
):
    before = snapshot()
    response = admin_client.post(
        booth_url(team), {"code": "A-02", "x": "40", "y": "30", "width": "30", "height": "30"}
    )
    assert _booth_errors(response) == {
        "x": [_("Booth %(code)s overlaps booth %(other)s.") % {"code": "A-02", "other": "A-01"}]
    }
    assert snapshot() == before
    assert 'value="A-02"' in response.content.decode()


def test_a_booth_outside_the_hall_is_an_error_and_nothing_is_saved(admin_client, team):
    before = snapshot()
    response = admin_client.post(
        booth_url(team), {"code": "A-02", "x": "390", "y": "20", "width": "30", "height": "30"}
    )
    assert _booth_errors(response) == {
        "x": [
            _("Booth %(code)s does not fit inside the hall (%(width)s × %(height)s).")
            % {"code": "A-02", "width": 400, "height": 200}
        ]
    }
    assert snapshot() == before


def test_a_code_taken_in_the_hall_is_an_error(admin_client, team):
    before = snapshot()
    response = admin_client.post(
        booth_url(team), {"code": "a-99", "x": "100", "y": "100", "width": "30", "height": "30"}
    )
    assert _booth_errors(response) == {
        "code": [_("The hall already has a booth %(code)s.") % {"code": "a-99"}]
    }
    assert snapshot() == before


def test_a_booth_of_zero_width_is_refused(admin_client, team):
    before = snapshot()
    response = admin_client.post(
        booth_url(team), {"code": "A-02", "x": "100", "y": "100", "width": "0", "height": "30"}
    )
    assert list(_booth_errors(response)) == ["width"]
    assert snapshot() == before


def test_a_booth_may_share_a_wall_and_move_within_its_own_place(admin_client, team):
    # Touching A-01's right wall (x = 50) is fine.
    admin_client.post(
        booth_url(team), {"code": "A-02", "x": "50", "y": "20", "width": "30", "height": "30"}
    )
    booth = Booth.objects.get(code="A-02")
    response = admin_client.post(
        reverse("console:booth_edit", args=[team.expo.slug, booth.pk]),
        {"code": "A-02", "x": "55", "y": "20", "width": "30", "height": "30"},
    )
    assert response.status_code == 302
    booth.refresh_from_db()
    assert booth.x == 55
    assert AuditEntry.objects.get(action="booth.update").changes == {"x": [50, 55]}


def test_moving_a_booth_onto_another_is_an_error(admin_client, team):
    before = snapshot()
    response = admin_client.post(
        reverse("console:booth_edit", args=[team.expo.slug, team.empty_booth.pk]),
        {"code": "A-99", "x": "25", "y": "25", "width": "30", "height": "30"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "x": [_("Booth %(code)s overlaps booth %(other)s.") % {"code": "A-99", "other": "A-01"}]
    }
    assert snapshot() == before


GRID = {
    "prefix": "A-",
    "rows": "3",
    "columns": "10",
    "first_number": "1",
    "x": "10",
    "y": "10",
    "booth_width": "30",
    "booth_height": "30",
    "aisle": "20",
    "block": "5",
}


def test_a_grid_makes_rows_of_numbered_booths_with_aisles(admin_client, team):
    hall = Hall.objects.create(expo=team.expo, name="Hall Batik", width=600, height=300)
    response = admin_client.post(
        reverse("console:booth_grid", args=[team.expo.slug, hall.pk]), GRID
    )
    assert response.status_code == 302
    assert codes(hall) == [f"A-{n:02d}" for n in range(1, 31)]
    place = {b.code: (b.x, b.y) for b in hall.booths.all()}
    assert place["A-01"] == (10, 10)
    assert place["A-05"] == (130, 10)
    # A cross aisle after every 5 booths, a row aisle between the rows.
    assert place["A-06"] == (180, 10)
    assert place["A-11"] == (10, 60)
    assert place["A-30"] == (300, 110)
    entry = AuditEntry.objects.get(action="booth.grid_create")
    assert entry.changes["codes"][1][:3] == ["A-01", "A-02", "A-03"]
    assert len(entry.changes["codes"][1]) == 30


def test_a_grid_over_an_existing_booth_creates_nothing(admin_client, team):
    before = snapshot()
    response = admin_client.post(booth_url(team, "console:booth_grid"), {**GRID, "prefix": "B-"})
    assert response.status_code == 200
    errors = response.context["grid_form"].non_field_errors()
    assert (
        _("Booth %(code)s overlaps booth %(other)s.") % {"code": "B-02", "other": "A-01"} in errors
    )
    assert snapshot() == before


def test_a_grid_too_wide_for_the_hall_creates_nothing(admin_client, team):
    hall = Hall.objects.create(expo=team.expo, name="Hall Kecil", width=200, height=300)
    before = snapshot()
    response = admin_client.post(
        reverse("console:booth_grid", args=[team.expo.slug, hall.pk]), GRID
    )
    assert response.status_code == 200
    assert (
        _("Booth %(code)s does not fit inside the hall (%(width)s × %(height)s).")
        % {"code": "A-06", "width": 200, "height": 300}
        in response.context["grid_form"].non_field_errors()
    )
    assert snapshot() == before


def test_deleting_a_booth_that_holds_an_exhibitor_is_refused(admin_client, team):
    held = Booth.objects.get(code="A-01")
    before = snapshot()
    response = admin_client.post(
        reverse("console:booth_delete", args=[team.expo.slug, held.pk]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        _("Booth %(code)s holds %(exhibitor)s: move the exhibitor first.")
        % {"code": "A-01", "exhibitor": "Batik Sekar Jagad"}
    ]
    assert snapshot() == before


def test_deleting_an_empty_booth_asks_first_and_is_logged(admin_client, team):
    url = reverse("console:booth_delete", args=[team.expo.slug, team.empty_booth.pk])
    before = snapshot()
    assert admin_client.get(url).status_code == 200
    assert snapshot() == before
    admin_client.post(url)
    assert codes(team.world.hall) == ["A-01"]
    assert AuditEntry.objects.get(action="booth.delete").changes["code"] == ["A-99", None]


def test_a_hall_cannot_shrink_past_its_booths(admin_client, team):
    before = snapshot()
    response = admin_client.post(
        reverse("console:hall_edit", args=[team.expo.slug, team.world.hall.pk]),
        {"name": "Hall Utama", "width": "320", "height": "200"},
    )
    assert response.status_code == 200
    assert response.context["hall_form"].non_field_errors() == [
        _("These booths would be outside the hall: %(codes)s.") % {"codes": "A-99"}
    ]
    assert snapshot() == before


def test_a_hall_with_an_exhibitor_cannot_be_deleted_an_empty_one_can(admin_client, team):
    hall = team.world.hall
    url = reverse("console:hall_delete", args=[team.expo.slug, hall.pk])
    before = snapshot()
    response = admin_client.post(url, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        _("The hall cannot be deleted: these booths hold exhibitors: %(codes)s.")
        % {"codes": "A-01"}
    ]
    assert snapshot() == before

    Participation.objects.filter(booth__hall=hall).update(status="withdrawn")
    response = admin_client.post(url)
    assert response["Location"] == reverse("console:floor_plan_edit", args=[team.expo.slug])
    assert not Hall.objects.filter(pk=hall.pk).exists()
    # The withdrawn participation lost its booth, not its row.
    assert Participation.objects.get(exhibitor=team.world.batik).booth is None
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "hall.delete",
        "booth.delete",
    ]
