"""The request observer: the outermost middleware.

For every HTTP request: a request id (X-Request-ID from the proxy, or a new one) for
the logs and the response header; one access line on the "gelar.request" logger;
the request metrics (count and duration by route). Health probes that pass are
logged at DEBUG: a probe every few seconds per process would bury the real traffic.
"""

import logging
import time

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

from gelar.common.text import log_escaped
from gelar.ops import logs, metrics

access_log = logging.getLogger("gelar.request")

_PROBES = {"healthz", "readyz"}


def route_of(request: HttpRequest) -> str:
    """The route label: the URL pattern's name ("public:booth"), never the path itself,
    so a metric has as many series as the site has routes, not as it has URLs."""
    route = getattr(request, "ops_route", None)
    if route:
        return route
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unnamed"


def _forget_request_id(**kwargs) -> None:
    logs.request_id.set("-")


# The id stays set until the response is closed, not only until this middleware
# returns: Django logs "Not Found: ..." and other 4xx/5xx lines after the middleware
# chain, and the server's close() (request_finished) comes after that.
request_finished.connect(_forget_request_id, dispatch_uid="gelar.ops.forget_request_id")


def request_observer(get_response):
    def middleware(request: HttpRequest) -> HttpResponse:
        rid = logs.request_id_from(request.headers.get("X-Request-ID"))
        logs.request_id.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        response = get_response(request)
        elapsed = time.perf_counter() - started
        response["X-Request-ID"] = rid
        route = route_of(request)
        metrics.request_observed(
            method=request.method, route=route, status=response.status_code, seconds=elapsed
        )
        quiet = route in _PROBES and response.status_code < 400
        duration_ms = round(elapsed * 1000, 1)
        path = log_escaped(request.path)
        access_log.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %s %.1f ms",
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": path,
                "route": route,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response

    return middleware
