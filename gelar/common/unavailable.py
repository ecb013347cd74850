"""While the database is away -- a restart, a failover, a full connection table -- the
site answers 503 "try again in a moment" with Retry-After, not a 500 error page.

Django raises OperationalError or InterfaceError when it cannot reach PostgreSQL (and
for a locked SQLite file or a deadlock: equally worth a retry). Persistent connections
are checked before reuse (CONN_HEALTH_CHECKS), so the first request after the database
is back reconnects by itself. The middleware turns such an error raised by a view into
the 503 and logs one line; handler500 (gelar/urls.py) does the same for one raised in a
middleware, and leaves every other error to Django's 500 page.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from gelar.common.text import log_escaped

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
DATABASE_ERRORS = (OperationalError, InterfaceError)
# SQLite raises OperationalError for mistakes in the code too (a missing table or
# column, bad SQL): those are bugs, for the 500 page and its traceback, not a 503.
NOT_TRANSIENT = ("no such table", "no such column", "syntax error", "has no column")


def is_transient(exception: BaseException | None) -> bool:
    """A database that is away or busy (worth a retry), not a bug in a query."""
    if not isinstance(exception, DATABASE_ERRORS):
        return False
    message = str(exception).lower()
    return not any(text in message for text in NOT_TRANSIENT)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 page (JSON under /api/), rendered without the database."""
    message = _("Down for maintenance: please try again in a moment.")
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # No request context: its processors would read the user from the database.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_transient(exception):
            return None
        logger.warning(
            "Database unavailable, answered 503: %s %s: %s",
            request.method,
            log_escaped(request.path),
            (str(exception).strip().splitlines() or [""])[0],
        )
        return unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 for a database error raised outside a view, else Django's 500."""
    if is_transient(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request)
