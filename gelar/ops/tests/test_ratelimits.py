"""Rate limits: each limited endpoint answers 429 past its budget, per client, device or
user, in the request's language, and the refused request changes nothing."""

import dataclasses
import json
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit import core

from gelar.events.models import AgendaSession
from gelar.live.models import ChatMessage, Viewer
from gelar.ops.ratelimits import (
    LIMITS,
    by_client,
    by_device,
    by_session,
    by_user,
    by_viewer,
    by_visitor,
)
from gelar.orders.models import Checkout
from gelar.pos.models import PosSale
from gelar.reports.models import Inquiry
from gelar.testing import (
    accept_every_payment,
    build_expo,
    make_exhibitor_member,
    make_expo,
    make_payment_settings,
    make_user,
)
from gelar.tickets import services as tickets
from gelar.tickets.models import Scan, TimeSlot

pytestmark = [pytest.mark.django_db]

MESSAGE = "Too many requests in a short time. Please wait a moment and try again."
OTHER_ADDRESS = "203.0.113.77"


@pytest.fixture
def limits(settings, monkeypatch):
    """Limits on (the test settings switch them off), an empty cache, and one fixed
    window, so that no test straddles the edge of a minute. Returns lower(name, rate)."""
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    window_end = int(time.time()) + 60
    monkeypatch.setattr(core, "_get_window", lambda value, period: window_end)

    def lower(name: str, rate: str) -> None:
        monkeypatch.setitem(LIMITS, name, dataclasses.replace(LIMITS[name], rate=rate))

    yield lower
    cache.clear()


def assert_json_429(response):
    assert response.status_code == 429
    body = response.json()
    assert body["detail"] == _(MESSAGE)
    assert body["code"] == "rate_limited"
    assert 1 <= body["retry_after"] <= 60
    assert response["Retry-After"] == str(body["retry_after"])


def assert_page_429(response):
    assert response.status_code == 429
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert 1 <= int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert _("Too many requests") in page
    assert _(MESSAGE) in page


def test_the_table_of_limits():
    assert {name: (limit.rate, limit.key, limit.methods) for name, limit in LIMITS.items()} == {
        "shop:checkout": ("20/m", by_session, ("POST",)),
        "api-v1:checkout_create": ("20/m", by_session, ("POST",)),
        "api-v1:live_chat": ("30/m", by_viewer, ("POST",)),
        "api-v1:live_viewer": ("120/m", by_client, ("POST",)),
        "api-v1:gate_scan": ("600/m", by_device, ("POST",)),
        "api-v1:gate_sync": ("60/m", by_device, ("POST",)),
        "api-v1:pos_sales": ("120/m", by_user, ("POST",)),
        "api-v1:pos_sync": ("30/m", by_user, ("POST",)),
        "public:inquiry_new": ("10/m", by_client, ("POST",)),
        "public:visit": ("120/m", by_visitor, ("POST",)),
    }


# --- checkout -----------------------------------------------------------------------


def checkout_body(world) -> str:
    snack = world.amplang.products.get()
    return json.dumps(
        {
            "buyer": {"name": "Rina Kusuma", "whatsapp": "0812 3456 7890", "email": ""},
            "lines": [{"product_id": snack.pk, "quantity": 1}],
            "booths": [
                {
                    "exhibitor": world.amplang.slug,
                    "delivery": {
                        "method": "courier",
                        "address": "Jl. Hayam Wuruk 5",
                        "city": "Kota Pekalongan",
                        "postal_code": "51111",
                    },
                    "payment_method": "transfer",
                }
            ],
        }
    )


def test_api_checkout_per_client_address(client, limits, settings):
    limits("api-v1:checkout_create", "2/m")
    world = accept_every_payment(build_expo())
    url = f"/api/v1/expos/{world.expo.slug}/checkout"

    def submit(key, **extra):
        return client.post(
            url,
            checkout_body(world),
            content_type="application/json",
            headers={"Idempotency-Key": key},
            **extra,
        )

    assert [submit("k-1").status_code, submit("k-2").status_code] == [201, 201]
    assert_json_429(submit("k-3"))
    assert Checkout.objects.count() == 2
    # Another address has its own budget; reading is never limited.
    assert submit("k-4", REMOTE_ADDR=OTHER_ADDRESS).status_code == 201
    assert client.get(f"/api/v1/expos/{world.expo.slug}").status_code == 200
    # Behind nginx (one trusted proxy) the address is the one nginx saw.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert submit("k-5", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 201
    assert submit("k-6", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 201
    # What the client wrote to the left of nginx's entry is its own claim.
    assert_json_429(submit("k-7", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.1"))
    assert submit("k-8", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 201
    assert Checkout.objects.count() == 6


def test_checkout_page_answers_with_the_429_page(client, limits):
    limits("shop:checkout", "1/m")
    world = accept_every_payment(build_expo())
    url = f"/expo/{world.expo.slug}/checkout/"
    first = client.post(url, {})
    assert first.status_code != 429
    assert_page_429(client.post(url, {}))
    assert client.get(url).status_code != 429  # the form itself still shows
    assert Checkout.objects.count() == 0


# --- live chat over HTTP --------------------------------------------------------------


def test_chat_over_http_per_client_address(client, limits):
    limits("api-v1:live_chat", "2/m")
    world = build_expo()
    session = AgendaSession.objects.get(expo=world.expo, title="Promosi Produk UMKM oleh Wali Kota")
    base = f"/api/v1/live/sessions/{session.pk}"
    client.post(f"{base}/viewer", {"display_name": "Ayu"}, content_type="application/json")

    def say(text, c=client):
        return c.post(f"{base}/chat", {"text": text}, content_type="application/json")

    assert [say("satu").status_code, say("dua").status_code] == [201, 201]
    assert_json_429(say("tiga"))
    assert list(ChatMessage.objects.order_by("pk").values_list("text", flat=True)) == [
        "satu",
        "dua",
    ]
    other = Client(REMOTE_ADDR=OTHER_ADDRESS)
    other.post(f"{base}/viewer", {"display_name": "Budi"}, content_type="application/json")
    assert say("empat", other).status_code == 201


def test_naming_viewers_per_client_address(client, limits):
    limits("api-v1:live_viewer", "2/m")
    world = build_expo()
    session = AgendaSession.objects.filter(expo=world.expo).first()
    url = f"/api/v1/live/sessions/{session.pk}/viewer"
    for name in ("Ayu", "Budi"):
        fresh = Client()  # a new cookie each time: a new viewer
        assert (
            fresh.post(url, {"display_name": name}, content_type="application/json").status_code
            == 200
        )
    assert_json_429(Client().post(url, {"display_name": "Citra"}, content_type="application/json"))
    assert Viewer.objects.count() == 2


# --- gate scans -----------------------------------------------------------------------


def test_gate_scans_per_device(client, limits):
    from datetime import timedelta

    from django.utils import timezone

    from gelar.testing import make_expo

    limits("api-v1:gate_scan", "2/m")
    now = timezone.now()
    expo = make_expo(start_date=now.date(), end_date=now.date())
    slot = TimeSlot.objects.create(
        expo=expo, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1), capacity=9
    )
    _ticket, secret = tickets.register_for_slot(
        slot=slot, holder_name="Siti", whatsapp="0812345678"
    )
    code = tickets.ticket_code(secret)
    _a, token_a = tickets.gate_device_create(expo=expo, actor=None, name="Gerbang A")
    _b, token_b = tickets.gate_device_create(expo=expo, actor=None, name="Gerbang B")

    def scan(token, nonce):
        return client.post(
            "/api/v1/gate/scan",
            {"code": code, "direction": "entry", "nonce": nonce},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    assert [scan(token_a, "n-1").status_code, scan(token_a, "n-2").status_code] == [200, 200]
    assert_json_429(scan(token_a, "n-3"))
    assert Scan.objects.count() == 2
    # Same address, another device: its own budget.
    assert scan(token_b, "n-4").status_code == 200
    assert Scan.objects.count() == 3


def test_made_up_gate_tokens_share_their_address_s_budget(client, limits):
    """A script sending a new bogus token each time gets no fresh budget per token."""
    limits("api-v1:gate_scan", "2/m")
    today = timezone.localdate()
    expo = make_expo(start_date=today, end_date=today)
    _device, token = tickets.gate_device_create(expo=expo, actor=None, name="Gerbang A")

    def scan(token, nonce, **extra):
        return client.post(
            "/api/v1/gate/scan",
            {"code": "GLR1.x", "direction": "entry", "nonce": nonce},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            **extra,
        )

    bogus = [f"made-up-token-number-{n:04d}" for n in range(3)]
    assert [scan(bogus[0], "n-1").status_code, scan(bogus[1], "n-2").status_code] == [401, 401]
    assert_json_429(scan(bogus[2], "n-3"))
    assert_json_429(client.post("/api/v1/gate/scan", {}, content_type="application/json"))
    # The real device behind the same address keeps its own budget; another address too.
    assert scan(token, "n-4").status_code == 200
    assert scan(bogus[0], "n-5", REMOTE_ADDR=OTHER_ADDRESS).status_code == 401
    assert Scan.objects.count() == 1


def test_a_gate_request_looks_its_device_up_once(client, limits, monkeypatch):
    """The limit's key finds the device; the gate API's authentication takes it from there."""
    limits("api-v1:gate_scan", "5/m")
    today = timezone.localdate()
    expo = make_expo(start_date=today, end_date=today)
    device, token = tickets.gate_device_create(expo=expo, actor=None, name="Gerbang A")
    looked_up = []
    real = tickets.gate_device_for_token

    def counted(token):
        looked_up.append(token)
        return real(token)

    monkeypatch.setattr(tickets, "gate_device_for_token", counted)
    response = client.post(
        "/api/v1/gate/scan",
        {"code": "GLR1.x", "direction": "entry", "nonce": "n-1"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    assert Scan.objects.get().device == device  # the scan is the looked-up device's
    assert looked_up == [token]


# --- the booth's till -------------------------------------------------------------------


def test_pos_sales_per_user(limits):
    limits("api-v1:pos_sales", "2/m")
    world = build_expo()
    make_payment_settings(exhibitor=world.batik)
    cashiers = []
    for email in ("kasir1@batik.test", "kasir2@batik.test"):
        user = make_user(email=email)
        make_exhibitor_member(exhibitor=world.batik, user=user, role="staff")
        client = Client()
        client.force_login(user)
        cashiers.append(client)
    url = f"/api/v1/pos/{world.batik.slug}/{world.expo.slug}/sales"

    def sell(client, key):
        body = {
            "client_key": key,
            "lines": [{"product_id": world.shirt.pk, "quantity": 1}],
            "payment_method": "cash",
            "cash_given": 150000,
            "total": 150000,
        }
        return client.post(url, json.dumps(body), content_type="application/json")

    first, second = cashiers
    assert [sell(first, "t-1").status_code, sell(first, "t-2").status_code] == [201, 201]
    assert_json_429(sell(first, "t-3"))
    # The same address (the booth's Wi-Fi), another cashier: still selling.
    assert sell(second, "t-4").status_code == 201
    assert sorted(PosSale.objects.values_list("client_key", flat=True)) == ["t-1", "t-2", "t-4"]


# --- the expo's public forms ---------------------------------------------------------------


def test_inquiry_form_per_client_address(client, limits):
    limits("public:inquiry_new", "2/m")
    world = build_expo()
    url = f"/expo/{world.expo.slug}/stan/{world.batik.slug}/grosir/"
    assert [client.post(url, {}).status_code for _ in range(2)] == [400, 400]
    assert_page_429(client.post(url, {}))
    assert client.get(url).status_code == 200
    assert Inquiry.objects.count() == 0


def test_visit_beacon_per_visitor(client, limits):
    limits("public:visit", "2/m")
    world = build_expo()
    url = f"/expo/{world.expo.slug}/jejak/"
    # The first beacon has no cookie yet (counted on the address) and sets it; from
    # then on the visitor's cookie is counted.
    assert client.post(url).status_code == 204
    assert [client.post(url).status_code for _ in range(2)] == [204, 204]
    assert client.post(url).status_code == 429
    # Another visitor behind the same carrier address is not refused.
    neighbour = Client()
    assert [neighbour.post(url).status_code for _ in range(3)] == [204, 204, 204]


def test_limits_switched_off(client, limits, settings):
    limits("public:visit", "1/m")
    settings.RATELIMIT_ENABLE = False
    world = build_expo()
    url = f"/expo/{world.expo.slug}/jejak/"
    assert [client.post(url).status_code for _ in range(3)] == [204, 204, 204]


def test_a_cache_that_fails_lets_requests_through(client, limits, monkeypatch):
    limits("public:visit", "1/m")
    world = build_expo()

    def broken(*args, **kwargs):
        raise ConnectionError("Redis away")

    monkeypatch.setattr("gelar.ops.ratelimits.get_usage", broken)
    url = f"/expo/{world.expo.slug}/jejak/"
    assert [client.post(url).status_code for _ in range(3)] == [204, 204, 204]


# --- sign-in: allauth's limits, our page -----------------------------------------------------


def test_sign_in_limit_answers_with_the_429_page(client, limits, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    make_user(email="siti@batik.test")
    attempt = {"login": "siti@batik.test", "password": "salah-sandi"}
    assert [client.post("/akun/login/", attempt).status_code for _ in range(2)] == [200, 200]
    assert_page_429(client.post("/akun/login/", attempt))


def test_sign_in_and_codes_are_limited_by_allauth(settings):
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits["login"] == "30/m/ip"
    assert limits["login_failed"] == "10/m/ip,5/300s/key"
    assert limits["signup"] == "20/m/ip"
    assert limits["reset_password"] == "20/m/ip,5/m/key"
    assert limits["verify_phone"] == "1/30s/key,10/h/key,3/m/ip"
    assert limits["request_login_code"] == "20/m/ip,3/m/key,10/h/key"


def test_sms_codes_to_one_number_stop_at_ten_an_hour(rf, monkeypatch):
    """SMS pumping: a script asking codes for one number from ever new addresses, at
    allauth's pace (one per 30 s), gets ten an hour; the number's owner gets the next
    one an hour after the first."""
    from types import SimpleNamespace

    from allauth.core import ratelimit
    from allauth.core.internal import ratelimit as internals

    clock = [1_800_000_000.0]
    clock_only = SimpleNamespace(time=lambda: clock[0], monotonic=time.monotonic)
    monkeypatch.setattr(internals, "time", clock_only)
    cache.clear()

    def ask(address: str) -> bool:
        request = rf.post("/akun/signup/", REMOTE_ADDR=address)
        return ratelimit.consume(request, action="verify_phone", key="+6281234567890")

    sent = []
    for i in range(11):
        sent.append(ask(f"198.51.100.{i}"))
        clock[0] += 31
    assert sent == [True] * 10 + [False]
    clock[0] = 1_800_000_000.0 + 3600 + 1
    assert ask("198.51.100.200") is True
    cache.clear()


def test_checkouts_count_per_session_and_chat_per_viewer_not_per_shared_address(rf, db):
    from django.contrib.sessions.backends.db import SessionStore

    from gelar.live.services import VIEWER_COOKIE

    # Thousands of phones share a carrier's address: each buyer's session is counted.
    request = rf.post("/")
    request.session = SessionStore()
    request.session.create()
    assert by_session("g", request) == f"session:{request.session.session_key}"
    neighbour = rf.post("/")
    neighbour.session = SessionStore()
    neighbour.session.create()
    assert by_session("g", neighbour) != by_session("g", request)
    # No session yet: the address.
    bare = rf.post("/")
    bare.session = SessionStore()
    assert by_session("g", bare) == by_client("g", bare)
    # A viewer by their cookie (hashed), else the address.
    viewer = rf.post("/")
    viewer.COOKIES[VIEWER_COOKIE] = "k" * 43
    assert by_viewer("g", viewer).startswith("viewer:") and "k" * 43 not in by_viewer("g", viewer)
    assert by_viewer("g", rf.post("/")) == by_client("g", rf.post("/"))
