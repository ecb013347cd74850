import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils.translation import gettext as _

from gelar.accounts import sms
from gelar.accounts.models import User
from gelar.accounts.tests.codes import last_email_code, last_sms_code

pytestmark = pytest.mark.django_db

PASSWORD = "batik-pekalongan-21"


def test_signup_by_email_verifies_the_address_by_code_then_signs_in(client):
    response = client.post(
        "/akun/signup/",
        {
            "full_name": "Siti Aminah",
            "email": "Siti@Example.com",
            "phone": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/akun/confirm-email/"
    user = User.objects.get()
    assert (user.full_name, user.email, user.phone) == ("Siti Aminah", "siti@example.com", None)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@example.com"]
    # Not signed in until the code is entered.
    assert client.get("/akun/beranda/").status_code == 302

    response = client.post("/akun/confirm-email/", {"code": last_email_code()})

    assert response.status_code == 302
    assert response["Location"] == "/akun/beranda/"
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("siti@example.com", True, True)
    home = client.get("/akun/beranda/")
    assert home.status_code == 200
    assert home.context["user"] == user


def test_signup_by_phone_only_verifies_the_number_by_sms(client):
    response = client.post(
        "/akun/signup/",
        {
            "full_name": "Pak Darto",
            "email": "",
            "phone": "0812-3456-7890",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/akun/phone/verify/"
    user = User.objects.get()
    assert (user.phone, user.phone_verified, user.email) == ("6281234567890", False, "")
    assert mail.outbox == []
    assert [message.to for message in sms.outbox] == ["6281234567890"]

    response = client.post("/akun/phone/verify/", {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors

    response = client.post("/akun/phone/verify/", {"code": last_sms_code()})

    assert response.status_code == 302
    assert response["Location"] == "/akun/beranda/"
    user.refresh_from_db()
    assert user.phone_verified is True
    assert not EmailAddress.objects.filter(user=user).exists()
    assert client.get("/akun/beranda/").context["user"] == user


def test_signup_with_email_and_phone_verifies_both(client):
    client.post(
        "/akun/signup/",
        {
            "full_name": "Bu Ratna",
            "email": "ratna@example.com",
            "phone": "+62 813 1111 2222",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    response = client.post("/akun/phone/verify/", {"code": last_sms_code()})
    assert response["Location"] == "/akun/confirm-email/"
    response = client.post("/akun/confirm-email/", {"code": last_email_code()})
    assert response["Location"] == "/akun/beranda/"

    user = User.objects.get()
    assert (user.phone, user.phone_verified) == ("6281311112222", True)
    assert EmailAddress.objects.get(user=user).verified is True


def test_signup_with_an_invalid_phone_says_so_in_indonesian_and_keeps_the_input(client):
    response = client.post(
        "/akun/signup/",
        {
            "full_name": "Siti Aminah",
            "email": "siti@example.com",
            "phone": "021 555 1234",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "phone": ["Masukkan nomor ponsel Indonesia, misalnya 0812 3456 7890."]
    }
    html = response.content.decode()
    assert "Masukkan nomor ponsel Indonesia, misalnya 0812 3456 7890." in html
    assert 'value="Siti Aminah"' in html
    assert 'value="siti@example.com"' in html
    assert 'value="021 555 1234"' in html
    assert User.objects.count() == 0


def test_signup_without_email_or_phone_is_refused(client):
    response = client.post(
        "/akun/signup/",
        {"full_name": "Tanpa Kontak", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": [_("Enter an email address or a mobile number.")]
    }
    assert User.objects.count() == 0


def test_signup_with_a_taken_phone_creates_no_second_account(client):
    User.objects.create_user(username="lama", phone="6281234567890", password=PASSWORD)

    response = client.post(
        "/akun/signup/",
        {
            "full_name": "Orang Lain",
            "phone": "081234567890",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    # allauth prevents account enumeration: the form looks accepted, the owner
    # of the number is told by SMS, and nothing is created.
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert [message.to for message in sms.outbox] == ["6281234567890"]
    assert sms.outbox[0].text == _(
        "Someone tried to sign up for Gelar with this number, which already has an "
        "account. If it was you, sign in instead or reset your password."
    )


def test_signup_page_renders_in_gelars_layout(client):
    response = client.get("/akun/signup/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<link rel="stylesheet" href="/static/css/gelar.css">' in html
    assert 'type="tel"' in html
    assert 'name="full_name"' in html
