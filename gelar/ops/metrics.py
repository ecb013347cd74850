"""Metrics in Prometheus' text format, for GET /metrics.

Two kinds of figures:
- what this process observes (requests by route and status, their durations,
  checkouts refused): prometheus-client counters and histograms. Several app
  processes share them through prometheus-client's multiprocess mode, switched on
  by the environment variable PROMETHEUS_MULTIPROC_DIR (a directory emptied before
  the processes start; docs/deploy.md): each process writes its samples to files
  there and a scrape of any one process sums them all.
- the domain's figures (orders created and paid, booth sales, gate scans by result,
  live sockets open): read from the database and the presence cache at scrape time,
  so every process reports the same truth, across restarts, without bookkeeping.

/metrics is for the monitoring system only: a request from this machine that did
not come through the proxy (no X-Forwarded-For), or one with `Authorization:
Bearer <METRICS_TOKEN>`; anyone else gets the site's 404.
"""

import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.http import HttpRequest
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

log = logging.getLogger(__name__)

CONTENT_TYPE = CONTENT_TYPE_LATEST
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
# Headers a proxy adds: their presence means the request came from outside.
_PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")

HTTP_REQUESTS = Counter(
    "gelar_http_requests",
    "HTTP requests answered, by method, route (URL pattern name) and status.",
    ["method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "gelar_http_request_duration_seconds",
    "Time to answer an HTTP request, by route (URL pattern name).",
    ["route"],
)
CHECKOUT_REFUSALS = Counter(
    "gelar_checkout_refusals",
    "Checkouts refused, by reason (out_of_stock: a line the stock could not cover).",
    ["reason"],
)


def request_observed(*, method: str, route: str, status: int, seconds: float) -> None:
    method = method if method in _METHODS else "other"
    HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    HTTP_DURATION.labels(route=route).observe(seconds)


def checkout_refused(*, reason: str) -> None:
    CHECKOUT_REFUSALS.labels(reason=reason).inc()


class DomainCollector:
    """The domain's figures, read when scraped (a handful of COUNT queries)."""

    def collect(self):
        up = GaugeMetricFamily(
            "gelar_domain_metrics_up", "1 when the domain figures below could be read."
        )
        try:
            families = list(self._families())
        except Exception:
            log.warning("metrics: the domain figures could not be read", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self):
        from django.db.models import Count

        from gelar.live.services import viewers_total
        from gelar.orders.models import Order
        from gelar.pos.models import PosSale
        from gelar.tickets.models import Scan

        by_status = {
            row["status"]: row
            for row in Order.objects.order_by()
            .values("status")
            .annotate(orders=Count("pk"), paid=Count("paid_at"))
        }
        created = CounterMetricFamily("gelar_orders_created", "Orders created (one per booth).")
        created.add_metric([], sum(row["orders"] for row in by_status.values()))
        paid = CounterMetricFamily("gelar_orders_paid", "Orders marked paid, ever.")
        paid.add_metric([], sum(row["paid"] for row in by_status.values()))
        orders = GaugeMetricFamily("gelar_orders", "Orders by current status.", labels=["status"])
        for status in Order.Status.values:
            orders.add_metric([status], by_status.get(status, {}).get("orders", 0))
        sales = CounterMetricFamily("gelar_pos_sales", "Booth (POS) sales recorded.")
        sales.add_metric([], PosSale.objects.count())
        scans = CounterMetricFamily(
            "gelar_gate_scans", "Gate scans recorded, by result.", labels=["result"]
        )
        counted = dict(
            Scan.objects.order_by()
            .values("result")
            .annotate(n=Count("pk"))
            .values_list("result", "n")
        )
        for result in Scan.Result.values:
            scans.add_metric([result], counted.get(result, 0))
        sockets = GaugeMetricFamily(
            "gelar_live_sockets_open", "Live viewer sockets open over every app process."
        )
        sockets.add_metric([], viewers_total())
        return [created, paid, orders, sales, scans, sockets]


class _Scrape:
    """Collectors read together, as generate_latest reads a registry."""

    def __init__(self, *collectors):
        self.collectors = collectors

    def collect(self):
        for collector in self.collectors:
            yield from collector.collect()


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        process = CollectorRegistry()
        multiprocess.MultiProcessCollector(process)
    else:
        process = REGISTRY
    return generate_latest(_Scrape(process, DomainCollector()))


def scrape_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given.removeprefix("Bearer ").encode(), token.encode())
    if any(header in request.headers for header in _PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
