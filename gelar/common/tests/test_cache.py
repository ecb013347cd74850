"""The Redis cache while Redis is away (gelar.common.cache): an empty cache that keeps
nothing, never an error, and a checkout still goes through. Redis "away" is a port of
127.0.0.1 where nothing listens (connection refused), as when the server is stopped;
bench/drills/redis_down.sh stops a real one under traffic."""

import json
import logging
import socket

import pytest

from gelar.common import cache as forgiving
from gelar.common.cache import ForgivingRedisCache
from gelar.orders.models import Checkout
from gelar.testing import accept_every_payment, build_expo


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends


@pytest.fixture
def away():
    forgiving._warned_at = float("-inf")
    return f"redis://127.0.0.1:{closed_port()}/0"


def test_an_unreachable_redis_answers_as_an_empty_cache(away, caplog):
    cache = ForgivingRedisCache(away, {"OPTIONS": {"socket_connect_timeout": 1}})

    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    cache.set("k", 1)
    assert cache.add("k", 1) is True  # callers go on as if nobody did it before
    assert cache.incr("visits", 5) == 5
    assert cache.decr("visits", 2) == -2
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.has_key("k") is False
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    cache.delete_many(["a", "b"])
    assert cache.get_or_set("k", 7) == 7

    warnings = [r for r in caplog.records if r.name == "gelar.common.cache"]
    assert len(warnings) == 1  # at most one every 10 s
    assert warnings[0].levelno == logging.WARNING
    assert warnings[0].getMessage().startswith("Redis cache unreachable (get): Error ")


def test_other_redis_errors_are_raised(away, monkeypatch):
    from redis.exceptions import ResponseError

    cache = ForgivingRedisCache(away, {})

    def wrong_type(*args, **kwargs):
        raise ResponseError("WRONGTYPE Operation against a key holding the wrong kind of value")

    monkeypatch.setattr(cache._cache, "get", wrong_type)
    with pytest.raises(ResponseError):
        cache.get("k")


@pytest.mark.django_db
def test_a_checkout_goes_through_while_redis_is_away(
    away, client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {"BACKEND": "gelar.common.cache.ForgivingRedisCache", "LOCATION": away}
    }
    world = accept_every_payment(build_expo())
    data = {
        "buyer": {"name": "Rina Kusuma", "whatsapp": "0812 3456 7890", "email": "rina@example.com"},
        "lines": [{"product_id": world.shirt.pk, "quantity": 1}],
        "booths": [
            {
                "exhibitor": world.batik.slug,
                "delivery": {"method": "pickup"},
                "payment_method": "qris",
            }
        ],
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/expos/{world.expo.slug}/checkout",
            json.dumps(data),
            content_type="application/json",
            headers={"Idempotency-Key": "redis-away-1"},
        )

    assert response.status_code == 201
    assert Checkout.objects.get().token == response.json()["token"]
    # The mail's send-once guard is in the cache: without it, the mail still goes.
    assert [m.to for m in mailoutbox] == [["rina@example.com"]]
