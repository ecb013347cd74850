import pytest
from django.test import override_settings
from django.urls import reverse

from gelar.audit.models import AuditEntry
from gelar.dashboard.tests.conftest import db_state
from gelar.payments.models import ExhibitorPaymentSettings
from gelar.payments.tests.test_qris import BIOLBE, GULU_GULU

pytestmark = pytest.mark.django_db


def url(team) -> str:
    return reverse("dashboard:payment_settings", args=[team.business.slug])


def body(**changes) -> dict:
    values = {
        "qris_payload": GULU_GULU,
        "bank_name": "BRI",
        "bank_account_number": "0123 01 000456 30 7",
        "bank_account_holder": "Siti Rahmawati",
        "accepts_cash": "on",
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


def state() -> dict:
    return {
        **db_state(),
        "settings": list(ExhibitorPaymentSettings.objects.order_by("pk").values()),
    }


def test_url_is_under_the_business():
    assert reverse("dashboard:payment_settings", args=["batik"]) == "/umkm/batik/pembayaran/"


@pytest.mark.parametrize("who", ["owner", "staff"])
def test_team_saves_qris_and_bank_and_sees_the_preview(client, team, who):
    user = getattr(team, who)
    client.force_login(user)
    page = client.get(url(team))
    assert page.status_code == 200
    assert b"pay-qris-code" not in page.content

    response = client.post(url(team), body())

    assert response.status_code == 302
    assert response["Location"] == url(team)
    found = ExhibitorPaymentSettings.objects.get(exhibitor=team.business)
    assert found.qris_payload == GULU_GULU
    assert found.qris_merchant_name == "Gulu Gulu Mall Ambassador"
    assert found.qris_nmid == "ID1019004532297"
    assert found.bank_account_number == "012301000456307"
    assert found.accepts_cash is True
    entry = AuditEntry.objects.get(action="payments.settings_update")
    assert entry.actor == user
    assert entry.exhibitor_id == team.business.pk

    page = client.get(url(team))
    text = page.content.decode()
    assert "Gulu Gulu Mall Ambassador" in text
    assert "ID1019004532297" in text
    assert '<div class="pay-qris-code"><svg' in text
    assert 'href="/umkm/batik-sekar-jagad/pembayaran/" aria-current="page"' in text


def test_a_damaged_qris_is_an_error_next_to_the_field_and_the_input_is_kept(client, team):
    client.force_login(team.owner)
    damaged = BIOLBE[:-1] + "5"

    response = client.post(url(team), body(qris_payload=damaged))

    assert response.status_code == 200
    assert response.context["form"].has_error("qris_payload", code="crc_mismatch")
    assert 'id="id_qris_payload_error"' in response.content.decode()
    assert damaged in response.content.decode()
    assert "Siti Rahmawati" in response.content.decode()
    assert not ExhibitorPaymentSettings.objects.exists()
    assert not AuditEntry.objects.filter(action="payments.settings_update").exists()


def test_a_dynamic_qris_is_refused(client, team):
    from gelar.payments.qris import dynamic_qris

    client.force_login(team.owner)
    response = client.post(
        url(team), body(qris_payload=dynamic_qris(static_payload=BIOLBE, amount=10000))
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("qris_payload", code="not_static")
    assert not ExhibitorPaymentSettings.objects.exists()


def test_incomplete_bank_details_point_at_the_missing_field(client, team):
    client.force_login(team.owner)
    response = client.post(url(team), body(bank_account_holder=""))
    assert response.status_code == 200
    assert response.context["form"].has_error("bank_account_holder", code="bank_incomplete")
    assert not ExhibitorPaymentSettings.objects.exists()


def test_everything_can_be_cleared_again(client, team):
    client.force_login(team.owner)
    client.post(url(team), body())
    response = client.post(
        url(team),
        body(qris_payload="", bank_name="", bank_account_number="", bank_account_holder=""),
    )
    assert response.status_code == 302
    found = ExhibitorPaymentSettings.objects.get()
    assert (found.qris_payload, found.qris_merchant_name, found.bank_name) == ("", "", "")
    assert AuditEntry.objects.filter(action="payments.settings_update").count() == 2


@override_settings(MIDTRANS_SERVER_KEY="")
def test_gateway_is_not_offered_without_the_server_key(client, team):
    client.force_login(team.owner)
    page = client.get(url(team))
    assert "gateway_enabled" not in page.context["form"].fields
    client.post(url(team), body(gateway_enabled="on"))
    assert ExhibitorPaymentSettings.objects.get().gateway_enabled is False


@override_settings(MIDTRANS_SERVER_KEY="SB-Mid-server-test")
def test_gateway_can_be_switched_on_with_the_server_key(client, team):
    client.force_login(team.owner)
    client.post(url(team), body(gateway_enabled="on"))
    assert ExhibitorPaymentSettings.objects.get().gateway_enabled is True


def test_outsider_gets_404_and_changes_nothing(client, team):
    client.force_login(team.owner)
    client.post(url(team), body())
    before = state()

    client.force_login(team.outsider)
    assert client.get(url(team)).status_code == 404
    assert client.post(url(team), body(bank_account_number="999999999")).status_code == 404

    assert state() == before


def test_anonymous_is_sent_to_sign_in(client, team):
    response = client.post(url(team), body())
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not ExhibitorPaymentSettings.objects.exists()
