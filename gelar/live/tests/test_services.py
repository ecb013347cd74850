import asyncio
import json

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.utils import translation

from gelar.audit.models import AuditEntry
from gelar.events.models import AgendaSession
from gelar.live import services as live
from gelar.live.broadcast import session_group
from gelar.live.models import LiveState, Pin, ViewerSample
from gelar.orders.services import (
    BuyerInfo,
    DeliveryInfo,
    LineRequest,
    checkout_submit,
    order_cancel,
)
from gelar.testing import accept_every_payment, at, build_expo, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_expo()


@pytest.fixture
def session(world):
    return AgendaSession.objects.select_related("expo__organizer").get(
        expo=world.expo, title="Promosi Produk UMKM oleh Wali Kota"
    )


@pytest.fixture
def host():
    return make_user(email="host@pekalongankota.go.id")


@pytest.fixture(autouse=True)
def clean_presence():
    cache.clear()
    yield
    cache.clear()


def _received(channel: str) -> list[dict]:
    layer = get_channel_layer()
    events = []

    async def drain():
        while True:
            try:
                message = await asyncio.wait_for(layer.receive(channel), 0.05)
            except TimeoutError:
                return
            events.append(json.loads(message["text"]))

    async_to_sync(drain)()
    return events


def _listen(session) -> str:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(session_group(session.pk), channel)
    return channel


def test_pin_shows_the_product_with_its_stock(world, session, host):
    pin = live.live_pin(session=session, product=world.shirt, actor=host, now=at(24, 10, 5))

    assert pin.pinned_at == at(24, 10, 5)
    assert pin.pinned_by == host
    snapshot = live.live_snapshot(session=session)
    assert snapshot["version"] == 1
    assert snapshot["session"] == {"id": session.pk, "title": "Promosi Produk UMKM oleh Wali Kota"}
    assert snapshot["pin"] == {
        "id": pin.pk,
        "product": {
            "id": world.shirt.pk,
            "name": "Kemeja Batik Tulis Sekar Jagad",
            "price": 150000,
            "price_text": "Rp150.000",
            "image": "/media/products/kemeja-batik-tulis-0.jpg",
            "url": f"/expo/{world.expo.slug}/stan/batik-sekar-jagad/kemeja-batik-tulis/",
            "stock": 3,
            "sold_out": False,
            "exhibitor": "Batik Sekar Jagad",
        },
        "buy_url": f"/expo/{world.expo.slug}/keranjang/tambah/",
    }
    assert snapshot["announcement"] == ""
    assert snapshot["chat"] == {"open": True, "slow_mode_seconds": 0}
    assert snapshot["viewers"] == 0
    entry = AuditEntry.objects.get(action="live.pin")
    assert entry.actor == host
    assert entry.organizer == world.expo.organizer
    assert entry.changes == {
        "session": session.pk,
        "product": world.shirt.pk,
        "replaced_pin": None,
        "version": 1,
    }


def test_a_new_pin_replaces_and_closes_the_old_one(world, session, host):
    first = live.live_pin(session=session, product=world.shirt, actor=host, now=at(24, 10, 5))
    second = live.live_pin(session=session, product=world.sold_out, actor=host, now=at(24, 10, 9))

    first.refresh_from_db()
    assert first.unpinned_at == at(24, 10, 9)
    assert Pin.objects.get(pk=second.pk).unpinned_at is None
    state = LiveState.objects.get(session=session)
    assert state.pin == second
    assert state.version == 2
    snapshot = live.live_snapshot(session=session)
    assert snapshot["pin"]["product"]["sold_out"] is True
    assert snapshot["pin"]["product"]["stock"] == 0
    assert AuditEntry.objects.filter(action="live.pin").count() == 2
    assert (
        AuditEntry.objects.get(action="live.pin", object_id=str(second.pk)).changes["replaced_pin"]
        == first.pk
    )


def test_unpin_closes_the_pin_and_bumps_the_version(world, session, host):
    pin = live.live_pin(session=session, product=world.shirt, actor=host, now=at(24, 10, 5))
    live.live_unpin(session=session, actor=host, now=at(24, 10, 20))

    pin.refresh_from_db()
    assert pin.unpinned_at == at(24, 10, 20)
    snapshot = live.live_snapshot(session=session)
    assert snapshot["pin"] is None
    assert snapshot["version"] == 2
    assert AuditEntry.objects.filter(action="live.unpin").count() == 1
    # Nothing pinned: a second unpin changes nothing.
    live.live_unpin(session=session, actor=host, now=at(24, 10, 21))
    assert live.live_snapshot(session=session)["version"] == 2
    assert AuditEntry.objects.filter(action="live.unpin").count() == 1


@pytest.mark.parametrize("which", ["hidden", "applicant", "other_expo"])
def test_only_products_for_sale_in_the_expo_can_be_pinned(world, session, host, which):
    if which == "hidden":
        product = world.hidden
    elif which == "applicant":
        product = world.applicant.products.get()
    else:
        product = build_expo(suffix="-2").shirt

    with translation.override("en"), pytest.raises(live.LiveError) as refused:
        live.live_pin(session=session, product=product, actor=host)

    assert refused.value.code == "product_unavailable"
    assert (
        refused.value.message == "This product is not for sale in this expo and cannot be pinned."
    )
    assert not Pin.objects.exists()
    assert not AuditEntry.objects.filter(action="live.pin").exists()
    assert LiveState.objects.filter(session=session, version__gt=0).count() == 0


def test_announcement_is_one_line_and_bounded(session, host):
    state = live.live_announce(session=session, actor=host, text="  Diskon 10%\n hari ini  ")
    assert state.announcement == "Diskon 10% hari ini"
    assert state.version == 1
    assert live.live_snapshot(session=session)["announcement"] == "Diskon 10% hari ini"

    with pytest.raises(live.LiveError) as refused:
        live.live_announce(session=session, actor=host, text="x" * 301)
    assert refused.value.code == "announcement_too_long"
    assert LiveState.objects.get(session=session).announcement == "Diskon 10% hari ini"

    live.live_announce(session=session, actor=host, text="")
    state = LiveState.objects.get(session=session)
    assert state.announcement == ""
    assert state.version == 2
    assert AuditEntry.objects.filter(action="live.announce").count() == 2


def test_pin_is_broadcast_after_commit_only(
    world, session, host, django_capture_on_commit_callbacks
):
    channel = _listen(session)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        live.live_pin(session=session, product=world.shirt, actor=host)
    assert _received(channel) == []
    # The snapshot is built after commit, then sent (the test's transaction never commits).
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    events = _received(channel)
    assert [(e["type"], e["version"], e["pin"]["product"]["id"]) for e in events] == [
        ("snapshot", 1, world.shirt.pk)
    ]


def test_checkout_and_cancel_push_the_new_stock_of_a_pinned_product(
    world, session, host, django_capture_on_commit_callbacks
):
    accept_every_payment(world)
    live.live_pin(session=session, product=world.shirt, actor=host)
    channel = _listen(session)
    with django_capture_on_commit_callbacks(execute=True):
        checkout = checkout_submit(
            expo=world.expo,
            buyer=BuyerInfo(name="Ayu", whatsapp="081234567890"),
            lines=[LineRequest(product_id=world.shirt.pk, quantity=2)],
            idempotency_key="live-stock-1",
            delivery=DeliveryInfo(method="pickup"),
            payment_method="qris",
        )
    events = _received(channel)
    assert [(e["type"], e["pin"]["product"]["stock"]) for e in events] == [("snapshot", 1)]

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=checkout.orders.get(), actor=None, reason="Salah ukuran")
    events = _received(channel)
    assert [(e["type"], e["pin"]["product"]["stock"]) for e in events] == [("snapshot", 3)]


def test_stock_changed_ignores_products_not_pinned(
    world, session, host, django_capture_on_commit_callbacks
):
    live.live_pin(session=session, product=world.shirt, actor=host)
    channel = _listen(session)
    with django_capture_on_commit_callbacks(execute=True):
        live.stock_changed(product_ids=[world.sold_out.pk])
    assert _received(channel) == []
    with django_capture_on_commit_callbacks(execute=True):
        live.stock_changed(product_ids=[world.shirt.pk])
    assert [e["type"] for e in _received(channel)] == ["snapshot"]


def test_pin_counters(world, session, host):
    pin = live.live_pin(session=session, product=world.shirt, actor=host)
    assert live.pin_clicked(pin_id=pin.pk) is True
    assert live.pin_clicked(pin_id=pin.pk) is True
    assert live.pin_added_to_cart(pin_id=pin.pk) is True
    assert live.pin_clicked(pin_id=pin.pk + 1000) is False
    pin.refresh_from_db()
    assert (pin.clicks, pin.add_to_carts) == (2, 1)


def test_viewers_are_summed_over_processes_and_sampled(session, world):
    other = AgendaSession.objects.get(expo=world.expo, title="Talkshow Batik Naik Kelas")
    live.presence_publish(counts={session.pk: 3, other.pk: 1}, process_id="web-1")
    live.presence_publish(counts={session.pk: 2}, process_id="web-2")

    assert live.viewers_now(session_id=session.pk) == 5
    assert live.viewers_now(session_id=other.pk) == 1
    assert live.live_snapshot(session=session)["viewers"] == 5

    assert live.sample_viewers(now=at(24, 10, 15).replace(second=44)) == 2
    # Another process sampling in the same 30 s window writes nothing more.
    assert live.sample_viewers(now=at(24, 10, 15).replace(second=59)) == 2
    assert list(ViewerSample.objects.values_list("session_id", "at", "viewers")) == [
        (session.pk, at(24, 10, 15).replace(second=30), 5),
        (other.pk, at(24, 10, 15).replace(second=30), 1),
    ]

    # A process that stops publishing stops counting when its key expires.
    cache.delete("live:presence:web-2")
    assert live.viewers_now(session_id=session.pk) == 3


def test_pinning_what_is_pinned_keeps_the_one_pin(world, session, host):
    first = live.live_pin(session=session, product=world.shirt, actor=host)
    again = live.live_pin(session=session, product=world.shirt, actor=host)
    assert again.pk == first.pk
    assert Pin.objects.filter(session=session).count() == 1
    assert live.live_state_of(session=session).version == 1


def test_a_restock_by_the_exhibitor_reaches_the_viewers(
    world, session, host, django_capture_on_commit_callbacks
):
    from gelar.catalog.services import product_set_stock

    live.live_pin(session=session, product=world.shirt, actor=host)
    channel = _listen(session)
    with django_capture_on_commit_callbacks(execute=True):
        product_set_stock(product=world.shirt, actor=host, expected=3, stock=40)
    assert [e["pin"]["product"]["stock"] for e in _received(channel)] == [40]


def test_a_cache_outage_costs_the_count_not_the_pin(world, session, host, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis is away")

    monkeypatch.setattr(live.cache, "get", down)
    pin = live.live_pin(session=session, product=world.shirt, actor=host)
    assert live.live_snapshot(session=session)["viewers"] == 0
    assert live.live_state_of(session=session).pin_id == pin.pk
