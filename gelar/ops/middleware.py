"""The operations endpoints: /healthz, /readyz and /metrics (gelar.ops.metrics).

They are answered here, first in the middleware stack, so that a probe never meets
what the site's pages need: no host check (a load balancer probes 127.0.0.1:8001,
not gelar.example.id), no HTTPS redirect (probes speak plain HTTP to the app), no
session, CSRF or locale, no cookie set. Only the request observer (request id,
access log, request metrics) runs before.
"""

import json

from django.http import HttpRequest, HttpResponse

from gelar.ops import health, metrics

_READ = ("GET", "HEAD")


def _plain(body: str, *, status: int = 200, content_type: str = "text/plain; charset=utf-8"):
    response = HttpResponse(body, status=status, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


def _not_read(request: HttpRequest) -> HttpResponse | None:
    if request.method in _READ:
        return None
    response = _plain("", status=405)
    response["Allow"] = ", ".join(_READ)
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches nothing else, so a database outage never
    gets the app processes restarted (that would not bring the database back)."""
    return _not_read(request) or _plain("ok")


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when the database (and Redis, if configured) answer, else 503."""
    if refused := _not_read(request):
        return refused
    ready, statuses = health.readiness()
    return _plain(
        json.dumps(statuses), status=200 if ready else 503, content_type="application/json"
    )


def metrics_view(request: HttpRequest) -> HttpResponse | None:
    """The metrics for the monitoring system; None (the site's 404) for anyone else."""
    if not metrics.scrape_allowed(request):
        return None
    return _not_read(request) or _plain(
        metrics.exposition().decode(), content_type=metrics.CONTENT_TYPE
    )


ENDPOINTS = {
    "/healthz": ("healthz", healthz),
    "/readyz": ("readyz", readyz),
    "/metrics": ("metrics", metrics_view),
}


def ops_endpoints(get_response):
    def middleware(request: HttpRequest) -> HttpResponse:
        found = ENDPOINTS.get(request.path_info.rstrip("/") or "/")
        response = found[1](request) if found else None
        if response is None:
            return get_response(request)
        request.ops_route = found[0]  # the request metrics' route label
        return response

    return middleware
