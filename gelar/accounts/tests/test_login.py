import pytest
from django.core import mail

from gelar.accounts import sms
from gelar.accounts.services import account_create
from gelar.accounts.tests.codes import last_email_code, last_sms_code

pytestmark = pytest.mark.django_db

PASSWORD = "batik-pekalongan-21"


@pytest.fixture
def siti():
    return account_create(
        full_name="Siti Aminah", email="siti@example.com", phone="081234567890", password=PASSWORD
    )


def login(client, login, password=PASSWORD):
    return client.post("/akun/login/", {"login": login, "password": password})


def test_login_by_email(client, siti):
    response = login(client, "Siti@Example.com")

    assert response.status_code == 302
    assert response["Location"] == "/akun/beranda/"
    assert client.get("/akun/beranda/").context["user"] == siti


@pytest.mark.parametrize(
    "typed", ["081234567890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890"]
)
def test_login_by_phone_in_any_usual_form(client, siti, typed):
    response = login(client, typed)

    assert response.status_code == 302
    assert response["Location"] == "/akun/beranda/"
    assert client.get("/akun/beranda/").context["user"] == siti


def test_wrong_password_is_a_form_error_in_indonesian(client, siti):
    response = login(client, "siti@example.com", "salah-sandi")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Alamat e-mail dan/atau kata sandi yang anda masukkan tidak benar."
    ]
    assert "kata sandi" in response.content.decode()
    assert 'value="siti@example.com"' in response.content.decode()
    assert client.get("/akun/beranda/").status_code == 302


def test_wrong_password_by_phone_names_the_phone(client, siti):
    response = login(client, "0812 3456 7890", "salah-sandi")

    assert response.context["form"].non_field_errors() == [
        "Nomor ponsel dan/atau kata sandi yang anda masukkan tidak benar."
    ]


def test_english_pages_answer_in_english(client, siti):
    response = client.post(
        "/en/akun/login/", {"login": "siti@example.com", "password": "salah-sandi"}
    )

    assert response.context["form"].non_field_errors() == [
        "The email address and/or password you specified are not correct."
    ]


def test_failed_logins_are_throttled_per_login(client, siti):
    for _attempt in range(5):
        response = login(client, "siti@example.com", "salah-sandi")
        assert "tidak benar" in response.content.decode()

    # The sixth try is refused even with the right password.
    response = login(client, "siti@example.com")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."
    ]
    assert client.get("/akun/beranda/").status_code == 302


def test_failed_logins_by_phone_are_counted_per_number(client, siti):
    other = account_create(full_name="Pak Darto", phone="081299998888", password=PASSWORD)
    for typed in [
        "081234567890",
        "+6281234567890",
        "0812-3456-7890",
        "6281234567890",
        "812 3456 7890",
    ]:
        login(client, typed, "salah-sandi")

    refused = login(client, "081234567890")
    assert refused.context["form"].non_field_errors() == [
        "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."
    ]
    # Another number is not locked out by the failures on the first one.
    response = login(client, "081299998888")
    assert response.status_code == 302
    assert client.get("/akun/beranda/").context["user"] == other


def test_too_many_login_posts_from_one_address_get_429(client, siti):
    for _attempt in range(30):
        login(client, f"orang{_attempt}@example.com", "salah-sandi")
        client.cookies.clear()

    assert login(client, "siti@example.com").status_code == 429


def test_unverified_email_gets_a_code_at_login(client):
    account_create(
        full_name="Belum Verifikasi", email="baru@example.com", password=PASSWORD, verified=False
    )

    response = login(client, "baru@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/akun/confirm-email/"
    response = client.post("/akun/confirm-email/", {"code": last_email_code()})
    assert response["Location"] == "/akun/beranda/"


def test_password_reset_sends_a_code_by_email_and_sets_the_new_password(client, siti):
    response = client.post("/akun/password/reset/", {"email": "siti@example.com"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@example.com"]
    response = client.post(response["Location"], {"code": last_email_code()})
    assert response.status_code == 302
    response = client.post(
        response["Location"], {"password1": "sandi-baru-2021", "password2": "sandi-baru-2021"}
    )
    assert response.status_code == 302

    client.logout()
    assert login(client, "siti@example.com", "sandi-baru-2021").status_code == 302


def test_logout(client, siti):
    login(client, "siti@example.com")

    assert client.get("/akun/logout/").status_code == 200
    response = client.post("/akun/logout/")

    assert response.status_code == 302
    assert client.get("/akun/beranda/").status_code == 302


def test_a_phone_only_owner_who_forgot_the_password_signs_in_with_an_sms_code(client):
    owner = account_create(full_name="Pak Darto", phone="081299998888", password=PASSWORD)

    response = client.post("/akun/login/code/", {"phone": "0812 9999 8888"})

    assert response.status_code == 302
    assert response["Location"] == "/akun/login/code/confirm/"
    assert [message.to for message in sms.outbox] == ["6281299998888"]
    response = client.post("/akun/login/code/confirm/", {"code": last_sms_code()})
    assert response.status_code == 302
    assert response["Location"] == "/akun/beranda/"
    assert client.get("/akun/beranda/").context["user"] == owner


def test_login_page_asks_for_an_email_or_a_phone(client):
    html = client.get("/akun/login/").content.decode()

    assert '<label for="id_login">E-mail atau telepon</label>' in html
    assert 'href="/akun/login/code/"' in html
