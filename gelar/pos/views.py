"""The booth's till (/umkm/<slug>/kasir/<expo>/) and the buyer's receipt (/struk/<token>/).

The till is a web app for the phone at the booth: static/js/pos.js does the selling,
through the JSON API (/api/v1/pos/<exhibitor>/<expo>/...: catalogue, sales, sync; the
session and CSRF header of a team member). These views serve its shell, its service
worker and manifest, and the dynamic QRIS of a total (which needs the exhibitor's static
code and the QR encoder, both on the server). What the till does offline is described in
static/js/pos.js.

Like the API, the page finds its booth through gelar.pos.selectors.pos_booth (a team
member, an accepted venue booth in that expo): anyone else gets a 404. The worker and the
manifest are the exceptions: they hold nothing but this URL's own path and the static
files (no data, no lookup), so that the browser can fetch them however it asks.

The receipt is public to whoever holds its unguessable token (the buyer, by WhatsApp).
"""

import re
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from gelar.common.shell_worker import shell_worker_response
from gelar.events.models import Expo
from gelar.exhibitors.access import TEAM_ROLES, exhibitor_for_member
from gelar.exhibitors.models import Exhibitor
from gelar.payments import qris
from gelar.payments.services import payment_settings_of
from gelar.pos.models import PosSale
from gelar.pos.selectors import pos_booth, pos_expos_of

# The static files the till needs with no network (paths under STATIC_URL).
SHELL_STATIC = (
    "css/gelar.css",
    "pos/pos.css",
    "js/offline.js",
    "js/pos.js",
    "vendor/jsqr/jsQR.js",
    "img/gelar.svg",
)


def _till_or_404(request: HttpRequest, slug: str, expo_slug: str) -> tuple[Exhibitor, Expo]:
    """The business (team members only) and an expo where it has an accepted venue booth."""
    try:
        return pos_booth(user=request.user, exhibitor_slug=slug, expo_slug=expo_slug)
    except (Exhibitor.DoesNotExist, Expo.DoesNotExist):
        raise Http404("booth") from None


@login_required
def till_home(request: HttpRequest, slug: str) -> HttpResponse:
    """Which expo to sell at: the business's venue expos."""
    try:
        exhibitor = exhibitor_for_member(user=request.user, exhibitor_slug=slug, roles=TEAM_ROLES)
    except Exhibitor.DoesNotExist:
        raise Http404("exhibitor") from None
    return render(
        request,
        "pos/home.html",
        {"exhibitor": exhibitor, "expos": list(pos_expos_of(exhibitor=exhibitor))},
    )


@login_required
@require_GET
def till(request: HttpRequest, slug: str, expo_slug: str) -> HttpResponse:
    exhibitor, expo = _till_or_404(request, slug, expo_slug)
    found = payment_settings_of(exhibitor=exhibitor)
    # Cash is always possible at the booth; QRIS and transfer need the exhibitor's details.
    methods = ["cash"]
    if found.has_qris:
        methods.append("qris")
    if found.has_bank_transfer:
        methods.append("transfer")
    booth = {"exhibitor_slug": exhibitor.slug, "expo_slug": expo.slug}
    config = {
        "exhibitor": exhibitor.name,
        "expo": expo.name,
        "time_zone": expo.time_zone,
        "methods": methods,
        "bank": (
            {
                "name": found.bank_name,
                "number": found.bank_account_number,
                "holder": found.bank_account_holder,
            }
            if found.has_bank_transfer
            else None
        ),
        "merchant": found.qris_merchant_name if found.has_qris else "",
        # The device's queue and catalogue are kept per business, expo and person.
        "store": f"gelar-pos-{exhibitor.pk}-{expo.pk}-{request.user.pk}",
    }
    urls = {
        "catalogue": reverse("api-v1:pos_catalogue", kwargs=booth),
        "sale": reverse("api-v1:pos_sales", kwargs=booth),
        "sync": reverse("api-v1:pos_sync", kwargs=booth),
        "qris": reverse("dashboard:pos_qris", args=[exhibitor.slug, expo.slug]),
        "worker": reverse("dashboard:pos_worker", args=[exhibitor.slug, expo.slug]),
        "scope": reverse("dashboard:pos_till", args=[exhibitor.slug, expo.slug]),
        "receipt": reverse("pos:receipt", args=["TOKEN"]),
        "jsqr": static("vendor/jsqr/jsQR.js"),
    }
    return render(
        request,
        "pos/till.html",
        {
            "exhibitor": exhibitor,
            "expo": expo,
            "methods": methods,
            "static_qris_svg": qris.qris_svg(found.qris_payload) if found.has_qris else "",
            "pos_config": config,
            "pos_urls": urls,
            "pos_texts": _texts(),
        },
    )


def _texts() -> dict[str, str]:
    """What pos.js says itself, in the page's language."""
    return {
        "online": _("Online"),
        "offline": _("Offline: sales are kept on this phone and synced later."),
        # The "+" and "−" buttons of a line of the sale.
        "add_one": _("Add one %(name)s"),
        "remove_one": _("Remove one %(name)s"),
        "in_stock": _("%(count)s in stock"),
        "out_of_stock": _("Out of stock"),
        "short_warning": _(
            "Only %(count)s in stock here: the sale will be flagged for the exhibitor."
        ),
        "empty_cart": _("No products yet: tap a product or scan its label."),
        "unknown_label": _("Unknown label: %(code)s"),
        "cash_short": _("The cash given is less than the total."),
        "change": _("Change: %(amount)s"),
        "recorded": _("Sale recorded"),
        "recorded_offline": _("Sale kept on this phone; it will be synced."),
        "flagged": _("Flagged: %(reason)s"),
        "refused": _("The server refused this sale: %(reason)s"),
        "qris_offline": _("Offline: show the booth's printed QRIS; the buyer types in %(amount)s."),
        "qris_error": _("The QRIS code could not be made: %(reason)s"),
        "synced": _("Last synced %(time)s"),
        "signed_out": _("You were signed out: sign in again to sync the kept sales."),
        "catalogue_info": _("Catalogue updated %(time)s"),
        "no_catalogue": _("No catalogue on this phone yet: connect to the network once."),
        "receipt_pending": _("The receipt link is ready once the sale is synced."),
        "whatsapp_text": _("Receipt %(number)s from %(exhibitor)s: %(url)s"),
        "camera_start": _("Scan with camera"),
        "camera_stop": _("Stop camera"),
        "camera_unavailable": _("The camera cannot be used here. Use a USB scanner or search."),
        "total": _("Total"),
        "charged": _("Charged"),
        "listed_total": _("At the listed prices"),
        "difference": _("Difference"),
        "charge_note": _(
            "The till was offline and charged %(charged)s at the prices it had; the products "
            "make %(total)s at the listed prices. Cash given and change follow what was charged."
        ),
        "payment": _("Payment"),
        "cash_given": _("Cash given"),
        "change_label": _("Change"),
        "method_cash": _("Cash"),
        "method_qris": _("QRIS"),
        "method_transfer": _("Bank transfer"),
    }


_REFERENCE = re.compile(r"[^A-Za-z0-9-]")


@login_required
@require_GET
def till_qris(request: HttpRequest, slug: str, expo_slug: str) -> JsonResponse:
    """The dynamic QRIS of one total: {"payload", "svg"}; 400 with "detail" when refused."""
    exhibitor, _expo = _till_or_404(request, slug, expo_slug)
    found = payment_settings_of(exhibitor=exhibitor)
    if not found.has_qris:
        return JsonResponse({"detail": _("This business has no QRIS code.")}, status=400)
    raw = request.GET.get("amount", "")
    if not re.fullmatch(r"[0-9]{1,12}", raw):  # "²".isdigit() is True
        return JsonResponse(
            {"detail": _("The amount must be a whole number of Rupiah.")}, status=400
        )
    # The device's sale key as the bill number: the exhibitor can match the payment.
    reference = _REFERENCE.sub("-", request.GET.get("ref", ""))[: qris.MAX_REFERENCE_LENGTH]
    try:
        payload = qris.dynamic_qris(
            static_payload=found.qris_payload, amount=int(raw), reference=reference or None
        )
    except qris.QrisError as error:
        return JsonResponse({"detail": str(error)}, status=400)
    return JsonResponse(
        {"payload": payload, "svg": qris.qris_svg(payload), "merchant": found.qris_merchant_name}
    )


# --- the service worker and the manifest ------------------------------------------------


@require_GET
@cache_control(no_cache=True)
def till_worker(request: HttpRequest, slug: str, expo_slug: str) -> HttpResponse:
    """The till's service worker, served under the till's path so that it controls it."""
    return shell_worker_response(
        scope=reverse("dashboard:pos_till", args=[slug, expo_slug]),
        manifest=reverse("dashboard:pos_manifest", args=[slug, expo_slug]),
        static_files=SHELL_STATIC,
        prefix="pos-",
        marker='id="pos-urls"',
    )


@require_GET
@cache_control(max_age=3600)
def till_manifest(request: HttpRequest, slug: str, expo_slug: str) -> JsonResponse:
    scope = reverse("dashboard:pos_till", args=[slug, expo_slug])
    manifest = {
        "name": _("Gelar booth till"),
        "short_name": _("Till"),
        "description": _("Sells at the booth, also offline, on the same stock as the shop."),
        "lang": request.LANGUAGE_CODE,
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#fbf6ec",
        "theme_color": "#1e2a5e",
        "icons": [{"src": static("img/gelar.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


# --- the buyer's receipt ---------------------------------------------------------------


@require_GET
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    # Only what new tokens look like is looked up (a NUL byte must not reach PostgreSQL).
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", token):
        raise Http404("receipt")
    sale = get_object_or_404(
        PosSale.objects.select_related("exhibitor", "expo"), receipt_token=token
    )
    lines = list(sale.lines.all())
    url = request.build_absolute_uri(reverse("pos:receipt", args=[sale.receipt_token]))
    text = _("Receipt %(number)s from %(exhibitor)s: %(url)s") % {
        "number": sale.number,
        "exhibitor": sale.exhibitor.name,
        "url": url,
    }
    return render(
        request,
        "pos/receipt.html",
        {
            "sale": sale,
            "lines": lines,
            "zone": sale.expo.time_zone,
            "item_count": sum(line.quantity for line in lines),
            "whatsapp_url": f"https://wa.me/?text={quote(text, safe='')}",
        },
    )
