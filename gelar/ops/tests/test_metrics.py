"""/metrics: the figures, who may read them, and the multiprocess mode."""

import datetime
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from gelar.live.services import presence_publish
from gelar.orders.services import (
    BuyerInfo,
    DeliveryInfo,
    LineRequest,
    OutOfStock,
    checkout_submit,
    order_mark_paid,
)
from gelar.pos.services import pos_sale_record
from gelar.testing import (
    accept_every_payment,
    at,
    build_expo,
    make_exhibitor_member,
    make_expo,
    make_user,
)
from gelar.tickets import services as tickets
from gelar.tickets.models import TimeSlot

ROOT = Path(__file__).resolve().parents[3]
NOW = at(24, 10)
BUYER = BuyerInfo(name="Rina Kusuma", whatsapp="081234567890", email="rina@example.com")
COURIER = DeliveryInfo(
    method="courier", address="Jl. Hayam Wuruk 5", city="Kota Pekalongan", postal_code="51111"
)


def samples(response) -> dict[tuple[str, frozenset], float]:
    text = response.content.decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict, name: str, **labels) -> float | None:
    return found.get((name, frozenset(labels.items())))


def registry_value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def buy(world, product, quantity, key):
    return checkout_submit(
        expo=world.expo,
        buyer=BUYER,
        lines=[LineRequest(product_id=product.pk, quantity=quantity)],
        idempotency_key=key,
        delivery=COURIER,
        payment_method="qris",
        now=NOW,
    )


@pytest.fixture
def domain(db):
    """Two orders (one paid), a refused checkout, a booth sale, two scans, 9 sockets."""
    world = accept_every_payment(build_expo())
    paid = buy(world, world.shirt, 2, "k-1").orders.get()
    order_mark_paid(order=paid, actor=None)
    snack = world.amplang.products.get()
    buy(world, snack, 1, "k-2")
    with pytest.raises(OutOfStock):
        buy(world, world.shirt, 5, "k-3")  # 1 left

    staff = make_user(email="kasir@batik.test")
    make_exhibitor_member(exhibitor=world.batik, user=staff, role="staff")
    pos_sale_record(
        exhibitor=world.batik,
        expo=world.expo,
        staff=staff,
        client_key="till-1",
        lines=[(world.shirt.pk, 1)],
        payment_method="cash",
        cash_given=150000,
        now=NOW,
    )

    now = timezone.now()
    gate_expo = make_expo(start_date=now.date(), end_date=now.date())
    slot = TimeSlot.objects.create(
        expo=gate_expo,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
        capacity=5,
    )
    _ticket, secret = tickets.register_for_slot(
        slot=slot, holder_name="Siti", whatsapp="081234567890"
    )
    device, _token = tickets.gate_device_create(expo=gate_expo, actor=None, name="Gerbang A")
    code = tickets.ticket_code(secret)
    tickets.scan(device=device, code=code, direction="entry", nonce="n-1")
    tickets.scan(device=device, code=code, direction="entry", nonce="n-2")

    cache.clear()
    presence_publish(counts={101: 3}, process_id="test-a")
    presence_publish(counts={101: 2, 102: 4}, process_id="test-b")
    yield world
    cache.clear()


def test_the_domain_figures(client, domain):
    refused_before = registry_value("gelar_checkout_refusals_total", reason="out_of_stock")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=1.0.0; charset=utf-8"
    found = samples(response)
    assert value(found, "gelar_domain_metrics_up") == 1
    assert value(found, "gelar_orders_created_total") == 2
    assert value(found, "gelar_orders_paid_total") == 1
    by_status = {
        status: value(found, "gelar_orders", status=status)
        for status in ("awaiting_payment", "paid", "processing", "cancelled", "expired")
    }
    assert by_status == {
        "awaiting_payment": 1,
        "paid": 1,
        "processing": 0,
        "cancelled": 0,
        "expired": 0,
    }
    assert value(found, "gelar_pos_sales_total") == 1
    assert value(found, "gelar_gate_scans_total", result="admitted") == 1
    assert value(found, "gelar_gate_scans_total", result="already_used") == 1
    assert value(found, "gelar_gate_scans_total", result="unknown") == 0
    assert value(found, "gelar_live_sockets_open") == 9
    # The refusal was counted when it happened (the fixture), not at the scrape.
    assert value(found, "gelar_checkout_refusals_total", reason="out_of_stock") == refused_before
    assert refused_before >= 1


@pytest.mark.django_db
def test_a_refused_checkout_is_counted_once(client):
    world = accept_every_payment(build_expo())
    before = registry_value("gelar_checkout_refusals_total", reason="out_of_stock")
    with pytest.raises(OutOfStock):
        buy(world, world.shirt, 4, "k-9")  # 3 in stock
    buy(world, world.shirt, 3, "k-10")
    assert registry_value("gelar_checkout_refusals_total", reason="out_of_stock") == before + 1


@pytest.mark.django_db
def test_requests_are_counted_by_route_and_status(client):
    labels = {"method": "GET", "route": "public:expo_list", "status": "200"}
    before = registry_value("gelar_http_requests_total", **labels)
    timed_before = registry_value(
        "gelar_http_request_duration_seconds_count", route="public:expo_list"
    )
    unmatched_before = registry_value(
        "gelar_http_requests_total", method="GET", route="unmatched", status="404"
    )
    client.get("/")
    client.get("/en/")
    client.get("/tidak/ada/sama/sekali/")
    found = samples(client.get("/metrics"))
    assert value(found, "gelar_http_requests_total", **labels) == before + 2
    assert (
        value(found, "gelar_http_request_duration_seconds_count", route="public:expo_list")
        == timed_before + 2
    )
    assert (
        value(found, "gelar_http_requests_total", method="GET", route="unmatched", status="404")
        == unmatched_before + 1
    )


@pytest.mark.django_db
def test_an_odd_method_is_one_label(client):
    before = registry_value(
        "gelar_http_requests_total", method="other", route="healthz", status="405"
    )
    client.generic("BREW", "/healthz")
    after = registry_value(
        "gelar_http_requests_total", method="other", route="healthz", status="405"
    )
    assert after == before + 1


@pytest.mark.django_db
def test_without_the_database_the_request_figures_still_come(client):
    with mock.patch("gelar.orders.models.Order.objects.order_by", side_effect=OperationalError):
        response = client.get("/metrics")
    assert response.status_code == 200
    found = samples(response)
    assert value(found, "gelar_domain_metrics_up") == 0
    assert value(found, "gelar_orders_created_total") is None
    assert any(name == "gelar_http_requests_total" for name, _labels in found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        # Through the proxy: nginx runs on this machine but the client does not.
        {"HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"HTTP_X_REAL_IP": "203.0.113.9"},
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer "},
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer tebakan"},
    ],
)
def test_anyone_else_gets_the_site_s_404(client, settings, headers):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", **headers)
    assert response.status_code == 404
    assert b"gelar_" not in response.content
    assert client.post("/metrics", **headers).status_code == 404


@pytest.mark.django_db
def test_the_token_opens_it_from_anywhere_and_a_wrong_one_does_not(client, settings):
    settings.METRICS_TOKEN = "s3cr3t-token-for-prometheus"
    outside = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    right = client.get(
        "/metrics", HTTP_AUTHORIZATION="Bearer s3cr3t-token-for-prometheus", **outside
    )
    assert right.status_code == 200
    assert b"gelar_http_requests_total" in right.content
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cr3t-token-for-prometheuS")
    assert wrong.status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


def test_multiprocess_mode_sums_the_processes(tmp_path):
    """Two processes count requests into PROMETHEUS_MULTIPROC_DIR; a third's scrape
    reports the sum (and no domain figures: its empty database has no tables)."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prom"),
        "GELAR_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "gelar.settings",
        "DEBUG": "1",
    }
    (tmp_path / "prom").mkdir()
    count = (
        "import django; django.setup(); from gelar.ops import metrics; "
        "[metrics.request_observed(method='GET', route='public:booth', status=200, seconds=0.02)"
        " for _ in range({n})]"
    )
    for n in (2, 3):
        subprocess.run(
            [sys.executable, "-c", count.format(n=n)], cwd=ROOT, env=env, check=True, timeout=60
        )
    scrape = (
        "import django, sys; django.setup(); from gelar.ops import metrics; "
        "sys.stdout.write(metrics.exposition().decode())"
    )
    done = subprocess.run(
        [sys.executable, "-c", scrape],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    found = {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(done.stdout)
        for sample in family.samples
    }
    labels = {"method": "GET", "route": "public:booth", "status": "200"}
    assert value(found, "gelar_http_requests_total", **labels) == 5
    assert value(found, "gelar_http_request_duration_seconds_count", route="public:booth") == 5
    assert value(found, "gelar_domain_metrics_up") == 0
