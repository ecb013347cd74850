"""The console home: a live-stream host finds the live pages of the organizer's expos;
a gate officer and an outsider find nothing of the organizer's."""

import datetime

import pytest
from django.urls import reverse

from gelar.testing import build_expo, make_expo, make_organizer, make_organizer_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_expo(slug="pekalongan-2021")
    organizer = world.expo.organizer
    make_expo(
        organizer=organizer,
        name="Pekalongan Hybrid Expo 2027",
        slug="pekalongan-2027",
        start_date=datetime.date(2027, 5, 20),
        end_date=datetime.date(2027, 5, 22),
    )
    users = {}
    for role in ("admin", "staff", "host", "gate"):
        users[role] = make_user(email=f"{role}@dindakop.example", full_name=role.title())
        make_organizer_member(organizer=organizer, user=users[role], role=role)
    other = make_organizer(name="Disperindag Kabupaten Batang", slug="disperindag-batang")
    users["outsider"] = make_user(email="host@batang.example", full_name="Bima Batang")
    make_organizer_member(organizer=other, user=users["outsider"], role="host")
    make_expo(organizer=other, name="Batang Expo 2021", slug="batang-expo-2021")
    return world, users


def test_a_host_sees_the_live_link_of_every_expo_and_no_management_link(client, world):
    expo_world, users = world
    organizer = expo_world.expo.organizer
    client.force_login(users["host"])
    response = client.get(reverse("console:home"))
    assert response.status_code == 200
    page = response.content.decode()
    [section] = response.context["sections"]
    assert section["organizer"] == organizer
    assert section["role"] == "host"
    assert [e.slug for e in section["expos"]] == ["pekalongan-2027", "pekalongan-2021"]
    for slug in ("pekalongan-2021", "pekalongan-2027"):
        live_url = reverse("console:live_sessions", args=[slug])
        assert f'href="{live_url}"' in page
        # The link leads somewhere the host may go.
        assert client.get(live_url).status_code == 200
        assert f'href="{reverse("console:expo_edit", args=[slug])}"' not in page
    assert f'href="{reverse("console:expo_create", args=[organizer.slug])}"' not in page
    assert "Batang Expo 2021" not in page
    assert "Anda belum menjadi anggota" not in page


def test_admin_and_staff_keep_their_links_and_get_the_live_link_too(client, world):
    expo_world, users = world
    for role in ("admin", "staff"):
        client.force_login(users[role])
        page = client.get(reverse("console:home")).content.decode()
        assert reverse("console:expo_edit", args=["pekalongan-2021"]) in page
        assert reverse("console:expo_create", args=[expo_world.expo.organizer.slug]) in page
        assert reverse("console:live_sessions", args=["pekalongan-2021"]) in page


def test_a_gate_officer_and_an_outsider_get_no_link_to_the_organizers_expos(client, world):
    _expo_world, users = world
    client.force_login(users["gate"])
    response = client.get(reverse("console:home"))
    assert response.context["sections"] == []
    assert reverse("console:live_sessions", args=["pekalongan-2021"]) not in (
        response.content.decode()
    )

    client.force_login(users["outsider"])
    response = client.get(reverse("console:home"))
    page = response.content.decode()
    assert [s["organizer"].slug for s in response.context["sections"]] == ["disperindag-batang"]
    assert reverse("console:live_sessions", args=["batang-expo-2021"]) in page
    assert "pekalongan-2021" not in page
    assert client.get(reverse("console:live_sessions", args=["pekalongan-2021"])).status_code == 404
