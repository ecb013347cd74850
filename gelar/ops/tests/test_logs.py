"""Request ids, the access line, and the JSON log format."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gelar.ops import logs
from gelar.ops.logs import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parents[3]
HEX32 = re.compile(r"[0-9a-f]{32}")


def access_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "gelar.request"]


@pytest.mark.django_db
def test_one_access_line_per_request_with_the_proxy_s_request_id(client, caplog):
    caplog.set_level(logging.INFO, logger="gelar.request")
    response = client.get("/tidak-ada/?q=rahasia", HTTP_X_REQUEST_ID="nginx-4f2a-01")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "nginx-4f2a-01"
    (line,) = access_records(caplog)
    assert line.levelno == logging.INFO
    assert (line.method, line.path, line.route, line.status) == (
        "GET",
        "/tidak-ada/",
        "unmatched",
        404,
    )
    assert line.request_id == "nginx-4f2a-01"
    assert isinstance(line.duration_ms, float) and line.duration_ms >= 0
    # The query string stays out of the log: it may carry what a visitor typed.
    assert line.getMessage() == f"GET /tidak-ada/ 404 {line.duration_ms:.1f} ms"


@pytest.mark.django_db
def test_the_route_is_the_url_pattern_s_name(client, caplog):
    caplog.set_level(logging.INFO, logger="gelar.request")
    client.get("/en/")
    (line,) = access_records(caplog)
    assert (line.path, line.route, line.status) == ("/en/", "public:expo_list", 200)


@pytest.mark.parametrize(
    "given",
    [None, "", "a" * 65, "abc def", "abc\r\nX-Evil: 1", "id;drop", "ünï"],
)
def test_an_unusable_request_id_is_replaced(client, given):
    headers = {} if given is None else {"HTTP_X_REQUEST_ID": given}
    response = client.get("/healthz", **headers)
    assert HEX32.fullmatch(response["X-Request-ID"])


def test_a_sane_request_id_is_kept_up_to_64_characters(client):
    given = "A-z0-9" + "x" * 58
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second


@pytest.mark.django_db
def test_every_record_logged_during_the_request_carries_its_id(client, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    client.get("/tidak-ada/", HTTP_X_REQUEST_ID="req-77")
    # Django's own "Not Found" warning, logged inside the request.
    (warning,) = [r for r in caplog.records if r.name == "django.request"]
    assert warning.getMessage() == "Not Found: /tidak-ada/"
    assert warning.request_id == "req-77"
    # After the request the id is gone.
    record = logging.LogRecord("gelar.x", logging.INFO, __file__, 1, "later", None, None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"


def test_probes_that_pass_are_logged_at_debug(client, caplog):
    caplog.set_level(logging.DEBUG, logger="gelar.request")
    client.get("/healthz")
    (line,) = access_records(caplog)
    assert (line.levelno, line.route, line.status) == (logging.DEBUG, "healthz", 200)


def test_json_formatter_writes_one_object_per_record():
    token = logs.request_id.set("req-9")
    try:
        record = logging.LogRecord(
            "gelar.request", logging.INFO, __file__, 1, "%s %s", ("GET", "/"), None
        )
        record.created = 1_700_000_000.25
        record.method, record.path, record.status, record.duration_ms = "GET", "/", 200, 3.5
        RequestIdFilter().filter(record)
        line = JsonFormatter().format(record)
    finally:
        logs.request_id.reset(token)
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2023-11-14T22:13:20.250+00:00",
        "level": "INFO",
        "logger": "gelar.request",
        "message": "GET /",
        "request_id": "req-9",
        "method": "GET",
        "path": "/",
        "status": 200,
        "duration_ms": 3.5,
    }


def test_json_formatter_keeps_the_traceback_in_the_line():
    try:
        raise ValueError("stok negatif")
    except ValueError:
        record = logging.LogRecord(
            "gelar.orders", logging.ERROR, __file__, 1, "gagal", None, sys.exc_info()
        )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "gagal"
    assert entry["request_id"] == "-"
    assert entry["exception"].startswith("Traceback (most recent call last):")
    assert entry["exception"].endswith("ValueError: stok negatif")


def _log_from_settings(env: dict) -> subprocess.CompletedProcess:
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('gelar.demo').warning('Stok %s habis', 'batik')"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "gelar.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_log_format_json_makes_the_settings_log_json_lines():
    done = _log_from_settings({"LOG_FORMAT": "json"})
    assert done.returncode == 0, done.stderr
    (line,) = done.stderr.splitlines()
    entry = json.loads(line)
    assert {k: v for k, v in entry.items() if k != "time"} == {
        "level": "WARNING",
        "logger": "gelar.demo",
        "message": "Stok batik habis",
        "request_id": "-",
    }


def test_log_format_text_is_the_default():
    done = _log_from_settings({})
    assert done.returncode == 0, done.stderr
    assert done.stderr.rstrip().endswith(" WARNING gelar.demo [-] Stok batik habis")


def test_an_unknown_log_format_stops_the_start():
    done = _log_from_settings({"LOG_FORMAT": "xml"})
    assert done.returncode != 0
    assert "LOG_FORMAT must be text or json, not 'xml'" in done.stderr


def test_a_line_break_in_the_path_cannot_forge_a_log_line(client, caplog):
    caplog.set_level(logging.INFO, logger="gelar.request")
    client.get("/x%0A2026-11-29 ERROR forged")
    (line,) = access_records(caplog)
    assert "\n" not in line.getMessage()
    assert "\\n2026-11-29 ERROR forged" in line.getMessage()
    assert "\n" not in line.path
