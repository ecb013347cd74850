"""The booths page: floor plan, assignment within the quota, release; who may act."""

import pytest
from django.urls import reverse

from gelar.console.tests.intake_world import (
    build_intake,
    snapshot,
    t,
)
from gelar.events.models import OrganizerMember
from gelar.exhibitors.models import Participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_intake(quota=2)


def _url(w) -> str:
    return reverse("console:booths", args=[w.expo.slug])


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_the_booths_page_shows_plan_quota_and_who_waits(client, w, who):
    client.force_login(getattr(w, who))

    response = client.get(_url(w))

    assert response.status_code == 200
    assert (response.context["held"], response.context["quota"]) == (1, 2)
    assert [p.exhibitor.name for p in response.context["without_booth"]] == ["Kopi Owa Menunggu"]
    assert [p.exhibitor.name for p in response.context["with_booth"]] == ["Batik Sekar Jagad"]
    html = response.content.decode()
    assert "<svg" in html
    assert ">A-99 · Hall Utama</option>" in html
    assert "A-01 · Hall Utama (" in html


def test_assign_a_free_booth(client, w):
    client.force_login(w.staff)

    response = client.post(
        _url(w),
        {"form": "assign", "participation": w.waiting.pk, "booth": w.free_booth.pk},
        follow=True,
    )

    assert Participation.objects.get(pk=w.waiting.pk).booth == w.free_booth
    assert _messages(response) == [
        t(
            "Booth %(code)s is assigned to %(name)s.",
            code="A-99",
            name="Kopi Owa Menunggu",
        )
    ]
    assert response.context["held"] == 2


def test_quota_full_is_a_message_and_changes_nothing(client, w):
    w.expo.venue_booth_quota = 1
    w.expo.save()
    client.force_login(w.admin)
    before = snapshot(w.expo)

    response = client.post(
        _url(w),
        {"form": "assign", "participation": w.waiting.pk, "booth": w.free_booth.pk},
        follow=True,
    )

    assert _messages(response) == [
        t(
            "The venue quota is full: %(held)s of %(quota)s booths are assigned.",
            held=1,
            quota=1,
        )
    ]
    assert snapshot(w.expo) == before


def test_a_taken_booth_is_a_message(client, w):
    client.force_login(w.admin)
    before = snapshot(w.expo)
    taken = w.batik.booth

    response = client.post(
        _url(w), {"form": "assign", "participation": w.waiting.pk, "booth": taken.pk}, follow=True
    )

    assert _messages(response) == [t("Booth %(code)s is taken.", code="A-01")]
    assert snapshot(w.expo) == before


def test_a_booth_of_another_expo_is_a_form_error(client, w):
    client.force_login(w.admin)
    before = snapshot(w.expo)

    response = client.post(
        _url(w), {"form": "assign", "participation": w.waiting.pk, "booth": w.other_booth.pk}
    )

    assert response.status_code == 200
    assert response.context["assign_form"].errors == {
        "booth": [t("Choose a booth of this expo's floor plan.")]
    }
    assert snapshot(w.expo) == before


def test_an_online_or_waiting_exhibitor_cannot_get_a_booth(client, w):
    client.force_login(w.admin)
    before = snapshot(w.expo)

    for participation in (w.amplang, w.applicant):
        response = client.post(
            _url(w),
            {"form": "assign", "participation": participation.pk, "booth": w.free_booth.pk},
        )
        assert response.status_code == 200
        assert response.context["assign_form"].errors == {
            "participation": [t("Choose an accepted venue exhibitor of this expo.")]
        }

    assert snapshot(w.expo) == before


def test_release_a_booth(client, w):
    client.force_login(w.staff)

    response = client.post(_url(w), {"form": "release", "participation": w.batik.pk}, follow=True)

    assert Participation.objects.get(pk=w.batik.pk).booth_id is None
    assert response.context["held"] == 0


def test_outsider_gets_404_and_changes_nothing(client, w):
    client.force_login(w.outsider)
    before = snapshot(w.expo)

    assert client.get(_url(w)).status_code == 404
    assert (
        client.post(
            _url(w), {"form": "assign", "participation": w.waiting.pk, "booth": w.free_booth.pk}
        ).status_code
        == 404
    )
    assert client.post(_url(w), {"form": "release", "participation": w.batik.pk}).status_code == 404

    assert snapshot(w.expo) == before


def test_staff_of_the_other_expo_cannot_touch_this_one_through_their_own_page(client, w):
    """Posting this expo's participation to the other expo's page is a form error."""
    other_expo = w.other.expo
    OrganizerMember.objects.create(organizer=other_expo.organizer, user=w.outsider, role="staff")
    client.force_login(w.outsider)
    before = snapshot(w.expo)

    response = client.post(
        reverse("console:booths", args=[other_expo.slug]),
        {"form": "release", "participation": w.batik.pk},
        follow=True,
    )

    assert response.status_code == 200
    assert _messages(response) == [t("Choose an exhibitor of this expo.")]
    assert snapshot(w.expo) == before
