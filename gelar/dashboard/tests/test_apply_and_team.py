import datetime

from django.core import mail
from django.urls import reverse

from gelar.audit.models import AuditEntry
from gelar.dashboard.tests.conftest import db_state
from gelar.events.models import Expo
from gelar.exhibitors.models import ExhibitorInvite, ExhibitorMember, Participation
from gelar.testing import make_expo, make_participation, make_user


def test_apply_lists_open_expos_and_applies(client, team):
    upcoming = make_expo(
        name="Gelar UMKM 2022",
        slug="gelar-2022",
        start_date=datetime.date(2022, 8, 1),
        end_date=datetime.date(2022, 8, 3),
    )
    make_expo(name="Draft", slug="draft-expo", status=Expo.Status.DRAFT)
    make_expo(name="Closed", slug="closed-expo", status=Expo.Status.CLOSED)
    accepted_in = make_expo(name="Sudah Diterima", slug="diterima")
    make_participation(expo=accepted_in, exhibitor=team.business)
    client.force_login(team.staff)
    url = reverse("dashboard:apply", args=[team.business.slug])
    rows = client.get(url).context["rows"]
    assert [row["expo"].slug for row in rows] == ["phe-2021", "gelar-2022"]
    assert [row["can_apply"] for row in rows] == [False, True]  # phe-2021: applied already
    response = client.post(url, {"expo": upcoming.pk, "mode": "venue", "note": "Butuh listrik"})
    assert response.status_code == 302
    participation = Participation.objects.get(expo=upcoming, exhibitor=team.business)
    assert (participation.status, participation.mode, participation.note) == (
        "applied",
        "venue",
        "Butuh listrik",
    )
    assert AuditEntry.objects.filter(action="participation.apply").count() == 1


def test_apply_without_nib_shows_the_services_message_and_keeps_the_note(client, team):
    team.business.nib = ""
    team.business.save()
    upcoming = make_expo(name="Gelar UMKM 2022", slug="gelar-2022")
    client.force_login(team.owner)
    url = reverse("dashboard:apply", args=[team.business.slug])
    before = db_state()
    response = client.post(url, {"expo": upcoming.pk, "mode": "online", "note": "Catatan saya"})
    assert response.status_code == 200
    row = next(row for row in response.context["rows"] if row["expo"] == upcoming)
    assert len(row["form"].non_field_errors()) == 1
    assert row["form"]["note"].value() == "Catatan saya"
    assert "Catatan saya" in response.content.decode()
    assert db_state() == before


def test_apply_to_an_expo_not_open_is_404(client, team):
    draft = make_expo(name="Draft", slug="draft-expo", status=Expo.Status.DRAFT)
    client.force_login(team.owner)
    url = reverse("dashboard:apply", args=[team.business.slug])
    before = db_state()
    assert client.post(url, {"expo": draft.pk, "mode": "online"}).status_code == 404
    assert db_state() == before


def test_withdraw_an_application(client, team):
    client.force_login(team.staff)
    url = reverse("dashboard:withdraw", args=[team.business.slug, team.participation.pk])
    first = client.post(url, follow=True)
    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    assert Participation.objects.get(pk=team.participation.pk).status == "withdrawn"
    # Twice: the service says no, shown as a message, nothing breaks.
    again = client.post(url, follow=True)
    assert again.status_code == 200
    assert [m.level_tag for m in again.context["messages"]] == ["error"]


def test_owner_invites_by_email_and_the_invitee_joins_as_staff(
    client, team, django_capture_on_commit_callbacks
):
    client.force_login(team.owner)
    url = reverse("dashboard:team", args=[team.business.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "rina@example.com", "phone": ""})
    assert response.status_code == 302
    invite = ExhibitorInvite.objects.get(email="rina@example.com")
    link = reverse("dashboard:invite_accept", args=[invite.token])
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    page = client.get(url).content.decode()
    assert "https://wa.me/?text=" in page
    rina = make_user(email="rina@example.com")
    client.force_login(rina)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response["Location"] == reverse("dashboard:exhibitor", args=[team.business.slug])
    assert ExhibitorMember.objects.get(exhibitor=team.business, user=rina).role == "staff"
    # Used once: a second person cannot reuse the link.
    other = make_user(email="other@example.com")
    client.force_login(other)
    assert client.get(link).status_code == 410
    assert client.post(link).status_code == 410
    assert not ExhibitorMember.objects.filter(user=other).exists()


def test_invite_by_phone_gives_a_whatsapp_link_to_that_number(client, team):
    client.force_login(team.owner)
    url = reverse("dashboard:team", args=[team.business.slug])
    assert client.post(url, {"email": "", "phone": "0857-1234-5678"}).status_code == 302
    invite = ExhibitorInvite.objects.get(phone="6285712345678")
    assert "https://wa.me/6285712345678?text=" in client.get(url).content.decode()
    assert invite.created_by == team.owner


def test_invite_with_invalid_phone_or_nothing_is_a_form_error(client, team):
    client.force_login(team.owner)
    url = reverse("dashboard:team", args=[team.business.slug])
    before = db_state()
    response = client.post(url, {"email": "", "phone": "12345"})
    assert [e.code for e in response.context["form"].errors.as_data()["phone"]] == [
        "invalid_whatsapp"
    ]
    assert 'value="12345"' in response.content.decode()
    response = client.post(url, {"email": "", "phone": ""})
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == [
        "invite_empty"
    ]
    response = client.post(url, {"email": "budi@example.com", "phone": ""})  # already staff
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == [
        "invite_member"
    ]
    assert db_state() == before


def test_unknown_invite_token_is_404(client, team):
    client.force_login(team.outsider)
    before = db_state()
    url = reverse("dashboard:invite_accept", args=["no-such-token"])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert db_state() == before


def test_owner_removes_staff_but_not_themselves_and_revokes_invites(client, team):
    client.force_login(team.owner)
    owner_member = ExhibitorMember.objects.get(exhibitor=team.business, role="owner")
    remove_owner = reverse("dashboard:team_remove", args=[team.business.slug, owner_member.pk])
    client.post(remove_owner)
    assert ExhibitorMember.objects.filter(pk=owner_member.pk).exists()
    remove = reverse("dashboard:team_remove", args=[team.business.slug, team.staff_member.pk])
    assert client.post(remove).status_code == 302
    assert not ExhibitorMember.objects.filter(pk=team.staff_member.pk).exists()
    revoke = reverse("dashboard:invite_revoke", args=[team.business.slug, team.invite.pk])
    assert client.post(revoke).status_code == 302
    assert not ExhibitorInvite.objects.filter(pk=team.invite.pk).exists()
    assert list(
        AuditEntry.objects.filter(exhibitor=team.business)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["team.remove", "team.invite_revoke"]
    # The removed teammate no longer reaches the business.
    client.force_login(team.staff)
    assert client.get(reverse("dashboard:exhibitor", args=[team.business.slug])).status_code == 404
