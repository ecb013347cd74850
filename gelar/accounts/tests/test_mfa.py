import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils.translation import gettext as _

from gelar.accounts.demo import DEMO_TOTP_SECRET, totp_code
from gelar.accounts.services import account_create
from gelar.events.models import OrganizerMember
from gelar.testing import make_organizer

pytestmark = pytest.mark.django_db

PASSWORD = "batik-pekalongan-21"
ACTIVATE = "/akun/2fa/totp/activate/"


def member(role: str, email: str):
    user = account_create(full_name=email.split("@")[0], email=email, password=PASSWORD)
    OrganizerMember.objects.create(organizer=make_organizer(), user=user, role=role)
    return user


@pytest.fixture
def admin():
    return member(OrganizerMember.Role.ADMIN, "admin@dinas.test")


def login(client, email):
    return client.post("/akun/login/", {"login": email, "password": PASSWORD})


@pytest.mark.parametrize(
    ("path", "activate"),
    [
        ("/console/", ACTIVATE),
        ("/console/expo/pekalongan/", ACTIVATE),
        ("/en/console/", "/en" + ACTIVATE),
    ],
)
def test_console_sends_an_admin_without_totp_to_the_activation_page(client, admin, path, activate):
    client.force_login(admin)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == activate


def test_the_redirect_says_why(client, admin):
    login(client, "admin@dinas.test")

    response = client.get("/console/", follow=True)

    # allauth asks for the password again before a new authenticator is added.
    assert response.redirect_chain == [
        (ACTIVATE, 302),
        ("/akun/reauthenticate/?next=%2Fakun%2F2fa%2Ftotp%2Factivate%2F", 302),
    ]
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == [
        "Berhasil masuk sebagai admin.",
        _(
            "Organizer administrators must sign in with two-factor authentication. "
            "Set up an authenticator app to continue to the console."
        ),
    ]


@pytest.mark.parametrize(
    "role", [OrganizerMember.Role.STAFF, OrganizerMember.Role.HOST, OrganizerMember.Role.GATE]
)
def test_other_organizer_roles_are_not_sent_to_activation(client, role):
    client.force_login(member(role, "staf@dinas.test"))

    response = client.get("/console/")

    assert response.get("Location") != ACTIVATE


def test_pages_outside_the_console_are_not_affected(client, admin):
    client.force_login(admin)

    assert client.get("/akun/beranda/")["Location"] != ACTIVATE
    assert client.get("/").status_code == 200


def reauthenticate(client):
    response = client.post("/akun/reauthenticate/", {"password": PASSWORD, "next": ACTIVATE})
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_admin_activates_totp_from_the_qr_code_page(client, admin):
    login(client, "admin@dinas.test")
    reauthenticate(client)

    page = client.get(ACTIVATE)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert '<link rel="stylesheet" href="/static/css/gelar.css">' in html
    secret = page.context["form"].secret
    response = client.post(ACTIVATE, {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).count() == 1
    codes = client.get("/akun/2fa/recovery-codes/")
    assert codes.status_code == 200
    assert len(codes.context["unused_codes"]) == 10
    assert client.get("/console/").get("Location") != ACTIVATE


def test_wrong_activation_code_activates_nothing(client, admin):
    login(client, "admin@dinas.test")
    reauthenticate(client)
    client.get(ACTIVATE)

    response = client.post(ACTIVATE, {"code": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=admin).exists()


def test_login_of_an_admin_with_totp_asks_for_the_code(client, admin):
    TOTP.activate(admin, DEMO_TOTP_SECRET)

    response = login(client, "admin@dinas.test")

    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/authenticate/"
    # Password alone does not sign in.
    assert client.get("/akun/beranda/").status_code == 302
    assert client.get("/akun/2fa/authenticate/").status_code == 200

    response = client.post("/akun/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]

    response = client.post("/akun/2fa/authenticate/", {"code": totp_code(DEMO_TOTP_SECRET)})

    assert response.status_code == 302
    assert response["Location"] == "/akun/beranda/"
    assert client.get("/akun/beranda/")["Location"] == "/console/"
    assert client.get("/console/").get("Location") != ACTIVATE


def test_a_totp_code_works_only_once(client, admin):
    TOTP.activate(admin, DEMO_TOTP_SECRET)
    code = totp_code(DEMO_TOTP_SECRET)
    login(client, "admin@dinas.test")
    client.post("/akun/2fa/authenticate/", {"code": code})
    client.post("/akun/logout/")

    login(client, "admin@dinas.test")
    response = client.post("/akun/2fa/authenticate/", {"code": code})

    assert response.status_code == 200
    assert client.get("/akun/beranda/").status_code == 302
