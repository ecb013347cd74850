"""Creating and editing an expo in the console, and moving it through its statuses."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from gelar.audit.models import AuditEntry
from gelar.console.tests.test_expo_access import expo_data, make_team, snapshot
from gelar.events import services
from gelar.events.models import Expo
from gelar.exhibitors.models import Participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


@pytest.fixture
def admin_client(client, team):
    client.force_login(team.admin)
    return client


NEW_EXPO = {
    "name": "Batik Expo Pekalongan 2022",
    "slug": "",
    "tagline": "Batik dari kota batik",
    "description": "",
    "start_date": "2022-10-01",
    "end_date": "2022-10-03",
    "time_zone": "Asia/Jakarta",
    "venue_name": "Gedung HA Djunaid",
    "venue_address": "Jl. Pemuda, Pekalongan",
    "venue_province": "33",
    "venue_region": "33.75",
    "planned_venue_percent": "40",
    "venue_booth_quota": "30",
    "stream_url": "https://youtu.be/aqz-KE-bpKQ",
}


def test_admin_creates_an_expo_as_a_draft_with_the_slug_from_the_name(admin_client, team):
    url = reverse("console:expo_create", args=[team.organizer.slug])
    response = admin_client.post(url, NEW_EXPO)
    expo = Expo.objects.get(slug="batik-expo-pekalongan-2022")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:expo_edit", args=[expo.slug])
    assert expo.organizer == team.organizer
    assert expo.status == "draft"
    assert (expo.start_date, expo.end_date) == (
        datetime.date(2022, 10, 1),
        datetime.date(2022, 10, 3),
    )
    assert expo.venue_region_id == "33.75"
    assert (expo.planned_venue_percent, expo.venue_booth_quota) == (40, 30)
    entry = AuditEntry.objects.get(action="expo.create")
    assert entry.actor == team.admin
    assert entry.organizer == team.organizer
    assert entry.changes["name"] == [None, "Batik Expo Pekalongan 2022"]
    assert entry.changes["venue_region"] == [None, "33.75"]


def _error_page(response, field: str) -> list[str]:
    assert response.status_code == 200
    return response.context["form"].errors[field]


def test_reversed_dates_are_an_error_next_to_the_end_date_and_nothing_is_saved(admin_client, team):
    url = reverse("console:expo_create", args=[team.organizer.slug])
    before = snapshot()
    response = admin_client.post(url, {**NEW_EXPO, "end_date": "2022-09-30"})
    assert _error_page(response, "end_date") == [_("The expo cannot end before it starts.")]
    assert snapshot() == before
    # What was typed is kept.
    assert 'value="Batik Expo Pekalongan 2022"' in response.content.decode()


# The expected messages go through gettext: exact now, and still when translated.
TAKEN_MSG = "Another expo already uses the address %(slug)s: choose another one."


def test_a_slug_taken_by_another_expo_is_an_error_and_nothing_is_saved(admin_client, team):
    TAKEN = _(TAKEN_MSG) % {"slug": "batang-expo-2021"}
    before = snapshot()
    # Even the slug of an expo of another organizer: slugs are the public addresses.
    response = admin_client.post(
        reverse("console:expo_edit", args=[team.expo.slug]),
        expo_data(team.expo, slug="batang-expo-2021"),
    )
    assert _error_page(response, "slug") == [TAKEN]
    assert snapshot() == before
    # An empty slug made from a taken name is refused the same way.
    response = admin_client.post(
        reverse("console:expo_create", args=[team.organizer.slug]),
        {**NEW_EXPO, "name": "Batang Expo 2021"},
    )
    assert _error_page(response, "slug") == [TAKEN]
    assert snapshot() == before


def test_a_stream_url_that_cannot_be_played_is_an_error(admin_client, team):
    before = snapshot()
    response = admin_client.post(
        reverse("console:expo_edit", args=[team.expo.slug]),
        expo_data(team.expo, stream_url="https://example.com/live"),
    )
    assert _error_page(response, "stream_url") == [
        _("Use a YouTube video or live link, or an HLS address ending in .m3u8.")
    ]
    assert snapshot() == before
    response = admin_client.post(
        reverse("console:expo_edit", args=[team.expo.slug]),
        expo_data(team.expo, stream_url="https://cdn.example.com/pekalongan/live.m3u8"),
    )
    assert response.status_code == 302
    assert Expo.objects.get(pk=team.expo.pk).stream_url == (
        "https://cdn.example.com/pekalongan/live.m3u8"
    )


def test_a_regency_of_another_province_is_refused(admin_client, team):
    before = snapshot()
    # 63.72 is Banjarbaru, in South Kalimantan (63), not in Central Java (33).
    response = admin_client.post(
        reverse("console:expo_edit", args=[team.expo.slug]),
        expo_data(team.expo, venue_province="33", venue_region="63.72"),
    )
    assert _error_page(response, "venue_region") == [
        # Django's own message, in Indonesian.
        "Masukkan pilihan yang valid. Pilihan tersebut bukan salah satu dari pilihan yang tersedia."
    ]
    assert snapshot() == before


def test_without_a_script_show_regencies_lists_the_provinces_regencies_and_saves_nothing(
    admin_client, team
):
    before = snapshot()
    response = admin_client.post(
        reverse("console:expo_create", args=[team.organizer.slug]),
        {**NEW_EXPO, "venue_province": "63", "venue_region": "", "_regions": "1"},
    )
    assert response.status_code == 200
    assert snapshot() == before
    form = response.context["form"]
    assert not form.is_bound
    regencies = list(form.fields["venue_region"].queryset.values_list("code", flat=True))
    assert "63.72" in regencies
    assert all(code.startswith("63.") for code in regencies)
    page = response.content.decode()
    assert 'value="Batik Expo Pekalongan 2022"' in page
    assert '<option value="63" selected>' in page


def test_editing_records_the_changed_fields_in_the_audit_log(admin_client, team):
    response = admin_client.post(
        reverse("console:expo_edit", args=[team.expo.slug]),
        expo_data(team.expo, slug="phe-2021", end_date="2021-11-26", venue_booth_quota="30"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("console:expo_edit", args=["phe-2021"])
    entry = AuditEntry.objects.get(action="expo.update")
    assert entry.changes == {
        "slug": ["pekalongan-2021", "phe-2021"],
        "end_date": ["2021-11-25", "2021-11-26"],
        "venue_booth_quota": [0, 30],
    }


def test_saving_without_a_change_records_nothing(admin_client, team):
    response = admin_client.post(
        reverse("console:expo_edit", args=[team.expo.slug]), expo_data(team.expo)
    )
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="expo.update").exists()


# --- Status ---


def _status(client, expo, status):
    return client.post(reverse("console:expo_status", args=[expo.slug, status]), follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_status_moves_draft_published_live_closed(admin_client, team):
    expo = team.expo
    Expo.objects.filter(pk=expo.pk).update(status="draft")
    for status, action in [
        ("published", "expo.publish"),
        ("live", "expo.go_live"),
        ("closed", "expo.close"),
    ]:
        response = _status(admin_client, expo, status)
        assert response.status_code == 200
        assert Expo.objects.get(pk=expo.pk).status == status
        entry = AuditEntry.objects.filter(action=action).get()
        assert entry.actor == team.admin
    assert list(AuditEntry.objects.order_by("pk").values_list("changes", flat=True)) == [
        {"status": ["draft", "published"]},
        {"status": ["published", "live"]},
        {"status": ["live", "closed"]},
    ]


def test_an_invalid_transition_is_refused_with_a_message(admin_client, team):
    expo = team.expo
    Expo.objects.filter(pk=expo.pk).update(status="closed")
    before = snapshot()
    response = _status(admin_client, expo, "live")
    assert _messages(response) == [
        _("An expo cannot go from %(old)s to %(new)s.") % {"old": "Selesai", "new": "Berlangsung"}
    ]
    assert snapshot() == before


def test_publishing_needs_the_venue_when_there_are_venue_booths(admin_client, team):
    expo = team.expo
    Expo.objects.filter(pk=expo.pk).update(status="draft", venue_booth_quota=30, venue_name="")
    before = snapshot()
    response = _status(admin_client, expo, "published")
    assert _messages(response) == [
        _("The expo has venue booths: set the venue's name and region before publishing.")
    ]
    assert snapshot() == before
    # The edit page says so before the button is pressed.
    page = admin_client.get(reverse("console:expo_edit", args=[expo.slug])).content.decode()
    assert (
        escape(_("The expo has venue booths: set the venue's name and region before publishing."))
        in page
    )


def test_back_to_draft_only_while_no_exhibitor_is_accepted(admin_client, team):
    expo = team.expo  # published, with two accepted exhibitors
    before = snapshot()
    response = _status(admin_client, expo, "draft")
    assert _messages(response) == [
        _(
            "The expo has accepted exhibitors: it stays public. "
            "Close it instead if it will not take place."
        )
    ]
    assert snapshot() == before
    Participation.objects.filter(expo=expo).update(status="applied")
    _status(admin_client, expo, "draft")
    assert Expo.objects.get(pk=expo.pk).status == "draft"
    assert AuditEntry.objects.get().action == "expo.unpublish"


def test_the_status_page_asks_before_it_acts(admin_client, team):
    url = reverse("console:expo_status", args=[team.expo.slug, "closed"])
    before = snapshot()
    response = admin_client.get(url)
    assert response.status_code == 200
    assert (
        escape(_("Close the expo? It cannot be reopened; its booths stay as a virtual mall."))
        in response.content.decode()
    )
    assert snapshot() == before
    assert (
        admin_client.get(reverse("console:expo_status", args=[team.expo.slug, "x"])).status_code
        == 404
    )


def test_status_transitions_table():
    assert services.status_targets(status="draft") == ["published"]
    assert services.status_targets(status="published") == ["draft", "live", "closed"]
    assert services.status_targets(status="live") == ["closed"]
    assert services.status_targets(status="closed") == []
