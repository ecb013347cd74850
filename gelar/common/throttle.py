"""Budgets against a flood from one client: who the client is (its address, by the
rule allauth applies to sign-in throttling) and a counter per key and time window.

The counters live in the default cache, like allauth's: shared by every worker with
Redis (REDIS_URL), per process with the in-memory cache (each worker then counts on
its own, so the effective budget is multiplied by the worker count).

An address is not a person: a mobile carrier puts many phones behind one address
(carrier-grade NAT), so the budgets kept per address are generous -- a ceiling
against a script, not a limit a crowd of real visitors reaches.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache

# IPv6: one subscriber gets a whole /64 and can rotate addresses inside it, so a
# budget is kept per /64 (allauth's RATE_LIMIT_IPV6_PREFIX default).
IPV6_PREFIX = 64


def client_ip(request) -> str:
    """The client's address, "" when there is none that parses.

    allauth's rule (ALLAUTH_TRUSTED_CLIENT_IP_HEADER, ALLAUTH_TRUSTED_PROXY_COUNT, set
    from TRUSTED_PROXY_COUNT): a header set by a trusted proxy when configured; behind N
    proxies we run, the Nth address from the right of X-Forwarded-For (the one our
    outermost proxy saw -- whatever the client put further left is its own claim);
    otherwise REMOTE_ADDR. Unlike allauth, a header shorter than N falls back to
    REMOTE_ADDR instead of raising: a visitor's request is never a 500.
    """
    header = getattr(settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None)
    if header:
        return _clean(request.headers.get(header, ""))
    count = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.headers.get("X-Forwarded-For", "")
    if count > 0 and forwarded:
        hops = forwarded.split(",")
        if len(hops) >= count:
            return _clean(hops[-count])
    return _clean(request.META.get("REMOTE_ADDR", ""))


def client_key(request) -> str:
    """What a budget is kept for: the client's IPv4 address, or its IPv6 /64 network;
    "unknown" when there is no address (all such clients share one budget)."""
    address = client_ip(request)
    if not address:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return address


def take(key: str, *, limit: int, seconds: int) -> bool:
    """Take one from the budget `key`: at most `limit` in a window of `seconds` opened
    by the first taker. False once it is spent (and the refusal is not counted
    against anything else).

    Atomic without a lock: cache.add opens the window only if none is open, and
    cache.incr is one Redis INCR (the in-memory cache increments under its lock).
    """
    cache.add(key, 0, timeout=seconds)
    try:
        used = cache.incr(key)
    except ValueError:
        # The window closed between the two calls: this taker opens the next one.
        cache.add(key, 1, timeout=seconds)
        used = 1
    return used <= limit


def _clean(value: str) -> str:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51000"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""
