import pytest
from django.urls import reverse

from gelar.testing import build_expo


@pytest.mark.django_db
def test_admin_lists_every_domain_model(admin_client):
    world = build_expo(slug="admin-expo")
    for model in (
        "events/expo",
        "events/organizer",
        "events/agendasession",
        "events/booth",
        "exhibitors/exhibitor",
        "exhibitors/participation",
        "exhibitors/category",
        "catalog/product",
        "regions/regency",
        "regions/province",
    ):
        app, name = model.split("/")
        response = admin_client.get(reverse(f"admin:{app}_{name}_changelist"))
        assert response.status_code == 200, model
    change = admin_client.get(reverse("admin:events_expo_change", args=[world.expo.pk]))
    assert change.status_code == 200
    assert world.expo.name.encode() in change.content
