import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from gelar.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_accounts_create, totp_code
from gelar.accounts.models import User
from gelar.events.models import OrganizerMember
from gelar.exhibitors.models import ExhibitorMember
from gelar.testing import make_exhibitor, make_organizer

pytestmark = pytest.mark.django_db


def test_demo_accounts_cover_every_role_and_can_sign_in(client):
    organizer = make_organizer()
    batik = make_exhibitor(name="Batik Pesisir", owner_name="Bu Ratna")
    kopi = make_exhibitor(name="Kopi Owa", owner_name="Pak Darto")

    rows = demo_accounts_create(organizer=organizer, exhibitors=[batik, kopi])

    assert [login for _role, login, _password in rows] == [
        "admin.dinas@gelar.test",
        "staf.dinas@gelar.test",
        "host.dinas@gelar.test",
        "gerbang.dinas@gelar.test",
        "pemilik.umkm@gelar.test",
        "081200000002",
    ]
    assert {password for _role, _login, password in rows} == {DEMO_PASSWORD}
    assert sorted(OrganizerMember.objects.values_list("user__email", "role")) == [
        ("admin.dinas@gelar.test", "admin"),
        ("gerbang.dinas@gelar.test", "gate"),
        ("host.dinas@gelar.test", "host"),
        ("staf.dinas@gelar.test", "staff"),
    ]
    assert sorted(ExhibitorMember.objects.values_list("exhibitor__name", "user__full_name")) == [
        ("Batik Pesisir", "Bu Ratna"),
        ("Kopi Owa", "Pak Darto"),
    ]
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 5
    assert User.objects.get(phone="6281200000002").phone_verified is True
    assert Authenticator.objects.get(type=Authenticator.Type.TOTP).user.email == (
        "admin.dinas@gelar.test"
    )

    # Run twice (load_demo --reset): nothing is duplicated.
    assert demo_accounts_create(organizer=organizer, exhibitors=[batik, kopi]) == rows
    assert User.objects.count() == 6
    assert Authenticator.objects.count() == 1

    # The owner by phone signs in straight to the dashboard...
    response = client.post("/akun/login/", {"login": "0812 0000 0002", "password": DEMO_PASSWORD})
    assert response["Location"] == "/akun/beranda/"
    assert client.get("/akun/beranda/")["Location"] == "/umkm/"
    client.post("/akun/logout/")
    # ...the admin after the code that demo_totp prints.
    client.post("/akun/login/", {"login": "admin.dinas@gelar.test", "password": DEMO_PASSWORD})
    response = client.post("/akun/2fa/authenticate/", {"code": totp_code()})
    assert response["Location"] == "/akun/beranda/"


def test_totp_code_follows_rfc_6238():
    # RFC 6238 appendix B, SHA-1, time 59: 94287082 -> the last six digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert totp_code(secret, at=59) == "287082"
    assert totp_code(secret, at=1111111109) == "081804"


def test_demo_totp_command_prints_the_current_code(capsys):
    call_command("demo_totp")

    out, err = capsys.readouterr()
    assert out == totp_code(DEMO_TOTP_SECRET) + "\n"
    assert DEMO_TOTP_SECRET in err
