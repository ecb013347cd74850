"""While the database is away, pages and the API answer 503 with Retry-After (never a
500), in the visitor's language; other errors stay 500. bench/drills/pg_restart.sh
restarts a real PostgreSQL under traffic."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.translation import gettext as _

from gelar.common import unavailable

pytestmark = pytest.mark.django_db

DOWN = OperationalError(
    'connection failed: connection to server at "127.0.0.1", port 5433 failed: '
    "Connection refused\n\tIs the server running on that host?"
)


def fail_with(error):
    def failing(*args, **kwargs):
        raise error

    return failing


def test_a_page_answers_503_in_indonesian_while_the_database_is_away(client, monkeypatch, caplog):
    monkeypatch.setattr("gelar.public.views.events.expo_listing", fail_with(DOWN))

    response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    with translation.override("id"):
        assert _("Down for maintenance") in html
        assert _("Please try again in a moment.") in html
    assert [r.getMessage() for r in caplog.records if r.name == "gelar.common.unavailable"] == [
        "Database unavailable, answered 503: GET /: connection failed: connection to server "
        'at "127.0.0.1", port 5433 failed: Connection refused'
    ]


def test_in_english_under_en(client, monkeypatch):
    monkeypatch.setattr("gelar.public.views.events.expo_listing", fail_with(DOWN))
    response = client.get("/en/")
    assert response.status_code == 503
    assert "<h1>Down for maintenance</h1>" in response.content.decode()


def test_the_api_answers_503_as_json(client, monkeypatch):
    monkeypatch.setattr(
        "gelar.api.v1_orders.checkout_for_buyer",
        fail_with(InterfaceError("connection already closed")),
    )

    response = client.get("/api/v1/orders/" + "a" * 43)

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    with translation.override("id"):
        assert response.json() == {
            "detail": _("Down for maintenance: please try again in a moment.")
        }


def test_any_other_error_is_still_a_500(monkeypatch):
    monkeypatch.setattr("gelar.public.views.events.expo_listing", fail_with(RuntimeError("a bug")))
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert not response.has_header("Retry-After")


def test_handler500_answers_503_for_a_database_error_raised_outside_a_view():
    request = RequestFactory().get("/console/")
    try:
        raise DOWN
    except OperationalError:
        response = unavailable.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"

    try:
        raise ValueError("not the database")
    except ValueError:
        response = unavailable.server_error(request)
    assert response.status_code == 500


def test_a_bug_in_a_query_is_a_500_not_a_503():
    from django.db import InterfaceError, OperationalError

    from gelar.common.unavailable import is_transient

    # Away or busy: worth a retry.
    assert is_transient(OperationalError("connection to server at 127.0.0.1 failed"))
    assert is_transient(OperationalError("database is locked"))
    assert is_transient(InterfaceError("connection already closed"))
    # SQLite's OperationalError for a mistake in the code: the 500 page, with its traceback.
    assert not is_transient(OperationalError("no such table: reports_visit"))
    assert not is_transient(OperationalError("no such column: stock"))
    assert not is_transient(OperationalError('near "SELEC": syntax error'))
    assert not is_transient(ValueError("database is locked"))
    assert not is_transient(None)
