"""API v1: the booth's point of sale (issue 7).

The till is a page of the exhibitor's dashboard, so its calls carry the dashboard's
session cookie and, for POSTs, Django's CSRF token in the X-CSRFToken header. Only a
member of the business's team reaches its till, and only in an expo where the business
has an accepted venue booth: anyone else gets a 404 (a signed-out caller a 401).

The rules are gelar.pos.services' (see its docstring); this module parses and shapes.
A sale posted online is refused (422) when its total differs from the server's prices;
the device's offline queue goes to /sync, where each item gets its own result and a
malformed one is "rejected" with a reason while the others are recorded. A queued sale
whose total differs is kept at the server's prices (`total`) beside what the device
charged (`charged_total`, on which its change was worked out), and flagged. A batch that
is not {"sales": [...]} with at most 200 items is refused whole (400, 413, 422).
"""

import json

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import Field

from gelar.api.schemas import ErrorOut
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor
from gelar.pos import services as pos
from gelar.pos.models import MAX_LINE_QUANTITY, PosSale
from gelar.pos.selectors import pos_booth

router = Router(tags=["pos"], auth=django_auth)


# --- shapes ------------------------------------------------------------------------


class PosProductOut(Schema):
    id: int
    name: str
    price: int
    stock: int
    sku: str
    label_code: str = Field(..., description='what the product\'s label holds, e.g. "GLRP.42"')
    image: str = Field(..., description="thumbnail URL, or empty")


class BoothRef(Schema):
    exhibitor_slug: str
    exhibitor_name: str
    expo_slug: str
    expo_name: str
    time_zone: str


class CatalogueOut(Schema):
    booth: BoothRef
    generated_at: str
    products: list[PosProductOut]


class SaleLineIn(Schema):
    product_id: int = Field(..., ge=1, le=2**63 - 1)
    quantity: int = Field(..., description=f"1 to {MAX_LINE_QUANTITY}")


class SaleIn(Schema):
    client_key: str = Field(
        ..., max_length=64, description="the device's idempotency key for this sale"
    )
    lines: list[SaleLineIn] = Field(..., max_length=100)
    payment_method: str = Field(..., max_length=10, description="cash, qris or transfer")
    cash_given: int | None = Field(None, description="cash: what the buyer handed over")
    total: int | None = Field(
        None, description="the total the till showed; a different one is refused"
    )


class SaleLineOut(Schema):
    product_id: int
    product_name: str
    unit_price: int
    quantity: int
    line_total: int
    short: int = Field(..., description="units the stock could not cover")


class SaleOut(Schema):
    number: str
    client_key: str
    status: str = Field(..., description="completed, flagged or resolved")
    flag_reason: str
    payment_method: str
    subtotal: int
    total: int = Field(..., description="at the server's prices: the sum of the lines")
    charged_total: int = Field(
        ...,
        description="what the till charged the buyer (cash_given and change follow it); "
        "differs from total only for a sale queued offline at outdated prices",
    )
    charge_difference: int = Field(
        ..., description="charged_total - total: negative when the buyer paid less"
    )
    cash_given: int | None
    change: int | None
    sold_at: str
    offline: bool
    receipt_token: str
    receipt_url: str
    lines: list[SaleLineOut]


class SaleErrorOut(Schema):
    detail: str
    code: str = ""
    field: str | None = None


class SyncItemOut(Schema):
    client_key: str | None
    status: str = Field(..., description="recorded, duplicate or rejected")
    number: str | None
    flagged: bool
    reason: str
    code: str = Field(..., description="why an item was rejected")
    receipt_token: str | None
    receipt_url: str | None
    total: int | None = Field(None, description="at the server's prices")
    charged_total: int | None = Field(None, description="what the device charged the buyer")


class SyncOut(Schema):
    results: list[SyncItemOut]


_SYNC_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["sales"],
                    "properties": {
                        "sales": {
                            "type": "array",
                            "maxItems": pos.MAX_SYNC_BATCH,
                            "items": {
                                "type": "object",
                                "required": ["client_key", "lines", "payment_method", "sold_at"],
                                "properties": {
                                    "client_key": {"type": "string", "maxLength": 64},
                                    "lines": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["product_id", "quantity"],
                                            "properties": {
                                                "product_id": {"type": "integer"},
                                                "quantity": {
                                                    "type": "integer",
                                                    "minimum": 1,
                                                    "maximum": MAX_LINE_QUANTITY,
                                                },
                                            },
                                        },
                                    },
                                    "payment_method": {
                                        "type": "string",
                                        "enum": ["cash", "qris", "transfer"],
                                    },
                                    "cash_given": {"type": "integer"},
                                    "total": {
                                        "type": "integer",
                                        "description": "the total the device showed; a "
                                        "different one is recorded at the server's prices "
                                        "and flagged",
                                    },
                                    "sold_at": {"type": "string", "format": "date-time"},
                                },
                            },
                        }
                    },
                }
            }
        },
    }
}


# --- helpers ------------------------------------------------------------------------


def _booth_or_404(request: HttpRequest, exhibitor_slug: str, expo_slug: str):
    try:
        return pos_booth(user=request.user, exhibitor_slug=exhibitor_slug, expo_slug=expo_slug)
    except (Exhibitor.DoesNotExist, Expo.DoesNotExist):
        raise HttpError(404, _("Booth not found.")) from None


def _receipt_url(request: HttpRequest, token: str | None) -> str | None:
    if token is None:
        return None
    try:
        return request.build_absolute_uri(reverse("pos:receipt", args=[token]))
    except NoReverseMatch:
        return None


def _sale(request: HttpRequest, sale: PosSale) -> dict:
    return {
        "number": sale.number,
        "client_key": sale.client_key,
        "status": sale.status,
        "flag_reason": sale.flag_reason,
        "payment_method": sale.payment_method,
        "subtotal": sale.subtotal,
        "total": sale.total,
        "charged_total": sale.charged,
        "charge_difference": sale.charge_difference,
        "cash_given": sale.cash_given,
        "change": sale.change,
        "sold_at": sale.sold_at.astimezone(sale.expo.tzinfo).isoformat(),
        "offline": sale.offline,
        "receipt_token": sale.receipt_token,
        "receipt_url": _receipt_url(request, sale.receipt_token) or "",
        "lines": [
            {
                "product_id": line.product_id,
                "product_name": line.product_name,
                "unit_price": line.unit_price,
                "quantity": line.quantity,
                "line_total": line.line_total,
                "short": line.short,
            }
            for line in sale.lines.all()
        ],
    }


# --- endpoints ------------------------------------------------------------------------


@router.get(
    "/pos/{exhibitor_slug}/{expo_slug}/catalogue",
    url_name="pos_catalogue",
    response={200: CatalogueOut, 401: ErrorOut, 404: ErrorOut},
    summary="The booth's products, prices and stock, for the till (kept for offline use)",
)
def pos_catalogue(request: HttpRequest, exhibitor_slug: str, expo_slug: str):
    exhibitor, expo = _booth_or_404(request, exhibitor_slug, expo_slug)
    return {
        "booth": {
            "exhibitor_slug": exhibitor.slug,
            "exhibitor_name": exhibitor.name,
            "expo_slug": expo.slug,
            "expo_name": expo.name,
            "time_zone": expo.time_zone,
        },
        "generated_at": timezone.now().astimezone(expo.tzinfo).isoformat(),
        "products": pos.pos_catalogue(exhibitor=exhibitor, expo=expo),
    }


@router.post(
    "/pos/{exhibitor_slug}/{expo_slug}/sales",
    url_name="pos_sales",
    response={
        200: SaleOut,
        201: SaleOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: SaleErrorOut,
    },
    summary="Record one sale made online (201; 200 with the stored sale for a replayed key)",
)
def pos_sale(request: HttpRequest, exhibitor_slug: str, expo_slug: str, body: SaleIn):
    exhibitor, expo = _booth_or_404(request, exhibitor_slug, expo_slug)
    # Checked by the service too; here first, so a NUL byte never reaches the query.
    known = (
        pos.valid_client_key(body.client_key)
        and PosSale.objects.filter(exhibitor=exhibitor, client_key=body.client_key).exists()
    )
    try:
        sale = pos.pos_sale_record(
            exhibitor=exhibitor,
            expo=expo,
            staff=request.user,
            client_key=body.client_key,
            lines=[(line.product_id, line.quantity) for line in body.lines],
            payment_method=body.payment_method,
            cash_given=body.cash_given,
            expected_total=body.total,
        )
    except pos.PosError as error:
        return Status(422, {"detail": error.message, "code": error.code, "field": error.field})
    return Status(200 if known else 201, _sale(request, sale))


@router.post(
    "/pos/{exhibitor_slug}/{expo_slug}/sync",
    url_name="pos_sync",
    response={
        200: SyncOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
    openapi_extra=_SYNC_BODY,
    summary="Record the sales a till queued offline (idempotent by client_key)",
)
def pos_sync(request: HttpRequest, exhibitor_slug: str, expo_slug: str):
    exhibitor, expo = _booth_or_404(request, exhibitor_slug, expo_slug)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: deeply nested arrays ("[[[[...") exhaust the parser's stack.
        return Status(400, {"detail": _("The body is not JSON.")})
    sales = payload.get("sales") if isinstance(payload, dict) else None
    try:
        results = pos.pos_sync(exhibitor=exhibitor, expo=expo, staff=request.user, sales=sales)
    except pos.PosError as error:
        return Status(413 if error.code == "batch_too_large" else 422, {"detail": error.message})
    return {
        "results": [
            {**item, "receipt_url": _receipt_url(request, item["receipt_token"])}
            for item in results
        ]
    }
