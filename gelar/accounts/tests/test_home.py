import pytest
from django.utils.translation import gettext as _

from gelar.accounts.services import account_create
from gelar.events.models import OrganizerMember
from gelar.exhibitors.models import ExhibitorMember
from gelar.testing import make_exhibitor, make_organizer

pytestmark = pytest.mark.django_db


def person(email: str):
    return account_create(full_name="Orang", email=email, password="batik-pekalongan-21")


def test_home_needs_a_login(client):
    response = client.get("/akun/beranda/")

    assert response.status_code == 302
    assert response["Location"] == "/akun/login/?next=/akun/beranda/"


@pytest.mark.parametrize("role", [OrganizerMember.Role.ADMIN, OrganizerMember.Role.STAFF])
def test_organizer_console_members_go_to_the_console(client, role):
    user = person("dinas@example.com")
    OrganizerMember.objects.create(organizer=make_organizer(), user=user, role=role)
    client.force_login(user)

    response = client.get("/akun/beranda/")

    assert response.status_code == 302
    # An admin then meets the TOTP check at /console/ itself.
    assert response["Location"] == "/console/"


@pytest.mark.parametrize("role", [ExhibitorMember.Role.OWNER, ExhibitorMember.Role.STAFF])
def test_exhibitor_team_members_go_to_the_dashboard(client, role):
    user = person("umkm@example.com")
    ExhibitorMember.objects.create(
        exhibitor=make_exhibitor(name="Batik Pesisir"), user=user, role=role
    )
    client.force_login(user)

    response = client.get("/en/akun/beranda/")

    assert response.status_code == 302
    assert response["Location"] == "/en/umkm/"


def test_a_new_person_is_asked_to_create_a_business_profile(client):
    client.force_login(person("baru@example.com"))

    response = client.get("/akun/beranda/")

    assert response.status_code == 200
    assert list(response.context["memberships"]) == []
    assert 'href="/umkm/"' in response.content.decode()
    assert _("Create your business profile") in response.content.decode()


def test_a_gate_officer_sees_the_role_on_the_start_page(client):
    user = person("gerbang@example.com")
    organizer = make_organizer(name="Dinas Perdagangan Kota Pekalongan")
    OrganizerMember.objects.create(organizer=organizer, user=user, role=OrganizerMember.Role.GATE)
    client.force_login(user)

    response = client.get("/en/akun/beranda/")

    assert response.status_code == 200
    assert "Gate officer — Dinas Perdagangan Kota Pekalongan" in response.content.decode()


def test_header_links_to_sign_in_or_to_the_account(client):
    assert 'href="/akun/login/"' in client.get("/").content.decode()

    client.force_login(person("baru@example.com"))

    assert 'href="/akun/beranda/"' in client.get("/").content.decode()
