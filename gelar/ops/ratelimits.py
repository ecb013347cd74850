"""Rate limits on what a script could flood, in one table (django-ratelimit).

The middleware looks up the matched URL pattern's name in LIMITS; a request over its
budget gets 429 with Retry-After and a message in the request's language -- the 429
page, or JSON {"detail", "code", "retry_after"} under /api/ -- and never reaches the
view. Sign-in, sign-up and the codes sent by SMS or email are allauth's
(ACCOUNT_RATE_LIMITS); allauth answers its refusals with the same 429 page.

The counters live in the default cache: Redis in production, shared by every app
process; per process in the embedded set-up, where each process then counts on its
own. When the cache cannot be reached the request goes through (fail open): a Redis
outage must not stop the checkout, and the domain's own limits still hold (chat flood
control, one inquiry budget per buyer, stock under lock).

Budgets per client address are generous: a carrier puts many phones behind one
address (gelar.common.throttle), and a stand's visitors may share the venue's Wi-Fi.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from gelar.common import throttle

log = logging.getLogger(__name__)


def by_client(group: str, request: HttpRequest) -> str:
    """The client's address (its /64 for IPv6), behind the proxies we trust."""
    return f"ip:{throttle.client_key(request)}"


def by_user(group: str, request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return by_client(group, request)


def by_session(group: str, request: HttpRequest) -> str:
    """The visitor's session (a checkout always has one: the cart lives in it), else the
    address. Not the address first: thousands of phones share one carrier address."""
    key = request.session.session_key if hasattr(request, "session") else None
    return f"session:{key}" if key else by_client(group, request)


def by_viewer(group: str, request: HttpRequest) -> str:
    """A live viewer, by the key in their cookie (hashed), else the address."""
    from gelar.live import services as live

    key = request.COOKIES.get(live.VIEWER_COOKIE, "")
    if not key:
        return by_client(group, request)
    return "viewer:" + hashlib.sha256(key.encode()).hexdigest()


def by_visitor(group: str, request: HttpRequest) -> str:
    """An online visitor, by their (signed) visitor cookie, else the address."""
    key = request.COOKIES.get("gelar_vid", "")
    if not key:
        return by_client(group, request)
    return "visitor:" + hashlib.sha256(key.encode()).hexdigest()


# Where by_device leaves (token, device or None) for the gate API's authentication, which
# then does not look the same token up again (gelar.api.v1_gate.GateToken).
GATE_DEVICE_CHECKED = "gelar_gate_device_checked"


def by_device(group: str, request: HttpRequest) -> str:
    """A gate device, when its bearer token is an active device's (the gate API's own
    check: the device and its expo by the token's hash); else the address: a script that
    makes up a new token for each request must not get a fresh budget with each."""
    from gelar.tickets import services as tickets

    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    device = tickets.gate_device_for_token(token) if scheme.lower() == "bearer" else None
    setattr(request, GATE_DEVICE_CHECKED, (token, device))
    if device is None:
        return by_client(group, request)
    return f"device:{device.pk}"


@dataclass(frozen=True)
class Limit:
    rate: str  # django-ratelimit's "count/period", e.g. "20/m"
    key: object  # by_client, by_user or by_device
    methods: tuple[str, ...] = ("POST",)


LIMITS: dict[str, Limit] = {
    # A buyer checks out a few times at most; a script hammering stock is not a buyer.
    # Per session: behind a carrier's NAT a flash sale's buyers share one address.
    "shop:checkout": Limit("20/m", by_session),
    "api-v1:checkout_create": Limit("20/m", by_session),
    # The socket path has its own flood control (live.chat: 5 per 10 s per viewer);
    # over HTTP each viewer is counted by their cookie. New viewers are counted per
    # address, generously: a stream's audience may share a carrier's address.
    "api-v1:live_chat": Limit("30/m", by_viewer),
    "api-v1:live_viewer": Limit("120/m", by_client),
    # A busy gate scans one person a second; 600/min leaves room for a queue's rush.
    "api-v1:gate_scan": Limit("600/m", by_device),
    "api-v1:gate_sync": Limit("60/m", by_device),
    # A till rings up a sale every few seconds at most; a sync sends queued sales in one.
    "api-v1:pos_sales": Limit("120/m", by_user),
    "api-v1:pos_sync": Limit("30/m", by_user),
    # reports.services keeps each buyer's inquiries per booth; this is the address's.
    "public:inquiry_new": Limit("10/m", by_client),
    # One beacon per page a visitor opens: per visitor (their cookie), so that the
    # visitors behind one carrier address are not counted as one; the beacon has its
    # own budget of new visitors per address (public.views_visit).
    "public:visit": Limit("120/m", by_visitor),
}


def too_many_requests(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    message = _("Too many requests in a short time. Please wait a moment and try again.")
    if request.path_info.startswith("/api/"):
        body = {"detail": message, "code": "rate_limited", "retry_after": retry_after}
        response = JsonResponse(body, status=429)
    else:
        response = render(request, "429.html", status=429)  # the same message
    response["Retry-After"] = str(retry_after)
    return response


def allauth_too_many_requests(request: HttpRequest) -> HttpResponse:
    """gelar.urls.handler429, which allauth answers its own limits with (sign-in,
    sign-up, codes): the same page; allauth does not say when its window ends."""
    return too_many_requests(request, retry_after=60)


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        limit = LIMITS.get(match.view_name) if match else None
        if limit is None or request.method not in limit.methods:
            return None
        try:
            usage = get_usage(
                request,
                group=match.view_name,
                key=limit.key,
                rate=limit.rate,
                method=list(limit.methods),
                increment=True,
            )
        except Exception:
            # The cache away, or the database for by_device's lookup: fail open.
            log.warning("rate limit of %s not checked", match.view_name, exc_info=True)
            return None
        if usage is None or not usage["should_limit"]:
            return None
        log.info("rate limit of %s reached", match.view_name)
        return too_many_requests(request, retry_after=max(int(usage["time_left"]), 1))
