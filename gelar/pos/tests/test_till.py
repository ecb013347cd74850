"""The till's pages: the till shell, its QRIS, worker and manifest, and the receipt."""

import json
import re

import pytest
from django.test import override_settings
from django.utils.translation import gettext as _

from gelar.catalog.models import Product
from gelar.exhibitors.models import ExhibitorMember
from gelar.payments import qris
from gelar.pos import services as pos
from gelar.pos.models import PosSale
from gelar.testing import (
    build_expo,
    make_exhibitor_member,
    make_expo,
    make_participation,
    make_payment_settings,
    make_user,
)

pytestmark = pytest.mark.django_db

Role = ExhibitorMember.Role


@pytest.fixture
def world():
    return build_expo()


@pytest.fixture
def owner(world):
    user = make_user(email="siti@example.com")
    make_exhibitor_member(exhibitor=world.batik, user=user, role=Role.OWNER)
    return user


@pytest.fixture
def teammate(world):
    user = make_user(email="bayu@example.com")
    make_exhibitor_member(exhibitor=world.batik, user=user, role=Role.STAFF)
    return user


@pytest.fixture
def outsider(world):
    user = make_user(email="orang@example.com")
    make_exhibitor_member(exhibitor=world.amplang, user=user, role=Role.OWNER)
    return user


def till_url(world) -> str:
    return f"/umkm/{world.batik.slug}/kasir/{world.expo.slug}/"


def embedded(page: str, name: str):
    match = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_the_team_opens_the_till_with_its_urls_and_methods(client, world, owner, teammate):
    make_payment_settings(exhibitor=world.batik)
    for user in (owner, teammate):
        client.force_login(user)
        response = client.get(till_url(world))
        assert response.status_code == 200
        page = response.content.decode()
        urls = embedded(page, "pos-urls")
        assert urls["catalogue"] == f"/api/v1/pos/{world.batik.slug}/{world.expo.slug}/catalogue"
        assert urls["sale"] == f"/api/v1/pos/{world.batik.slug}/{world.expo.slug}/sales"
        assert urls["sync"] == f"/api/v1/pos/{world.batik.slug}/{world.expo.slug}/sync"
        assert urls["worker"] == till_url(world) + "sw.js"
        assert urls["scope"] == till_url(world)
        assert urls["receipt"] == "/struk/TOKEN/"
        config = embedded(page, "pos-config")
        assert config["methods"] == ["cash", "qris", "transfer"]
        assert config["bank"] == {
            "name": "BRI",
            "number": "002101000123567",
            "holder": "Batik Sekar Jagad",
        }
        assert config["time_zone"] == "Asia/Jakarta"
        assert config["store"] == f"gelar-pos-{world.batik.pk}-{world.expo.pk}-{user.pk}"
        assert 'name="method" value="qris"' in page
        assert 'data-pos="qris-static"' in page  # the printed code, for offline QRIS


def test_without_payment_settings_the_till_takes_cash_only(client, world, owner):
    client.force_login(owner)
    page = client.get(till_url(world)).content.decode()
    assert embedded(page, "pos-config")["methods"] == ["cash"]
    assert embedded(page, "pos-config")["bank"] is None
    assert 'value="qris"' not in page
    assert 'data-pos="qris"' not in page


def test_outsiders_and_other_booths_get_404(client, world, owner, outsider):
    client.force_login(outsider)
    assert client.get(till_url(world)).status_code == 404
    assert client.get(till_url(world) + "qris?amount=150000").status_code == 404
    assert client.get(f"/umkm/{world.batik.slug}/kasir/").status_code == 404
    client.force_login(owner)
    # The amplang exhibitor sells online only; an expo without the business is no till.
    assert client.get(f"/umkm/{world.amplang.slug}/kasir/{world.expo.slug}/").status_code == 404
    other = make_expo()
    assert client.get(f"/umkm/{world.batik.slug}/kasir/{other.slug}/").status_code == 404
    make_participation(expo=other, exhibitor=world.batik, mode="online")
    assert client.get(f"/umkm/{world.batik.slug}/kasir/{other.slug}/").status_code == 404


def test_signed_out_is_sent_to_sign_in(client, world):
    response = client.get(till_url(world))
    assert response.status_code == 302
    assert "/akun/login/" in response["Location"]


def test_the_till_list_shows_venue_expos(client, world, owner):
    online_expo = make_expo(name="Expo Daring")
    make_participation(expo=online_expo, exhibitor=world.batik, mode="online")
    client.force_login(owner)
    page = client.get(f"/umkm/{world.batik.slug}/kasir/").content.decode()
    assert f'href="{till_url(world)}"' in page
    assert online_expo.slug not in page


def test_qris_of_a_total(client, world, owner):
    make_payment_settings(exhibitor=world.batik)
    client.force_login(owner)
    response = client.get(till_url(world) + "qris?amount=165000&ref=3f2a9c-11")
    assert response.status_code == 200
    data = response.json()
    info = qris.validate_dynamic_qris(data["payload"])
    assert info.amount == 165000
    assert data["payload"] == qris.dynamic_qris(
        static_payload=qris_static(world), amount=165000, reference="3f2a9c-11"
    )
    assert data["svg"].startswith("<svg")
    assert data["merchant"] == "Gulu Gulu Mall Ambassador"


def qris_static(world) -> str:
    return world.batik.payment_settings.qris_payload


def test_qris_refuses_bad_amounts_and_booths_without_qris(client, world, owner):
    client.force_login(owner)
    response = client.get(till_url(world) + "qris?amount=1000")
    assert response.status_code == 400
    assert response.json()["detail"]
    make_payment_settings(exhibitor=world.batik)
    for amount in ("", "-5", "12.5", "abc", "9" * 13, "0"):
        response = client.get(till_url(world) + f"qris?amount={amount}")
        assert response.status_code == 400, amount
        assert response.json()["detail"]
    # Characters a bill number may not hold become dashes.
    response = client.get(till_url(world) + "qris?amount=5000&ref=a b/c")
    assert response.status_code == 200


def test_worker_and_manifest(client, world):
    response = client.get(till_url(world) + "sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == till_url(world)
    body = response.content.decode()
    shell = json.loads(re.search(r"const SHELL = (.*);\n", body).group(1))
    assert shell[:2] == [till_url(world), till_url(world) + "manifest.webmanifest"]
    assert "/static/js/pos.js" in shell
    assert re.search(r'const CACHE = "pos-[0-9a-f]{16}";', body)
    assert 'id="pos-urls"' in body  # what tells the till's page from a sign-in page
    manifest = client.get(till_url(world) + "manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["start_url"] == till_url(world)
    assert manifest.json()["scope"] == till_url(world)


def test_english_till_urls(client, world, owner):
    client.force_login(owner)
    page = client.get("/en" + till_url(world)).content.decode()
    urls = embedded(page, "pos-urls")
    assert urls["scope"] == "/en" + till_url(world)
    assert urls["receipt"] == "/en/struk/TOKEN/"
    assert "Booth till" in page


def sell(world, owner, **fields) -> PosSale:
    values = {
        "exhibitor": world.batik,
        "expo": world.expo,
        "staff": owner,
        "client_key": "k-1",
        "lines": [(world.shirt.pk, 2)],
        "payment_method": "cash",
        "cash_given": 400000,
    }
    values.update(fields)
    return pos.pos_sale_record(**values)


def test_receipt_page(client, world, owner):
    sale = sell(world, owner)
    response = client.get(f"/struk/{sale.receipt_token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert sale.number in page
    assert "Batik Sekar Jagad" in page
    assert "Kemeja Batik Tulis Sekar Jagad" in page
    assert "Rp300.000" in page  # the total
    assert "Rp400.000" in page  # cash given
    assert "Rp100.000" in page  # change
    assert 'class="slip slip-58 pos-slip"' in page
    assert "https://wa.me/?text=" in page
    assert f"struk%2F{sale.receipt_token}%2F" in page
    assert Product.objects.get(pk=world.shirt.pk).stock == 1


def test_receipt_of_a_qris_sale_has_no_cash_lines(client, world, owner):
    make_payment_settings(exhibitor=world.batik)
    sale = sell(world, owner, client_key="k-2", payment_method="qris", cash_given=None)
    page = client.get(f"/struk/{sale.receipt_token}/").content.decode()
    assert "QRIS" in page
    assert page.count("<dt>") == 2  # total and payment; no cash given, no change


def test_receipt_of_a_sale_charged_at_old_prices_shows_both_and_the_difference(
    client, world, owner
):
    # Queued offline at the device's old price: Rp 140.000 charged, Rp 200.000 given.
    sale = sell(
        world,
        owner,
        lines=[(world.shirt.pk, 1)],
        cash_given=200000,
        expected_total=140000,
        offline=True,
    )
    page = client.get(f"/struk/{sale.receipt_token}/").content.decode()

    sums = re.search(r'<dl class="pos-slip-sums">(.*?)</dl>', page, re.S).group(1)
    rows = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", sums)
    assert rows == [
        (_("Charged"), "Rp140.000"),
        (_("At the listed prices"), "Rp150.000"),
        (_("Difference"), "-Rp10.000"),
        (_("Payment"), _("Cash")),
        (_("Cash given"), "Rp200.000"),
        (_("Change"), "Rp60.000"),
    ]
    note = _(
        "The till was offline and charged %(charged)s at the prices it had; the products "
        "make %(total)s at the listed prices. Cash given and change follow what was charged."
    ) % {"charged": "Rp140.000", "total": "Rp150.000"}
    assert note in page


def test_receipt_of_a_sale_at_the_listed_prices_has_one_total(client, world, owner):
    sale = sell(world, owner, lines=[(world.shirt.pk, 1)], cash_given=150000)
    page = client.get(f"/struk/{sale.receipt_token}/").content.decode()

    sums = re.search(r'<dl class="pos-slip-sums">(.*?)</dl>', page, re.S).group(1)
    assert re.findall(r"<dt>(.*?)</dt>", sums) == [
        _("Total"),
        _("Payment"),
        _("Cash given"),
        _("Change"),
    ]
    assert _("Charged") not in sums
    assert 'class="pos-slip-note"' not in page


def test_the_till_announces_its_total_and_names_the_line_buttons(client, world, owner):
    client.force_login(owner)
    page = client.get(till_url(world)).content.decode()

    total = re.search(r'<p class="pos-total"([^>]*)>(.*?)</p>', page, re.S)
    assert 'aria-live="polite"' in total.group(1)
    assert 'data-pos="total"' in total.group(2)
    texts = embedded(page, "pos-texts")
    assert texts["add_one"] == _("Add one %(name)s")
    assert texts["remove_one"] == _("Remove one %(name)s")
    assert texts["charged"] == _("Charged")
    assert "remove" not in texts


def test_unknown_receipts_are_404(client):
    assert client.get("/struk/nope/").status_code == 404
    assert client.get("/struk/" + "x" * 24 + "/").status_code == 404


@override_settings(DEBUG=False)
def test_worker_cache_name_is_stable(client, world):
    first = client.get(till_url(world) + "sw.js").content
    assert client.get(till_url(world) + "sw.js").content == first


def test_the_bodies_pos_js_sends_are_accepted(world, owner):
    """The contract between static/js/pos.js and the API: a sale, then the offline queue."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    page = client.get(till_url(world))
    urls = embedded(page.content.decode(), "pos-urls")
    token = client.cookies["csrftoken"].value
    sale = {
        "client_key": "9b1c6f0e-1",
        "lines": [{"product_id": world.shirt.pk, "quantity": 1}],
        "payment_method": "cash",
        "cash_given": 200000,
        "sold_at": "2021-11-24T03:00:00.000Z",
        "total": 150000,
    }
    response = client.post(
        urls["sale"], sale, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["total"], data["change"], data["status"]) == (150000, 50000, "completed")
    assert data["receipt_url"] == f"http://testserver/struk/{data['receipt_token']}/"
    queued = {**sale, "client_key": "9b1c6f0e-2"}
    body = {"sales": [queued, queued]}
    response = client.post(
        urls["sync"], body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["recorded", "duplicate"]
    assert results[0]["receipt_url"].endswith(f"/struk/{results[0]['receipt_token']}/")
    assert Product.objects.get(pk=world.shirt.pk).stock == 1
