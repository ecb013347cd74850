"""The gate API: device tokens, the ticket list, online scans and the offline sync."""

import datetime
import json

import pytest
from django.utils import timezone

from gelar.testing import make_expo
from gelar.tickets import services as s
from gelar.tickets.models import Scan, Ticket, TimeSlot, secret_hash

pytestmark = pytest.mark.django_db

URLS = ["/api/v1/gate/tickets", "/api/v1/gate/scan", "/api/v1/gate/sync"]


@pytest.fixture
def gate():
    """An expo running today, a slot open now, a ticket and two gate devices."""
    now = timezone.now()
    today = now.date()
    expo = make_expo(start_date=today, end_date=today + datetime.timedelta(days=1))
    slot = TimeSlot.objects.create(
        expo=expo,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=2),
        capacity=10,
    )
    ticket, secret = s.register_for_slot(slot=slot, holder_name="Siti", whatsapp="081234567890")
    gate_a, token_a = s.gate_device_create(expo=expo, actor=None, name="Gerbang A")
    gate_b, token_b = s.gate_device_create(expo=expo, actor=None, name="Gerbang B")
    return {
        "expo": expo,
        "ticket": ticket,
        "code": s.ticket_code(secret),
        "a": (gate_a, token_a),
        "b": (gate_b, token_b),
    }


def post(client, url, token, body):
    return client.post(
        url,
        data=body if isinstance(body, str | bytes) else json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def get(client, url, token):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("url", URLS)
def test_no_unknown_or_revoked_token_is_a_401(client, gate, url):
    device, token = gate["a"]
    s.gate_device_revoke(device=device, actor=None)
    for headers in (
        {},
        {"HTTP_AUTHORIZATION": "Bearer " + "x" * 43},
        {"HTTP_AUTHORIZATION": f"Bearer {token}"},
        {"HTTP_AUTHORIZATION": f"Token {gate['b'][1]}"},
    ):
        if url.endswith("tickets"):
            response = client.get(url, **headers)
        else:
            response = client.post(url, data="{}", content_type="application/json", **headers)
        assert response.status_code == 401, headers
        assert response.json()["detail"]
    assert Scan.objects.count() == 0


def test_the_ticket_list_has_hashes_for_the_devices_expo_only(client, gate):
    other = make_expo()
    other_slot = TimeSlot.objects.create(
        expo=other,
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
        capacity=1,
    )
    s.register_for_slot(slot=other_slot, holder_name="Orang lain", email="x@example.com")

    body = get(client, "/api/v1/gate/tickets", gate["a"][1]).json()

    assert body["expo"] == {
        "slug": gate["expo"].slug,
        "name": gate["expo"].name,
        "time_zone": "Asia/Jakarta",
        # Offline, a guest's ticket (no slot) holds on these days only.
        "start_date": gate["expo"].start_date.isoformat(),
        "end_date": gate["expo"].end_date.isoformat(),
    }
    assert body["device"] == "Gerbang A"
    assert [t["h"] for t in body["tickets"]] == [gate["ticket"].secret_hash]
    assert body["tickets"][0]["name"] == "Siti"
    assert gate["code"][5:] not in json.dumps(body)


def test_an_online_scan_admits_then_the_other_gate_says_already_used(client, gate):
    first = post(client, "/api/v1/gate/scan", gate["a"][1], {"code": gate["code"], "nonce": "1"})
    second = post(
        client,
        "/api/v1/gate/scan",
        gate["b"][1],
        {"code": gate["code"], "nonce": "1", "direction": "entry"},
        # the same nonce on another device is another scan
    )
    repeat = post(client, "/api/v1/gate/scan", gate["a"][1], {"code": gate["code"], "nonce": "1"})

    assert first.status_code == second.status_code == repeat.status_code == 200
    assert (first.json()["result"], first.json()["ok"]) == ("admitted", True)
    assert first.json()["ticket"] == {
        "number": gate["ticket"].number,
        "holder_name": "Siti",
        "kind": "public",
    }
    body = second.json()
    assert (body["result"], body["ok"]) == ("already_used", False)
    assert body["first_admission"]["gate"] == "Gerbang A"
    assert body["reason"].startswith("Already used at Gerbang A at ") or body["reason"].startswith(
        "Sudah dipakai di Gerbang A pukul "
    )
    assert repeat.json() == first.json()
    assert Scan.objects.count() == 2
    assert Ticket.objects.get(pk=gate["ticket"].pk).admitted_gate == gate["a"][0]


def test_an_online_exit_and_reentry(client, gate):
    token = gate["a"][1]
    post(client, "/api/v1/gate/scan", token, {"code": gate["code"], "nonce": "1"})

    out = post(
        client,
        "/api/v1/gate/scan",
        token,
        {"code": gate["code"], "nonce": "2", "direction": "exit"},
    )
    back = post(client, "/api/v1/gate/scan", token, {"code": gate["code"], "nonce": "3"})

    assert (out.json()["result"], back.json()["result"]) == ("exited", "admitted")
    assert s.occupancy(expo=gate["expo"])["inside"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {"nonce": "1"},
        {"code": "GLR1.x"},
        {"code": "x" * 5000, "nonce": "1"},
        {"code": "GLR1.x", "nonce": "a b"},
        {"code": "GLR1.\u0000", "nonce": "1"},
        {"code": ["GLR1.x"], "nonce": "1"},
        {"code": "GLR1.x", "nonce": "1", "direction": "up"},
    ],
)
def test_malformed_scans_are_422_and_store_nothing(client, gate, body):
    response = post(client, "/api/v1/gate/scan", gate["a"][1], body)

    assert response.status_code == 422
    assert response.json()["detail"]
    assert Scan.objects.count() == 0


def test_tampered_random_and_foreign_codes_are_refused(client, gate):
    other = make_expo()
    slot = TimeSlot.objects.create(
        expo=other,
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
        capacity=1,
    )
    _ticket, foreign = s.register_for_slot(slot=slot, holder_name="Lain", email="l@example.com")
    secret = gate["code"][5:]
    tampered = "GLR1." + secret[:-2] + ("AA" if not secret.endswith("AA") else "BB")
    codes = [tampered, "random-string", s.ticket_code(foreign)]

    results = [
        post(client, "/api/v1/gate/scan", gate["a"][1], {"code": c, "nonce": f"n{i}"}).json()
        for i, c in enumerate(codes)
    ]

    assert [(r["result"], r["ok"], r["ticket"]) for r in results] == [
        ("unknown", False, None),
        ("unknown", False, None),
        ("other_expo", False, None),
    ]
    assert Ticket.objects.filter(admitted_at__isnull=False).count() == 0


def test_sync_records_each_item_and_a_repeat_changes_nothing(client, gate):
    when = (timezone.now() - datetime.timedelta(minutes=10)).isoformat()
    batch = {
        "scans": [
            {"nonce": "q1", "code": gate["code"], "direction": "entry", "scanned_at": when},
            {"nonce": "q2", "code": "junk", "scanned_at": when},
            {"code": gate["code"], "scanned_at": when},
            {"nonce": "q3", "code": gate["code"], "scanned_at": "besok"},
        ]
    }

    first = post(client, "/api/v1/gate/sync", gate["b"][1], batch)
    again = post(client, "/api/v1/gate/sync", gate["b"][1], batch)

    assert first.status_code == again.status_code == 200
    results = first.json()["results"]
    assert [(r["index"], r["nonce"], r["result"]) for r in results] == [
        (0, "q1", "admitted"),
        (1, "q2", "unknown"),
        (2, None, "rejected"),
        (3, "q3", "rejected"),
    ]
    assert again.json() == first.json()
    assert Scan.objects.count() == 2
    assert Ticket.objects.get(pk=gate["ticket"].pk).admitted_gate == gate["b"][0]


def test_sync_refuses_bodies_that_are_not_a_batch(client, gate):
    token = gate["a"][1]
    too_many = {"scans": [{"nonce": str(i), "code": "x", "scanned_at": "x"} for i in range(1001)]}

    assert post(client, "/api/v1/gate/sync", token, too_many).status_code == 413
    assert post(client, "/api/v1/gate/sync", token, "{not json").status_code == 400
    assert post(client, "/api/v1/gate/sync", token, {"scans": "all"}).status_code == 422
    assert post(client, "/api/v1/gate/sync", token, [1, 2]).status_code == 422
    assert Scan.objects.count() == 0


def test_a_deeply_nested_body_is_a_400(client, gate):
    response = post(client, "/api/v1/gate/sync", gate["a"][1], "[" * 10_000)

    assert response.status_code == 400
    assert response.json()["detail"]
    assert Scan.objects.count() == 0


def test_sync_takes_the_devices_verdict(client, gate):
    when = (timezone.now() - datetime.timedelta(minutes=10)).isoformat()
    batch = {
        "scans": [
            {"nonce": "r", "code": gate["code"], "scanned_at": when, "verdict": "refused"},
            {"nonce": "a", "code": gate["code"], "scanned_at": when, "verdict": "admitted"},
            {"nonce": "x", "code": gate["code"], "scanned_at": when, "verdict": 1},
        ]
    }

    response = post(client, "/api/v1/gate/sync", gate["a"][1], batch)

    assert [(r["nonce"], r["result"]) for r in response.json()["results"]] == [
        ("r", "refused_offline"),
        ("a", "admitted"),
        ("x", "rejected"),
    ]
    assert Scan.objects.count() == 2


def test_an_online_scan_reusing_a_nonce_for_another_code_is_a_422(client, gate):
    token = gate["a"][1]
    assert (
        post(client, "/api/v1/gate/scan", token, {"code": gate["code"], "nonce": "n"}).json()[
            "result"
        ]
        == "admitted"
    )

    response = post(client, "/api/v1/gate/scan", token, {"code": "GLR1.junk", "nonce": "n"})

    assert response.status_code == 422
    assert Scan.objects.count() == 1


def test_the_device_token_is_stored_hashed(gate):
    device, token = gate["a"]
    assert device.token_hash == secret_hash(token)
    assert token not in str(list(type(device).objects.values()))
