"""The agenda in the console: sessions typed in the expo's own zone, speakers, the log."""

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from gelar.audit.models import AuditEntry
from gelar.console.tests.test_expo_access import make_team, snapshot
from gelar.events.models import AgendaSession, Expo

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def team():
    return make_team()


@pytest.fixture
def staff_client(client, team):
    client.force_login(team.staff)
    return client


def test_a_session_is_typed_in_the_expos_zone(staff_client, team):
    # The expo is in Banjarmasin's zone, WITA: UTC+8.
    Expo.objects.filter(pk=team.expo.pk).update(time_zone="Asia/Makassar")
    response = staff_client.post(
        reverse("console:agenda", args=[team.expo.slug]),
        {
            "title": "Talkshow Kopi Nusantara",
            "description": "Dari kebun ke cangkir.",
            "starts_at": "2021-11-24T09:00",
            "ends_at": "2021-11-24T10:30",
            "speakers": "Dewi Lestari | Ketua Dekranasda\n\nBudi Santoso\n",
            "stream_url": "",
        },
    )
    assert response.status_code == 302
    session = AgendaSession.objects.get(title="Talkshow Kopi Nusantara")
    assert session.starts_at == datetime.datetime(2021, 11, 24, 1, 0, tzinfo=UTC)
    assert session.ends_at == datetime.datetime(2021, 11, 24, 2, 30, tzinfo=UTC)
    assert [(s.name, s.role, s.position) for s in session.speakers.all()] == [
        ("Dewi Lestari", "Ketua Dekranasda", 0),
        ("Budi Santoso", "", 1),
    ]
    entry = AuditEntry.objects.get(action="agenda.create")
    assert entry.actor == team.staff
    assert entry.changes["starts_at"] == [None, "2021-11-24 01:00:00+00:00"]
    assert entry.changes["speakers"] == [None, ["Dewi Lestari | Ketua Dekranasda", "Budi Santoso"]]

    # The edit form shows the times back in WITA.
    page = staff_client.get(
        reverse("console:session_edit", args=[team.expo.slug, session.pk])
    ).content.decode()
    assert 'value="2021-11-24T09:00"' in page
    assert 'value="2021-11-24T10:30"' in page
    assert "Dewi Lestari | Ketua Dekranasda\nBudi Santoso" in page


def test_a_session_that_ends_before_it_starts_is_an_error_and_nothing_is_saved(staff_client, team):
    before = snapshot()
    response = staff_client.post(
        reverse("console:agenda", args=[team.expo.slug]),
        {"title": "Terbalik", "starts_at": "2021-11-24T10:00", "ends_at": "2021-11-24T09:00"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"] == [
        _("The session must end after it starts.")
    ]
    assert snapshot() == before
    assert 'value="Terbalik"' in response.content.decode()


def test_a_speaker_line_without_a_name_is_an_error(staff_client, team):
    before = snapshot()
    response = staff_client.post(
        reverse("console:agenda", args=[team.expo.slug]),
        {
            "title": "Sesi",
            "starts_at": "2021-11-24T10:00",
            "ends_at": "2021-11-24T11:00",
            "speakers": "Rina Kusuma | Wali Kota\n | Moderator",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["speakers"] == [
        _("Line %(line)s: write the speaker's name before the |.") % {"line": 2}
    ]
    assert snapshot() == before


def test_editing_a_session_records_what_changed(staff_client, team):
    session = team.world.opening  # 24 Nov 09:00-10:00 WIB
    response = staff_client.post(
        reverse("console:session_edit", args=[team.expo.slug, session.pk]),
        {
            "title": session.title,
            "description": "",
            "starts_at": "2021-11-24T09:00",
            "ends_at": "2021-11-24T10:15",
            "speakers": "Rina Kusuma | Wali Kota Pekalongan",
            "stream_url": "https://www.youtube.com/live/aqz-KE-bpKQ",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.ends_at == datetime.datetime(2021, 11, 24, 3, 15, tzinfo=UTC)
    assert [s.name for s in session.speakers.all()] == ["Rina Kusuma"]
    entry = AuditEntry.objects.get(action="agenda.update")
    assert entry.changes == {
        "ends_at": ["2021-11-24 03:00:00+00:00", "2021-11-24 03:15:00+00:00"],
        "stream_url": ["", "https://www.youtube.com/live/aqz-KE-bpKQ"],
        "speakers": [
            ["Rina Kusuma | Wali Kota Pekalongan", "Dewi Lestari | Ketua Dekranasda"],
            ["Rina Kusuma | Wali Kota Pekalongan"],
        ],
    }


def test_a_session_stream_that_cannot_be_played_is_an_error(staff_client, team):
    session = team.world.opening
    before = snapshot()
    response = staff_client.post(
        reverse("console:session_edit", args=[team.expo.slug, session.pk]),
        {
            "title": session.title,
            "starts_at": "2021-11-24T09:00",
            "ends_at": "2021-11-24T10:00",
            "stream_url": "https://vimeo.com/123",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["stream_url"] == [
        _("Use a YouTube video or live link, or an HLS address ending in .m3u8.")
    ]
    assert snapshot() == before


def test_deleting_a_session_asks_first_then_deletes_and_logs(staff_client, team):
    session = team.world.opening
    url = reverse("console:session_delete", args=[team.expo.slug, session.pk])
    before = snapshot()
    assert staff_client.get(url).status_code == 200
    assert snapshot() == before
    response = staff_client.post(url)
    assert response["Location"] == reverse("console:agenda", args=[team.expo.slug])
    assert not AgendaSession.objects.filter(pk=session.pk).exists()
    entry = AuditEntry.objects.get(action="agenda.delete")
    assert entry.object_id == str(session.pk)
    assert entry.changes["title"] == ["Pembukaan Pekalongan Hybrid Expo", None]


def test_a_session_of_another_expo_is_404(staff_client, team):
    other = AgendaSession.objects.create(
        expo=team.other_expo,
        title="Sesi Batang",
        starts_at=datetime.datetime(2021, 11, 24, 2, tzinfo=UTC),
        ends_at=datetime.datetime(2021, 11, 24, 3, tzinfo=UTC),
    )
    before = snapshot()
    for name in ("console:session_edit", "console:session_delete"):
        url = reverse(name, args=[team.expo.slug, other.pk])
        assert staff_client.get(url).status_code == 404
        assert staff_client.post(url, {"title": "x"}).status_code == 404
    assert snapshot() == before
