"""/healthz and /readyz: answers, failures, and what they must not do."""

import json
import os
import socket
from unittest import mock

import pytest
import redis
from django.db import OperationalError, connections

from gelar.ops import health

# The test settings take ALLOWED_HOSTS from DEBUG; a probe comes with the app's address.
PROBE_HOST = "10.1.2.3:8001"


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nobody listens once the socket is closed


def test_healthz_answers_ok_without_the_database(client):
    # No django_db mark: any query would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_reports_the_database_and_no_redis(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"database": "ok", "redis": "not configured"}


@pytest.mark.django_db
def test_readyz_is_503_naming_the_database_when_it_fails(client, settings):
    settings.REDIS_URL = ""
    broken = mock.patch.object(
        connections["default"], "cursor", side_effect=OperationalError("server closed")
    )
    with broken:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "failed", "redis": "not configured"}


@pytest.mark.django_db
def test_readyz_pings_redis(client, settings):
    if not _redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "redis": "ok"}


@pytest.mark.django_db
def test_readyz_keeps_its_redis_connection_between_probes(client, settings):
    """A checker probes every few seconds from each load balancer: one connection per
    process, not one per probe."""
    if not _redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.REDIS_URL = "redis://127.0.0.1:6379/14"
    health._redis_client.cache_clear()  # a client from an earlier test would count 0
    connect = redis.connection.Connection._connect
    with mock.patch.object(
        redis.connection.Connection, "_connect", autospec=True, side_effect=connect
    ) as opened:
        answers = [client.get("/readyz").status_code for _probe in range(3)]
    assert answers == [200, 200, 200]
    assert opened.call_count == 1


@pytest.mark.django_db
def test_readyz_is_503_naming_redis_when_it_is_down(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "redis": "failed"}


def test_probes_skip_the_site_middleware(client, settings):
    """Any host, plain HTTP with the HTTPS redirect on, no cookie, no locale redirect."""
    settings.ALLOWED_HOSTS = ["gelar.example.id"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz/", HTTP_HOST=PROBE_HOST, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Vary" not in response
    # The same host and scheme on a page: refused, as the site should be.
    assert client.get("/", HTTP_HOST=PROBE_HOST).status_code == 400


def test_probes_only_read(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.head("/healthz").status_code == 200


def test_other_paths_are_the_site_s(client, db):
    assert client.get("/healthzz").status_code == 404
