"""The participation rules: applying, deciding, booths, mode changes, audit and emails."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from gelar.audit.models import AuditEntry
from gelar.events.models import Booth, Expo
from gelar.exhibitors import notifications
from gelar.exhibitors.models import Participation
from gelar.exhibitors.services import participation as services
from gelar.testing import (
    build_expo,
    make_exhibitor,
    make_exhibitor_member,
    make_organizer_member,
    make_participation,
    make_user,
)

pytestmark = pytest.mark.django_db

Status = Participation.Status


@pytest.fixture
def world():
    return build_expo(venue_booth_quota=2)


@pytest.fixture
def staff(world):
    user = make_user(email="staf@dindakop.go.id", full_name="Budi Staf")
    make_organizer_member(organizer=world.expo.organizer, user=user, role="staff")
    return user


@pytest.fixture
def owner(world):
    user = make_user(email="pemilik@tenun.id")
    make_exhibitor_member(exhibitor=world.applicant, user=user, role="owner")
    make_exhibitor_member(
        exhibitor=world.applicant, user=make_user(email="staf@tenun.id"), role="staff"
    )
    # A teammate signed up by phone has no email: nobody to write to.
    make_exhibitor_member(
        exhibitor=world.applicant,
        user=make_user(email="", username="hp-6281200000001", phone="6281200000001"),
        role="staff",
    )
    return user


def _participation(world, exhibitor) -> Participation:
    return Participation.objects.get(expo=world.expo, exhibitor=exhibitor)


def _audit(participation) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(
            object_type="exhibitors.participation", object_id=str(participation.pk)
        )
        .order_by("pk")
        .values_list("action", "changes", "organizer_id", "exhibitor_id")
    )


def _id(text: str, **params) -> str:
    with translation.override("id"):
        return translation.gettext(text) % params if params else translation.gettext(text)


# --- apply ---------------------------------------------------------------------------


def test_apply_creates_an_application_and_audits_it(world, owner):
    exhibitor = make_exhibitor(name="Kopi Owa", nib="9120001112223")

    participation = services.participation_apply(
        exhibitor=exhibitor,
        expo=world.expo,
        mode="venue",
        note="Mohon booth dekat pintu",
        actor=owner,
    )

    participation.refresh_from_db()
    assert (participation.status, participation.mode, participation.note) == (
        "applied",
        "venue",
        "Mohon booth dekat pintu",
    )
    assert _audit(participation) == [
        (
            "participation.apply",
            {"status": [None, "applied"], "mode": [None, "venue"]},
            world.expo.organizer_id,
            exhibitor.pk,
        )
    ]


@pytest.mark.parametrize("status", [Expo.Status.DRAFT, Expo.Status.CLOSED])
def test_apply_refuses_an_expo_not_open(world, owner, status):
    world.expo.status = status
    world.expo.save()
    exhibitor = make_exhibitor(name="Kopi Owa", nib="9120001112223")

    with pytest.raises(services.ExpoNotOpen):
        services.participation_apply(
            exhibitor=exhibitor, expo=world.expo, mode="online", actor=owner
        )

    assert not Participation.objects.filter(exhibitor=exhibitor).exists()


def test_apply_needs_a_nib(world, owner):
    exhibitor = make_exhibitor(name="Kopi Owa", nib="")

    with pytest.raises(services.NibMissing) as error:
        services.participation_apply(
            exhibitor=exhibitor, expo=world.expo, mode="online", actor=owner
        )

    assert "NIB" in error.value.message
    assert not Participation.objects.filter(exhibitor=exhibitor).exists()
    assert AuditEntry.objects.count() == 0


def test_apply_again_when_already_accepted_is_refused(world, owner):
    with pytest.raises(services.AlreadyAccepted):
        services.participation_apply(
            exhibitor=world.batik, expo=world.expo, mode="online", actor=owner
        )

    assert _participation(world, world.batik).mode == "venue"


def test_resubmitting_after_a_change_request_goes_back_to_applied(world, owner, staff):
    world.applicant.nib = "9120009876543"
    world.applicant.save()
    participation = _participation(world, world.applicant)
    services.participation_request_changes(
        participation=participation, reason="Foto produk buram", actor=staff
    )

    again = services.participation_apply(
        exhibitor=world.applicant,
        expo=world.expo,
        mode="venue",
        note="Foto sudah diganti",
        actor=owner,
    )

    again.refresh_from_db()
    assert (again.pk, again.status, again.mode, again.decision_reason, again.decided_at) == (
        participation.pk,
        "applied",
        "venue",
        "",
        None,
    )
    assert [entry[0] for entry in _audit(again)] == [
        "participation.request_changes",
        "participation.resubmit",
    ]
    assert _audit(again)[1][1] == {
        "status": ["changes_requested", "applied"],
        "mode": ["online", "venue"],
        "decision_reason": ["Foto produk buram", ""],
        "note": ["", "Foto sudah diganti"],
    }


def test_withdraw_releases_the_booth(world):
    batik = _participation(world, world.batik)
    owner = make_user(email="siti@batik.id")

    services.participation_withdraw(participation=batik, actor=owner)

    batik.refresh_from_db()
    assert (batik.status, batik.booth_id) == ("withdrawn", None)
    assert _audit(batik)[0][:2] == (
        "participation.withdraw",
        {"status": ["accepted", "withdrawn"], "booth": ["A-01", None]},
    )
    with pytest.raises(services.WrongStatus):
        services.participation_withdraw(participation=batik, actor=owner)


# --- decisions -----------------------------------------------------------------------


def test_accept_records_who_and_when_and_emails_the_team(
    world, owner, staff, django_capture_on_commit_callbacks
):
    participation = _participation(world, world.applicant)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.participation_accept(participation=participation, actor=staff)

    participation.refresh_from_db()
    assert (participation.status, participation.decided_by) == ("accepted", staff)
    assert participation.decided_at is not None
    assert len(callbacks) == 1
    assert _audit(participation) == [
        (
            "participation.accept",
            {"status": ["applied", "accepted"]},
            world.expo.organizer_id,
            world.applicant.pk,
        )
    ]
    assert [m.to for m in mail.outbox] == [["pemilik@tenun.id"], ["staf@tenun.id"]]
    message = mail.outbox[0]
    assert message.subject == _id(
        "Your application to %(expo)s is accepted", expo="Pekalongan Hybrid Expo 2021"
    )
    assert "Tenun Belum Diterima" in message.body
    assert "http://127.0.0.1:8000/umkm/" in message.body
    assert message.body == mail.outbox[1].body


def test_refuse_needs_a_reason_and_tells_it(
    world, owner, staff, django_capture_on_commit_callbacks
):
    participation = _participation(world, world.applicant)

    with pytest.raises(services.ReasonRequired):
        services.participation_refuse(participation=participation, reason="  ", actor=staff)
    assert _participation(world, world.applicant).status == "applied"

    with django_capture_on_commit_callbacks(execute=True):
        services.participation_refuse(
            participation=participation, reason="Kuota batik sudah penuh.", actor=staff
        )

    participation.refresh_from_db()
    assert (participation.status, participation.decision_reason) == (
        "refused",
        "Kuota batik sudah penuh.",
    )
    assert len(mail.outbox) == 2
    assert "Kuota batik sudah penuh." in mail.outbox[0].body
    assert "http://127.0.0.1:8000/umkm/" in mail.outbox[0].body


def test_no_email_when_the_transaction_rolls_back(
    world, owner, staff, django_capture_on_commit_callbacks
):
    participation = _participation(world, world.applicant)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.participation_accept(participation=participation, actor=staff)
            raise RuntimeError("the caller failed after the decision")

    assert callbacks == []
    assert mail.outbox == []
    assert _participation(world, world.applicant).status == "applied"


def test_request_changes_only_on_a_waiting_application(world, staff):
    accepted = _participation(world, world.amplang)

    with pytest.raises(services.WrongStatus):
        services.participation_request_changes(
            participation=accepted, reason="Ganti foto", actor=staff
        )

    assert _participation(world, world.amplang).status == "accepted"


def test_refusing_an_accepted_venue_exhibitor_releases_its_booth(world, staff):
    batik = _participation(world, world.batik)

    services.participation_refuse(participation=batik, reason="Produk tidak sesuai", actor=staff)

    batik.refresh_from_db()
    assert (batik.status, batik.booth_id) == ("refused", None)
    assert services.booths_held(expo=world.expo) == 0


def test_accepting_twice_is_an_error(world, staff):
    with pytest.raises(services.AlreadyAccepted):
        services.participation_accept(participation=_participation(world, world.batik), actor=staff)


def test_bulk_accept_reports_each_application(world, staff):
    applicant = _participation(world, world.applicant)
    batik = _participation(world, world.batik)
    other = build_expo(suffix="-lain")
    foreign = Participation.objects.get(expo=other.expo, exhibitor=other.applicant)

    outcomes = services.participations_accept(
        expo=world.expo, ids=[applicant.pk, batik.pk, foreign.pk], actor=staff
    )

    assert [(o.participation_id, o.ok) for o in outcomes] == sorted(
        [(applicant.pk, True), (batik.pk, False), (foreign.pk, False)]
    )
    assert _participation(world, world.applicant).status == "accepted"
    assert Participation.objects.get(pk=foreign.pk).status == "applied"


def test_bulk_refuse_needs_one_reason(world, staff):
    applicant = _participation(world, world.applicant)

    with pytest.raises(services.ReasonRequired):
        services.participations_refuse(expo=world.expo, ids=[applicant.pk], reason="", actor=staff)

    outcomes = services.participations_refuse(
        expo=world.expo, ids=[applicant.pk], reason="Belum ada NIB", actor=staff
    )
    assert [(o.ok, o.participation.decision_reason) for o in outcomes] == [(True, "Belum ada NIB")]


# --- booths --------------------------------------------------------------------------


def test_assign_a_free_booth_within_the_quota(world, staff, django_capture_on_commit_callbacks):
    waiting = make_participation(
        expo=world.expo, exhibitor=make_exhibitor(name="Kopi Owa"), mode="venue"
    )
    member = make_user(email="owa@kopi.id")
    make_exhibitor_member(exhibitor=waiting.exhibitor, user=member, role="owner")
    free = Booth.objects.get(hall=world.hall, code="A-99")

    with django_capture_on_commit_callbacks(execute=True):
        services.booth_assign(participation=waiting, booth=free, actor=staff)

    waiting.refresh_from_db()
    assert waiting.booth == free
    assert services.booths_held(expo=world.expo) == 2
    assert _audit(waiting)[0][:2] == ("booth.assign", {"booth": [None, "A-99"]})
    assert [m.to for m in mail.outbox] == [["owa@kopi.id"]]
    assert "A-99" in mail.outbox[0].subject
    assert "Hall Utama" in mail.outbox[0].body


def test_quota_full(world, staff):
    world.expo.venue_booth_quota = 1
    world.expo.save()
    waiting = make_participation(
        expo=world.expo, exhibitor=make_exhibitor(name="Kopi Owa"), mode="venue"
    )

    with pytest.raises(services.QuotaFull) as error:
        services.booth_assign(
            participation=waiting,
            booth=Booth.objects.get(code="A-99", hall=world.hall),
            actor=staff,
        )

    assert error.value.code == "quota_full"
    assert Participation.objects.get(pk=waiting.pk).booth_id is None
    assert AuditEntry.objects.count() == 0


def test_moving_a_booth_holder_does_not_count_twice(world, staff):
    world.expo.venue_booth_quota = 1
    world.expo.save()
    batik = _participation(world, world.batik)
    free = Booth.objects.get(code="A-99", hall=world.hall)

    services.booth_assign(participation=batik, booth=free, actor=staff)

    assert Participation.objects.get(pk=batik.pk).booth == free


def test_a_taken_booth_is_refused(world, staff):
    waiting = make_participation(
        expo=world.expo, exhibitor=make_exhibitor(name="Kopi Owa"), mode="venue"
    )
    taken = Booth.objects.get(code="A-01", hall=world.hall)

    with pytest.raises(services.BoothTaken):
        services.booth_assign(participation=waiting, booth=taken, actor=staff)

    assert Participation.objects.get(pk=waiting.pk).booth_id is None


def test_a_booth_of_another_expo_is_refused(world, staff):
    other = build_expo(suffix="-lain")
    waiting = make_participation(
        expo=world.expo, exhibitor=make_exhibitor(name="Kopi Owa"), mode="venue"
    )

    with pytest.raises(services.BoothNotInExpo):
        services.booth_assign(
            participation=waiting,
            booth=Booth.objects.get(code="A-99", hall__expo=other.expo),
            actor=staff,
        )

    assert Participation.objects.get(pk=waiting.pk).booth_id is None


@pytest.mark.parametrize("which", ["online", "applied"])
def test_only_accepted_venue_exhibitors_get_booths(world, staff, which):
    participation = _participation(world, world.amplang if which == "online" else world.applicant)

    with pytest.raises(services.NotVenue):
        services.booth_assign(
            participation=participation,
            booth=Booth.objects.get(code="A-99", hall=world.hall),
            actor=staff,
        )


def test_release_and_mode_change(world, staff):
    batik = _participation(world, world.batik)

    services.participation_change_mode(participation=batik, mode="online", actor=staff)

    batik.refresh_from_db()
    assert (batik.mode, batik.booth_id) == ("online", None)
    assert _audit(batik)[0][:2] == (
        "participation.mode",
        {"mode": ["venue", "online"], "booth": ["A-01", None]},
    )

    services.participation_change_mode(participation=batik, mode="venue", actor=staff)
    services.booth_assign(
        participation=batik, booth=Booth.objects.get(code="A-01", hall=world.hall), actor=staff
    )
    services.booth_release(participation=batik, actor=staff)

    batik.refresh_from_db()
    assert (batik.mode, batik.booth_id) == ("venue", None)
    assert [entry[0] for entry in _audit(batik)] == [
        "participation.mode",
        "participation.mode",
        "booth.assign",
        "booth.release",
    ]


# --- WhatsApp ------------------------------------------------------------------------


def test_whatsapp_link_carries_the_decision_text(world, staff):
    participation = _participation(world, world.applicant)
    services.participation_refuse(participation=participation, reason="Kuota penuh", actor=staff)
    participation.refresh_from_db()

    link = notifications.whatsapp_link(participation=participation)

    body = notifications.decision_message(participation=participation).body
    parts = urlsplit(link)
    assert (parts.netloc, parts.path) == ("wa.me", "/6281234567890")
    assert parse_qs(parts.query)["text"] == [body]
    assert "Kuota penuh" in body
