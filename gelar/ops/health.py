"""Readiness checks: can this process serve a request that needs its services?

Each check answers "ok", "failed" or "not configured" and never raises: a readiness
probe that crashes is as useless as one that lies. Failures are logged with their
cause; the HTTP answer says only which service failed.
"""

import functools
import logging

import redis
from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

OK = "ok"
FAILED = "failed"
NOT_CONFIGURED = "not configured"


def database_status() -> str:
    """SELECT 1 on the default database. How long a dead server may take to refuse is
    bounded by the connection's connect_timeout (DB_CONNECT_TIMEOUT)."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
    except Exception:
        log.warning("readiness: the database does not answer", exc_info=True)
        return FAILED
    return OK if row and row[0] == 1 else FAILED


@functools.lru_cache(maxsize=1)
def _redis_client(url: str, timeout: float) -> redis.Redis:
    """The probe's client, one per process: its pool keeps the connection open from one
    probe to the next (checkers probe every few seconds). Keyed by the settings it is
    made from; redis-py's pool starts afresh in a forked child."""
    return redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)


def redis_status() -> str:
    """PING the Redis of REDIS_URL (cache, channel layer), if there is one; a connection
    attempt or an answer waits at most HEALTH_REDIS_TIMEOUT."""
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    client = _redis_client(settings.REDIS_URL, settings.HEALTH_REDIS_TIMEOUT)
    try:
        answered = client.ping()
    except (redis.RedisError, OSError):
        log.warning("readiness: Redis does not answer", exc_info=True)
        return FAILED
    return OK if answered else FAILED


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready, {service: status}): ready when no configured service failed."""
    statuses = {"database": database_status(), "redis": redis_status()}
    return FAILED not in statuses.values(), statuses
