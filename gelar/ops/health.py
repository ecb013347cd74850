"""Readiness checks: can this process serve a request that needs its services?

Each check answers "ok", "failed" or "not configured" and never raises: a readiness
probe that crashes is as useless as one that lies. Failures are logged with their
cause; the HTTP answer says only which service failed.
"""

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


def redis_status() -> str:
    """PING the Redis of REDIS_URL (cache, channel layer, task broker), if there is one."""
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    timeout = settings.HEALTH_REDIS_TIMEOUT
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
    )
    try:
        answered = client.ping()
    except (redis.RedisError, OSError):
        log.warning("readiness: Redis does not answer", exc_info=True)
        return FAILED
    finally:
        client.close()
    return OK if answered else FAILED


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready, {service: status}): ready when no configured service failed."""
    statuses = {"database": database_status(), "redis": redis_status()}
    return FAILED not in statuses.values(), statuses
