"""Categories: global, added and renamed by organizer admins."""

import pytest
from django.urls import reverse

from gelar.audit.models import AuditEntry
from gelar.console.tests.test_expo_access import make_team, snapshot
from gelar.exhibitors.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


@pytest.fixture
def admin_client(client, team):
    client.force_login(team.admin)
    return client


def test_admin_adds_a_category_with_a_slug_from_the_english_name(admin_client, team):
    url = reverse("console:categories", args=[team.organizer.slug])
    response = admin_client.post(
        url, {"name": "Kriya & Kerajinan", "name_en": "Crafts", "position": "5"}
    )
    assert response["Location"] == url
    category = Category.objects.get(name_en="Crafts")
    assert (category.slug, category.name, category.position) == ("crafts", "Kriya & Kerajinan", 5)
    entry = AuditEntry.objects.get(action="category.create")
    assert (entry.actor, entry.organizer) == (team.admin, team.organizer)
    # A second one of the same English name gets its own slug.
    admin_client.post(url, {"name": "Kriya Kayu", "name_en": "Crafts", "position": "6"})
    assert Category.objects.get(name="Kriya Kayu").slug == "crafts-2"


def test_admin_renames_a_category_and_its_slug_stays(admin_client, team):
    category = team.world.batik.category
    url = reverse("console:category_edit", args=[team.organizer.slug, category.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"name": "Batik", "name_en": "Batik", "position": str(category.position)}
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.slug, category.name, category.name_en) == ("batik-fashion", "Batik", "Batik")
    assert AuditEntry.objects.get(action="category.update").changes == {
        "name": ["Batik & Fesyen", "Batik"],
        "name_en": ["Batik & Fashion", "Batik"],
    }


def test_a_category_needs_both_names(admin_client, team):
    before = snapshot()
    response = admin_client.post(
        reverse("console:categories", args=[team.organizer.slug]),
        {"name": "Kriya", "name_en": "", "position": "0"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name_en"]
    assert snapshot() == before


def test_an_unknown_category_is_404(admin_client, team):
    url = reverse("console:category_edit", args=[team.organizer.slug, 999999])
    assert admin_client.get(url).status_code == 404
