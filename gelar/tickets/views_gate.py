"""The gate scanner, a web app for the phones and laptops at the venue's gates.

Three responses, none of them personal: the page (the app shell), its service worker
and its web app manifest. The device proves who it is to the JSON API alone
(`Authorization: Bearer <token>`, /api/v1/gate/...), with the token the organizer's
console gave it, which the page keeps in localStorage; so the shell is the same for
every gate and can be cached for offline use. What the scanner does offline is
described in static/js/gate.js.

The service worker is served from /gerbang/sw.js, not from /static/: a worker controls
only the pages under its own path, and the scanner lives under /gerbang/. It is the
booth till's worker too (gelar.common.shell_worker, static/js/shell_worker.js).
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from gelar.common.shell_worker import shell_worker_response

# The static files the scanner needs with no network (paths under STATIC_URL).
SHELL_STATIC = (
    "css/gelar.css",
    "gate/gate.css",
    "js/offline.js",
    "js/gate.js",
    "vendor/jsqr/jsQR.js",
    "gate/icon.svg",
    "gate/icon-192.png",
    "gate/icon-512.png",
)


@require_GET
def gate_scanner(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tickets/gate.html",
        {
            "gate_urls": {
                "tickets": "/api/v1/gate/tickets",
                "scan": "/api/v1/gate/scan",
                "sync": "/api/v1/gate/sync",
                "jsqr": static("vendor/jsqr/jsQR.js"),
                "worker": reverse("gate:worker"),
                "scope": reverse("gate:scanner"),
            },
            "gate_texts": _texts(),
        },
    )


def _texts() -> dict[str, str]:
    """What gate.js says itself (offline answers, states), in the page's language."""
    return {
        "admitted": _("Welcome in"),
        "exited": _("Goodbye"),
        "refused": _("Refused"),
        "offline_note": _("Decided offline; will be synced."),
        "already_used": _("Already used at %(gate)s at %(time)s."),
        "wrong_day": _("Wrong day or time"),
        "cancelled": _("This ticket was cancelled."),
        "unknown": _("Unknown code: not a ticket."),
        "no_list": _("No ticket list on this device yet: connect to the network once."),
        "online": _("Online"),
        "offline": _("Offline: scans are decided on this device and kept for syncing."),
        # The count is known only in the browser: both forms, gate.js picks by count.
        # (literal msgids: makemessages reads them from the calls).
        "list_info_one": ngettext(
            "%(count)s ticket on this device, updated %(time)s",
            "%(count)s tickets on this device, updated %(time)s",
            1,
        ),
        "list_info": ngettext(
            "%(count)s ticket on this device, updated %(time)s",
            "%(count)s tickets on this device, updated %(time)s",
            2,
        ),
        "revoked": _("This device is not paired or was revoked. Ask the organizer for a new code."),
        "bad_token": _("That pairing code is not valid."),
        "server_refused": _("The server refused this scan: %(reason)s"),
        "camera_unavailable": _(
            "The camera cannot be used here. Use a USB scanner or type the code."
        ),
        "camera_start": _("Start camera"),
        "camera_stop": _("Stop camera"),
        "synced": _("Last synced %(time)s"),
    }


@require_GET
@cache_control(no_cache=True)
def gate_worker(request: HttpRequest) -> HttpResponse:
    return shell_worker_response(
        scope=reverse("gate:scanner"),
        manifest=reverse("gate:manifest"),
        static_files=SHELL_STATIC,
        prefix="gate-",
        marker='id="gate-urls"',
    )


@require_GET
@cache_control(max_age=3600)
def gate_manifest(request: HttpRequest) -> JsonResponse:
    scope = reverse("gate:scanner")
    manifest = {
        "name": _("Gelar gate scanner"),
        "short_name": _("Gate"),
        "description": _("Checks visitors' tickets at the venue gates, also offline."),
        "lang": request.LANGUAGE_CODE,
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "orientation": "any",
        "background_color": "#fbf6ec",
        "theme_color": "#1e2a5e",
        "icons": [
            {"src": static("gate/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("gate/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {
                "src": static("gate/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
        ],
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
