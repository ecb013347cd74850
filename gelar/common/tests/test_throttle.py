"""gelar.common.throttle: the client's address by allauth's rule, and the budgets."""

import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from gelar.common import throttle


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def request(remote="203.0.113.7", forwarded=None, **headers):
    meta = {"REMOTE_ADDR": remote, **headers}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_trusted_proxy_the_address_is_remote_addr(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    # X-Forwarded-For is the client's own claim then: ignored.
    assert throttle.client_ip(request(forwarded="1.2.3.4")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "198.51.100.20", "198.51.100.20"),
        # What the client wrote further left is not its address.
        (1, "1.2.3.4, 198.51.100.20", "198.51.100.20"),
        (2, "1.2.3.4, 198.51.100.20, 10.0.0.9", "198.51.100.20"),
        # Fewer hops than proxies (a misconfiguration): REMOTE_ADDR, not a 500.
        (2, "198.51.100.20", "203.0.113.7"),
        (1, "not-an-address", ""),
        (1, " 2001:DB8::1 ", "2001:db8::1"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "198.51.100.20:51000", "198.51.100.20"),
    ],
)
def test_behind_trusted_proxies_the_nth_hop_from_the_right(settings, count, forwarded, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count
    assert throttle.client_ip(request(forwarded=forwarded)) == expected


def test_a_trusted_client_ip_header_wins(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert throttle.client_ip(request(HTTP_X_REAL_IP="198.51.100.30")) == "198.51.100.30"
    assert throttle.client_ip(request()) == ""


def test_the_key_is_the_ipv4_address_or_the_ipv6_64(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert throttle.client_key(request()) == "203.0.113.7"
    assert throttle.client_key(request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert throttle.client_key(request("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::/64"
    assert throttle.client_key(request("")) == "unknown"


def test_a_budget_is_spent_then_refused_per_key():
    assert [throttle.take("t:a", limit=3, seconds=60) for _n in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert throttle.take("t:b", limit=3, seconds=60) is True


def test_a_budget_comes_back_when_its_window_ends():
    assert [throttle.take("t:short", limit=1, seconds=1) for _n in range(2)] == [True, False]
    time.sleep(1.1)
    assert throttle.take("t:short", limit=1, seconds=1) is True
