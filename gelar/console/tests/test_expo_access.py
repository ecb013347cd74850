"""Who may open the console's expo pages: an admin and a staff member of the organizer may;
an admin of another organizer gets 404 on every URL, GET and POST, and changes nothing."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from gelar.audit.models import AuditEntry
from gelar.events.models import AgendaSession, Booth, Expo, Hall, Organizer, Speaker
from gelar.exhibitors.models import Category
from gelar.testing import (
    ExpoWorld,
    build_expo,
    make_expo,
    make_organizer,
    make_organizer_member,
    make_user,
)

pytestmark = pytest.mark.django_db


@dataclass
class Team:
    world: ExpoWorld
    organizer: Organizer
    admin: object
    staff: object
    outsider: object
    other_expo: Expo

    @property
    def expo(self) -> Expo:
        return self.world.expo

    @property
    def empty_booth(self) -> Booth:
        return self.world.hall.booths.get(code="A-99")


def make_team() -> Team:
    """The Pekalongan expo with its organizer's admin and staff member, and the admin of
    another organizer (Batang) with an expo of its own."""
    world = build_expo(slug="pekalongan-2021")
    organizer = world.expo.organizer
    admin = make_user(email="admin@dindakop.example", full_name="Ayu Admin")
    make_organizer_member(organizer=organizer, user=admin, role="admin")
    staff = make_user(email="staf@dindakop.example", full_name="Sari Staf")
    make_organizer_member(organizer=organizer, user=staff, role="staff")
    other = make_organizer(name="Disperindag Kabupaten Batang", slug="disperindag-batang")
    outsider = make_user(email="admin@batang.example", full_name="Bima Batang")
    make_organizer_member(organizer=other, user=outsider, role="admin")
    other_expo = make_expo(organizer=other, name="Batang Expo 2021", slug="batang-expo-2021")
    return Team(
        world=world,
        organizer=organizer,
        admin=admin,
        staff=staff,
        outsider=outsider,
        other_expo=other_expo,
    )


@pytest.fixture
def team() -> Team:
    return make_team()


def snapshot() -> dict:
    """Every row the console's expo side can change, and the audit log's length."""
    return {
        "expos": list(Expo.objects.order_by("pk").values()),
        "sessions": list(AgendaSession.objects.order_by("pk").values()),
        "speakers": list(Speaker.objects.order_by("pk").values()),
        "halls": list(Hall.objects.order_by("pk").values()),
        "booths": list(Booth.objects.order_by("pk").values()),
        "categories": list(Category.objects.order_by("pk").values()),
        "audit": AuditEntry.objects.count(),
    }


def expo_data(expo: Expo, **changes) -> dict:
    data = {
        "name": expo.name,
        "slug": expo.slug,
        "tagline": expo.tagline,
        "description": expo.description,
        "start_date": expo.start_date.isoformat(),
        "end_date": expo.end_date.isoformat(),
        "time_zone": expo.time_zone,
        "venue_name": expo.venue_name,
        "venue_address": expo.venue_address,
        "venue_province": expo.venue_region.province_id if expo.venue_region_id else "",
        "venue_region": expo.venue_region_id or "",
        "planned_venue_percent": expo.planned_venue_percent,
        "venue_booth_quota": expo.venue_booth_quota,
        "stream_url": expo.stream_url,
    }
    data.update(changes)
    return data


def requests_of(team: Team) -> list[tuple[str, dict]]:
    """Every URL of the expo side with the POST data that would change something."""
    expo, hall, session = team.expo, team.world.hall, team.world.opening
    booth = team.empty_booth
    slug, org = expo.slug, team.organizer.slug
    category = team.world.batik.category
    return [
        (reverse("console:expo_create", args=[org]), expo_data(expo, slug="baru", name="Baru")),
        (reverse("console:expo_edit", args=[slug]), expo_data(expo, name="Diretas")),
        (reverse("console:expo_status", args=[slug, "closed"]), {}),
        (reverse("console:expo_status", args=[slug, "live"]), {}),
        (reverse("console:expo_status", args=[slug, "draft"]), {}),
        (
            reverse("console:agenda", args=[slug]),
            {"title": "Sesi", "starts_at": "2021-11-24T13:00", "ends_at": "2021-11-24T14:00"},
        ),
        (
            reverse("console:session_edit", args=[slug, session.pk]),
            {"title": "Diretas", "starts_at": "2021-11-24T13:00", "ends_at": "2021-11-24T14:00"},
        ),
        (reverse("console:session_delete", args=[slug, session.pk]), {}),
        (
            reverse("console:floor_plan_edit", args=[slug]),
            {"name": "Hall B", "width": 100, "height": 100},
        ),
        (
            reverse("console:hall_edit", args=[slug, hall.pk]),
            {"name": "Diretas", "width": 500, "height": 300},
        ),
        (reverse("console:hall_delete", args=[slug, hall.pk]), {}),
        (
            reverse("console:booth_create", args=[slug, hall.pk]),
            {"code": "Z-01", "x": 100, "y": 150, "width": 20, "height": 20},
        ),
        (
            reverse("console:booth_grid", args=[slug, hall.pk]),
            {
                "prefix": "G-",
                "rows": 1,
                "columns": 2,
                "first_number": 1,
                "x": 100,
                "y": 150,
                "booth_width": 20,
                "booth_height": 20,
                "aisle": 0,
                "block": 0,
            },
        ),
        (
            reverse("console:booth_edit", args=[slug, booth.pk]),
            {"code": "A-98", "x": 300, "y": 100, "width": 30, "height": 30},
        ),
        (reverse("console:booth_delete", args=[slug, booth.pk]), {}),
        (reverse("console:categories", args=[org]), {"name": "Kriya", "name_en": "Crafts"}),
        (
            reverse("console:category_edit", args=[org, category.pk]),
            {"name": "Diretas", "name_en": "Hacked", "position": 0},
        ),
    ]


def test_the_outsider_gets_404_on_every_url_and_changes_nothing(client, team):
    client.force_login(team.outsider)
    before = snapshot()
    for url, data in requests_of(team):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert snapshot() == before


def test_an_anonymous_visitor_is_sent_to_sign_in_and_changes_nothing(client, team):
    before = snapshot()
    for url, data in [(reverse("console:home"), {}), *requests_of(team)]:
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    assert snapshot() == before


def test_the_admin_and_the_staff_member_open_every_page(client, team):
    for user in (team.admin, team.staff):
        client.force_login(user)
        for url, _data in requests_of(team):
            if "categories" in url:
                continue
            response = client.get(url, follow=True)
            assert response.status_code == 200, (user, url)


def test_categories_are_for_admins_only(client, team):
    url = reverse("console:categories", args=[team.organizer.slug])
    before = snapshot()
    client.force_login(team.staff)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Kriya", "name_en": "Crafts"}).status_code == 404
    assert snapshot() == before
    client.force_login(team.admin)
    assert client.get(url).status_code == 200


def test_the_staff_member_edits_the_expo_as_the_teammate_of_the_admin(client, team):
    client.force_login(team.staff)
    url = reverse("console:expo_edit", args=[team.expo.slug])
    response = client.post(url, expo_data(team.expo, tagline="Batik naik kelas"))
    assert response.status_code == 302
    assert Expo.objects.get(pk=team.expo.pk).tagline == "Batik naik kelas"
    entry = AuditEntry.objects.get(action="expo.update")
    assert entry.actor == team.staff
    assert entry.changes == {"tagline": ["UMKM Pekalongan naik kelas", "Batik naik kelas"]}


def test_home_lists_only_the_users_organizers_and_expos(client, team):
    client.force_login(team.outsider)
    page = client.get(reverse("console:home")).content.decode()
    assert "Batang Expo 2021" in page
    assert "Pekalongan Hybrid Expo 2021" not in page

    client.force_login(team.staff)
    response = client.get(reverse("console:home"))
    page = response.content.decode()
    assert "Pekalongan Hybrid Expo 2021" in page
    assert "Batang Expo 2021" not in page
    [section] = response.context["sections"]
    assert section["organizer"] == team.organizer
    [expo] = section["expos"]
    # build_expo: one applicant, two accepted exhibitors.
    assert (expo.pending_count, expo.accepted_count) == (1, 2)
    assert reverse("console:expo_create", args=[team.organizer.slug]) in page
    # Categories are an admin's page.
    assert reverse("console:categories", args=[team.organizer.slug]) not in page


def test_a_hall_or_booth_of_another_expo_is_404_under_this_expo(client, team):
    other_hall = Hall.objects.create(expo=team.other_expo, name="Hall Batang")
    other_booth = Booth.objects.create(hall=other_hall, code="B-01", x=10, y=10)
    client.force_login(team.admin)
    before = snapshot()
    slug = team.expo.slug
    for url in (
        reverse("console:hall_edit", args=[slug, other_hall.pk]),
        reverse("console:hall_delete", args=[slug, other_hall.pk]),
        reverse("console:booth_edit", args=[slug, other_booth.pk]),
        reverse("console:booth_delete", args=[slug, other_booth.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert snapshot() == before
