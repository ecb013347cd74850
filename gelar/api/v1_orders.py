"""API v1: checkout and order status (issue 4).

The endpoints parse the JSON body and call gelar.orders.services.checkout_submit,
the same service the shop's pages call: prices come from the database, a body
never carries one. Errors are `{"detail", "code", "field"}` in the request's
language (Indonesian by default, English under Accept-Language: en).
"""

from functools import partial

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status
from ninja.errors import HttpError

from gelar.events import selectors as events
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor
from gelar.orders.models import Checkout, Order
from gelar.orders.selectors import checkout_for_buyer
from gelar.orders.services import (
    BuyerInfo,
    DeliveryInfo,
    IdempotencyKeyReused,
    LineRequest,
    OrderError,
    OutOfStock,
    ProductsUnavailable,
    checkout_submit,
    order_awaits_payment,
)
from gelar.payments.gateway import GatewayPaymentError, gateway_payment_start
from gelar.payments.selectors import refunds_by_order
from gelar.payments.services import payment_instructions
from gelar.shop.cart import MAX_ID
from gelar.shop.notify import send_checkout_email

router = Router(tags=["orders"])

MAX_BOOTHS = 50
MAX_LINES = 200  # the service refuses more than 50 distinct products with its own message


# --- shapes -------------------------------------------------------------------------


class BuyerIn(Schema):
    name: str = Field(..., max_length=200)
    whatsapp: str = Field(..., max_length=30, description="Indonesian mobile, e.g. 0812 3456 7890")
    email: str = Field("", max_length=254, description="optional; the order link is sent here")


class LineIn(Schema):
    product_id: int = Field(
        ..., ge=1, le=MAX_ID, description="`id` of a product of the catalogue endpoints"
    )
    quantity: int = Field(..., description="1 to 100")


class DeliveryIn(Schema):
    method: str = Field(..., max_length=10, description="pickup, courier or local")
    address: str = Field("", max_length=300)
    city: str = Field("", max_length=100)
    postal_code: str = Field("", max_length=10, description="five digits; required for courier")
    note: str = Field("", max_length=300)


class BoothIn(Schema):
    exhibitor: str = Field(..., max_length=100, description="the exhibitor's slug")
    delivery: DeliveryIn
    payment_method: str = Field(..., max_length=10, description="qris, transfer, gateway or cash")


class CheckoutIn(Schema):
    buyer: BuyerIn
    lines: list[LineIn] = Field(..., max_length=MAX_LINES)
    booths: list[BoothIn] = Field(
        ..., max_length=MAX_BOOTHS, description="one entry per exhibitor of the lines"
    )


class LineOut(Schema):
    product_id: int
    product_name: str
    unit_price: int
    quantity: int
    line_total: int


class PaymentOut(Schema):
    method: str
    total: int = Field(..., description="the exact amount to pay (with a transfer's unique code)")
    reference: str
    qris_payload: str = Field(..., description="the order's dynamic QRIS, to render as a QR code")
    bank_name: str
    bank_account_number: str
    bank_account_holder: str
    note: str
    available: bool


class RefundOut(Schema):
    amount: int
    refunded_at: str


class OrderOut(Schema):
    number: str
    exhibitor_slug: str
    exhibitor_name: str
    status: str
    status_label: str
    delivery_method: str
    payment_method: str
    subtotal: int
    shipping: int
    unique_code: int
    total: int
    reserved_until: str
    paid_at: str | None
    tracking_number: str
    lines: list[LineOut]
    payment: PaymentOut | None = Field(..., description="how to pay, while awaiting payment")
    refunded: int = Field(..., description="whole Rupiah given back to the buyer so far")
    refunds: list[RefundOut] = Field(..., description="money given back, oldest first")


class CheckoutOut(Schema):
    token: str = Field(..., description="the key of GET /orders/{token} and of the order page")
    url: str = Field(..., description="the buyer's order page")
    expo_slug: str | None
    buyer_name: str
    created_at: str
    orders: list[OrderOut]


class ShortfallOut(Schema):
    product_id: int
    product_name: str
    requested: int
    available: int


class CheckoutErrorOut(Schema):
    detail: str
    code: str = ""
    field: str | None = None
    product_ids: list[int] = []
    shortfalls: list[ShortfallOut] = []


class NotFoundOut(Schema):
    detail: str


class PayOut(Schema):
    redirect_url: str = Field(..., description="Midtrans' payment page: send the buyer there")
    token: str = Field(..., description="the Snap token, for Snap.js `snap.pay(token)`")


# --- helpers ------------------------------------------------------------------------


def _payment(order: Order) -> dict | None:
    if not order_awaits_payment(order):
        return None
    found = payment_instructions(order=order)
    return {
        "method": found.method,
        "total": found.total,
        "reference": found.reference,
        "qris_payload": found.qris_payload,
        "bank_name": found.bank_name,
        "bank_account_number": found.bank_account_number,
        "bank_account_holder": found.bank_account_holder,
        "note": found.note,
        "available": found.available,
    }


def _checkout(request: HttpRequest, checkout: Checkout) -> dict:
    refunds = refunds_by_order(order_ids=[order.pk for order in checkout.orders.all()])
    return {
        "token": checkout.token,
        "url": request.build_absolute_uri(reverse("shop:order", args=[checkout.token])),
        "expo_slug": checkout.expo.slug if checkout.expo else None,
        "buyer_name": checkout.buyer_name,
        "created_at": checkout.created_at.isoformat(),
        "orders": [
            {
                "number": order.number,
                "exhibitor_slug": order.exhibitor.slug,
                "exhibitor_name": order.exhibitor.name,
                "status": order.status,
                "status_label": order.get_status_display(),
                "delivery_method": order.delivery_method,
                "payment_method": order.payment_method,
                "subtotal": order.subtotal,
                "shipping": order.shipping,
                "unique_code": order.unique_code,
                "total": order.total,
                "reserved_until": order.reserved_until.isoformat(),
                "paid_at": order.paid_at.isoformat() if order.paid_at else None,
                "tracking_number": order.tracking_number,
                "lines": [
                    {
                        "product_id": line.product_id,
                        "product_name": line.product_name,
                        "unit_price": line.unit_price,
                        "quantity": line.quantity,
                        "line_total": line.line_total,
                    }
                    for line in order.lines.all()
                ],
                "payment": _payment(order),
                "refunded": sum(refund.amount for refund in refunds[order.pk]),
                "refunds": [
                    {"amount": refund.amount, "refunded_at": refund.refunded_at.isoformat()}
                    for refund in refunds[order.pk]
                ],
            }
            for order in checkout.orders.all()
        ],
    }


def _error(error: OrderError) -> dict:
    body = {"detail": error.message, "code": error.code, "field": error.field}
    if isinstance(error, ProductsUnavailable):
        body["product_ids"] = [pk for pk in error.product_ids if isinstance(pk, int)]
    if isinstance(error, OutOfStock):
        body["shortfalls"] = [
            {
                "product_id": s.product.pk,
                "product_name": s.product.name,
                "requested": s.requested,
                "available": s.available,
            }
            for s in error.shortfalls
        ]
    return body


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _invalid(message: str, *, code: str, field: str) -> Status:
    return Status(422, {"detail": message, "code": code, "field": field})


# --- endpoints ----------------------------------------------------------------------


@router.post(
    "/expos/{slug}/checkout",
    response={
        201: CheckoutOut,
        404: NotFoundOut,
        409: CheckoutErrorOut,
        422: CheckoutErrorOut,
    },
    summary="Check out a cart",
)
def checkout_create(
    request: HttpRequest,
    slug: str,
    body: CheckoutIn,
    idempotency_key: str = Header(
        ...,
        alias="Idempotency-Key",
        max_length=64,
        description="required: 1-64 printable ASCII characters, e.g. a UUID",
    ),
):
    """Reserve the stock of every line and create one order per exhibitor.

    **Idempotency:** the `Idempotency-Key` header is required. Repeating the
    request with the same key returns the same checkout (201, the same body),
    however often it is sent and also when two arrive at once; the same key with
    another body is refused with 409 `idempotency_key_reused`.

    Prices are the catalogue's: a body never carries one. The stock is held for
    15 minutes; `orders[].payment` says how to pay each order. Errors: 404 for
    an unknown expo, 409 `out_of_stock` (with every `shortfalls` entry) or
    `idempotency_key_reused`, 422 for anything else wrong in the body (`code`,
    `field`, `detail` in the request's language).
    """
    try:
        expo = events.public_expo(slug=slug)
    except Expo.DoesNotExist:
        raise HttpError(404, _("Expo not found.")) from None
    if _has_nul(body.dict()) or "\x00" in idempotency_key:
        # PostgreSQL cannot store it; no name or address needs it.
        return _invalid(
            _("The request contains a NUL character."), code="nul_character", field="body"
        )
    slugs = [booth.exhibitor for booth in body.booths]
    if len(set(slugs)) != len(slugs):
        return _invalid(
            _("Give each exhibitor once in booths."), code="booth_repeated", field="booths"
        )
    exhibitors = {e.slug: e for e in Exhibitor.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in exhibitors]
    if unknown:
        return _invalid(
            _("Unknown exhibitor: %(slug)s") % {"slug": unknown[0]},
            code="exhibitor_unknown",
            field="booths",
        )
    deliveries, methods = {}, {}
    for booth in body.booths:
        exhibitor = exhibitors[booth.exhibitor]
        deliveries[exhibitor.pk] = DeliveryInfo(**booth.delivery.dict())
        methods[exhibitor.pk] = booth.payment_method
    try:
        checkout = checkout_submit(
            expo=expo,
            buyer=BuyerInfo(**body.buyer.dict()),
            lines=[LineRequest(product_id=x.product_id, quantity=x.quantity) for x in body.lines],
            idempotency_key=idempotency_key,
            delivery=deliveries,
            payment_method=methods,
        )
    except (OutOfStock, IdempotencyKeyReused) as error:
        return Status(409, _error(error))
    except OrderError as error:
        return Status(422, _error(error))
    body = _checkout(request, checkout_for_buyer(token=checkout.token))
    transaction.on_commit(
        partial(
            send_checkout_email,
            token=checkout.token,
            order_url=body["url"],
            language=translation.get_language(),
        )
    )
    return Status(201, body)


@router.get(
    "/orders/{token}",
    response={200: CheckoutOut, 404: NotFoundOut},
    summary="A checkout and its orders",
)
def checkout_detail(request: HttpRequest, token: str):
    """The checkout behind the buyer's link, with each order's status and how to pay it."""
    try:
        checkout = checkout_for_buyer(token=token)
    except Checkout.DoesNotExist:
        raise HttpError(404, _("Order not found.")) from None
    return _checkout(request, checkout)


@router.post(
    "/orders/{token}/{number}/pay",
    response={200: PayOut, 404: NotFoundOut, 409: CheckoutErrorOut, 503: CheckoutErrorOut},
    summary="Pay an order online (Midtrans)",
)
def order_pay(request: HttpRequest, token: str, number: str):
    """Start the online payment of order `number` of the checkout, or return the one started.

    For an order whose `payment_method` is `gateway`, awaiting payment. Midtrans
    allows one transaction per order, so repeating the request returns the same
    `redirect_url` and `token` (200). Errors: 404 for an unknown checkout or an
    order of another checkout; 409 when the order cannot be paid online
    (`not_gateway`, `not_awaiting_payment`, `order_expired`, `gateway_off`) or
    another request is preparing it (`payment_preparing`: retry in a moment);
    503 `gateway_unavailable` when Midtrans did not answer (retry later).
    """
    try:
        checkout = checkout_for_buyer(token=token)
    except Checkout.DoesNotExist:
        raise HttpError(404, _("Order not found.")) from None
    found = next((order for order in checkout.orders.all() if order.number == number), None)
    if found is None:
        raise HttpError(404, _("Order not found."))
    try:
        payment = gateway_payment_start(order=found)
    except GatewayPaymentError as error:
        return Status(error.http_status, _error(error))
    return {"redirect_url": payment.gateway_redirect_url, "token": payment.gateway_token}
