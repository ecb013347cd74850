"""The buyer's side: cart, checkout and the order page (no login needed).

Views parse input and call one domain function: the stock, prices and order
rules are gelar.orders.services.checkout_submit's, the payment methods and
instructions gelar.payments.services'. Everything works without JavaScript.
"""

import uuid
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gelar.catalog.selectors import public_products
from gelar.events import selectors as events
from gelar.events.models import Expo
from gelar.exhibitors.models import Participation
from gelar.live import services as live
from gelar.orders.models import Checkout, Order
from gelar.orders.selectors import checkout_for_buyer
from gelar.orders.services import (
    RESERVATION_MINUTES,
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
from gelar.payments.methods import payment_methods_by_exhibitor, payment_settings_by_exhibitor
from gelar.payments.selectors import refunds_by_order
from gelar.payments.services import PaymentInstructions, payment_instructions
from gelar.public.embeds import whatsapp_url
from gelar.shop import cart as carts
from gelar.shop.forms import AddToCartForm, CartForm, CheckoutForm
from gelar.shop.notify import send_checkout_email

# Checkouts this session submitted, {idempotency key: token}: a resubmit after
# the cart was emptied still finds its order page. The newest few are kept.
DONE_KEY = "shop_checkouts"
DONE_KEPT = 20
# What the buyer typed, kept when an out-of-stock checkout sends them back to the cart.
DRAFT_KEY = "shop_checkout_draft"
DRAFT_FIELDS = ("name", "whatsapp", "email", "address", "city", "postal_code", "note")
# The order page reloads itself while a payment is awaited (seconds).
REFRESH_SECONDS = 30


def _expo_or_404(slug: str) -> Expo:
    try:
        return events.public_expo(slug=slug)
    except Expo.DoesNotExist:
        raise Http404("expo") from None


def _context(expo: Expo, **context) -> dict:
    is_over = events.expo_phase(expo=expo, now=timezone.now()) == "past"
    return {"expo": expo, "is_over": is_over, **context}


def _cart_url(expo: Expo) -> str:
    return reverse("shop:cart", args=[expo.slug])


# --- cart ---------------------------------------------------------------------------


@require_POST
def cart_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a product (from its page or its booth); back to where the buyer was."""
    expo = _expo_or_404(slug)
    back = request.POST.get("next", "")
    # Only a path of this site: never another host, never a view name for redirect().
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = _cart_url(expo)
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        if "quantity" in form.errors:
            error = form.errors["quantity"][0]
            messages.error(request, _("Quantity: %(error)s") % {"error": error})
        else:
            messages.error(request, _("This product is not for sale."))
        return HttpResponseRedirect(back)
    product = public_products(expo=expo).filter(pk=form.cleaned_data["product"]).first()
    if product is None:
        messages.error(request, _("This product is not for sale."))
        return HttpResponseRedirect(back)
    try:
        carts.cart_add(
            request.session,
            expo=expo,
            product=product,
            quantity=form.cleaned_data["quantity"],
            pin_id=form.cleaned_data.get("pin"),
        )
    except carts.CartError as error:
        messages.error(request, error.message)
    else:
        if form.cleaned_data["pin"] is not None:
            live.pin_added_to_cart(pin_id=form.cleaned_data["pin"], product_id=product.pk)
        messages.success(request, _("Added to the cart"))
    return HttpResponseRedirect(back)


def cart(request: HttpRequest, slug: str) -> HttpResponse:
    """The cart by booth, priced from the database; POST updates quantities or removes."""
    expo = _expo_or_404(slug)
    quantities = carts.cart_quantities(request.session, expo=expo)
    if request.method == "POST" and "remove" in request.POST:
        remove = request.POST["remove"]
        if remove.isascii() and remove.isdigit() and int(remove) in quantities:
            carts.cart_remove(request.session, expo=expo, product_id=int(remove))
            messages.success(request, _("Removed from the cart."))
        return redirect(_cart_url(expo))
    priced = carts.price_cart(expo=expo, quantities=quantities)
    product_ids = [line.product_id for line in priced.lines]
    if request.method == "POST":
        form = CartForm(request.POST, product_ids=product_ids)
        if form.is_valid():
            carts.cart_set(request.session, expo=expo, quantities=form.quantities())
            messages.success(request, _("Cart updated."))
            return redirect(_cart_url(expo))
    else:
        form = CartForm(
            product_ids=product_ids,
            initial={f"qty-{line.product_id}": line.quantity for line in priced.lines},
        )
    for line in priced.lines:
        line.field = form[f"qty-{line.product_id}"]
    return render(request, "shop/cart.html", _context(expo, cart=priced, form=form))


# --- checkout -----------------------------------------------------------------------


def _booth_options(expo: Expo, priced: carts.PricedCart):
    """[(exhibitor, offers pick-up, payment methods)] and {exhibitor id: venue booth code}."""
    exhibitor_ids = [booth.exhibitor.pk for booth in priced.booths]
    venue = {
        p.exhibitor_id: (p.booth.code if p.booth else "")
        for p in Participation.objects.filter(
            expo=expo,
            exhibitor_id__in=exhibitor_ids,
            status=Participation.Status.ACCEPTED,
            mode=Participation.Mode.VENUE,
        ).select_related("booth")
    }
    accepted = payment_methods_by_exhibitor(exhibitor_ids=exhibitor_ids)
    options = [
        (booth.exhibitor, booth.exhibitor.pk in venue, accepted[booth.exhibitor.pk])
        for booth in priced.booths
    ]
    return options, venue


def checkout(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(slug)
    done = request.session.get(DONE_KEY, {})
    if request.method == "POST" and isinstance(done, dict):
        token = done.get(request.POST.get("idempotency_key", ""))
        if isinstance(token, str):
            # A second tap or a resubmit of a checkout that went through.
            return redirect("shop:order", token=token)
    priced = carts.price_cart(
        expo=expo, quantities=carts.cart_quantities(request.session, expo=expo)
    )
    if not priced.booths:
        messages.error(request, _("Your cart has nothing that can be ordered."))
        return redirect(_cart_url(expo))
    options, venue = _booth_options(expo, priced)
    if request.method == "POST":
        form = CheckoutForm(request.POST, booths=options)
        if form.is_valid():
            response = _submit(request, expo=expo, form=form, priced=priced, options=options)
            if response is not None:
                return response
    else:
        draft = request.session.get(DRAFT_KEY, {})
        initial = {k: v for k, v in draft.items() if k in DRAFT_FIELDS and isinstance(v, str)}
        form = CheckoutForm(
            initial={**initial, "idempotency_key": uuid.uuid4().hex}, booths=options
        )
    booths = [
        {
            "cart": booth,
            "delivery": delivery,
            "payment": payment,
            "booth_code": venue.get(booth.exhibitor.pk, ""),
        }
        for booth, (_exhibitor, delivery, payment) in zip(
            priced.booths, form.booth_fields(), strict=True
        )
    ]
    return render(
        request,
        "shop/checkout.html",
        _context(
            expo,
            cart=priced,
            form=form,
            booths=booths,
            reservation_minutes=RESERVATION_MINUTES,
        ),
    )


def _submit(request, *, expo, form: CheckoutForm, priced, options) -> HttpResponse | None:
    """Call checkout_submit; a response, or None to show the form with its errors."""
    data = form.cleaned_data
    deliveries, payments = form.choices_by_exhibitor()
    delivery = {
        exhibitor_id: DeliveryInfo(
            method=method,
            address=data["address"],
            city=data["city"],
            postal_code=data["postal_code"].strip(),
            note=data["note"],
        )
        for exhibitor_id, method in deliveries.items()
    }
    key = data["idempotency_key"]
    pins = carts.cart_pins(request.session, expo=expo)
    try:
        checkout = checkout_submit(
            expo=expo,
            buyer=BuyerInfo(name=data["name"], whatsapp=data["whatsapp"], email=data["email"]),
            lines=[
                LineRequest(
                    product_id=x.product_id, quantity=x.quantity, pin_id=pins.get(x.product_id)
                )
                for x in priced.lines
            ],
            idempotency_key=key,
            delivery=delivery,
            payment_method=payments,
        )
    except OutOfStock as error:
        for shortfall in error.shortfalls:
            messages.error(request, shortfall_message(shortfall))
        _keep_draft(request, form)
        return redirect(_cart_url(expo))
    except ProductsUnavailable as error:
        messages.error(request, error.message)
        _keep_draft(request, form)
        return redirect(_cart_url(expo))
    except IdempotencyKeyReused as error:
        # Shown again with a fresh key: submitting it now is a new checkout.
        fresh = request.POST.copy()
        fresh["idempotency_key"] = uuid.uuid4().hex
        form.data = fresh
        form.add_error(None, error.message)
        return None
    except OrderError as error:
        if error.field == "lines":
            messages.error(request, error.message)
            return redirect(_cart_url(expo))
        form.add_error(_form_field(form, error), error.message)
        return None
    carts.cart_clear(request.session, expo=expo)
    request.session.pop(DRAFT_KEY, None)
    done = request.session.get(DONE_KEY, {})
    done = dict(list(done.items())[-(DONE_KEPT - 1) :]) if isinstance(done, dict) else {}
    done[key] = checkout.token
    request.session[DONE_KEY] = done
    order_url = request.build_absolute_uri(reverse("shop:order", args=[checkout.token]))
    transaction.on_commit(
        partial(
            send_checkout_email,
            token=checkout.token,
            order_url=order_url,
            language=translation.get_language(),
        )
    )
    return redirect("shop:order", token=checkout.token)


def shortfall_message(shortfall) -> str:
    return _("Only %(available)s of %(name)s left; you asked for %(requested)s.") % {
        "available": shortfall.available,
        "name": shortfall.product.name,
        "requested": shortfall.requested,
    }


def _keep_draft(request: HttpRequest, form: CheckoutForm) -> None:
    request.session[DRAFT_KEY] = {name: form.data.get(name, "")[:300] for name in DRAFT_FIELDS}


def _form_field(form: CheckoutForm, error: OrderError) -> str | None:
    """The form field an OrderError is about (None: the whole form)."""
    if error.field in form.fields:
        return error.field
    if error.field in ("delivery", "payment_method"):
        # The service names the booth in its message; its fields carry the id.
        for exhibitor, delivery_name, payment_name in form.booths:
            if exhibitor.name in error.message:
                return delivery_name if error.field == "delivery" else payment_name
    return None


# --- the buyer's order page -------------------------------------------------------------


@dataclass
class OrderCard:
    order: Order
    instructions: PaymentInstructions | None
    pay_before: str
    whatsapp: str | None
    refunds: tuple = ()  # payments.models.Refund, oldest first

    @property
    def is_awaiting_payment(self) -> bool:
        return self.order.status == Order.Status.AWAITING_PAYMENT


def _pay_before(order: Order, expo: Expo | None) -> str:
    """e.g. "10.15 WIB" (with the day when it is not today), in the expo's zone."""
    zone = expo.tzinfo if expo else timezone.get_current_timezone()
    local = order.reserved_until.astimezone(zone)
    text = f"{formats.time_format(local)} {local.tzname()}"
    if local.date() != timezone.now().astimezone(zone).date():
        text = f"{formats.date_format(local, 'SHORT_DATE_FORMAT')} {text}"
    return text


# What new_checkout_token makes (URL-safe base64); anything else is no token and is
# not even looked up (PostgreSQL refuses a NUL byte in a query).
@never_cache
def order(request: HttpRequest, token: str, pay_error: dict | None = None) -> HttpResponse:
    """Every order of one checkout, reached by its unguessable link (no login).

    pay_error: {"number", "message", "status"} when order_pay could not start a payment.
    """
    try:
        checkout = checkout_for_buyer(token=token)
    except Checkout.DoesNotExist:
        raise Http404("checkout") from None
    expo = checkout.expo
    cards = []
    refunds = refunds_by_order(order_ids=[item.pk for item in checkout.orders.all()])
    booth_settings = payment_settings_by_exhibitor(
        exhibitor_ids=[item.exhibitor_id for item in checkout.orders.all()]
    )
    for item in checkout.orders.all():
        awaiting = item.status == Order.Status.AWAITING_PAYMENT
        text = _("Hello %(booth)s, about my order %(number)s: ") % {
            "booth": item.exhibitor.name,
            "number": item.number,
        }
        cards.append(
            OrderCard(
                order=item,
                # A cash order ready for pick-up is paid at the hand-over.
                instructions=payment_instructions(
                    order=item, found=booth_settings[item.exhibitor_id]
                )
                if order_awaits_payment(item)
                else None,
                pay_before=_pay_before(item, expo) if awaiting else "",
                whatsapp=whatsapp_url(number=item.exhibitor.whatsapp, text=text),
                refunds=tuple(refunds[item.pk]),
            )
        )
    # Not request.path: order_pay renders this page at its own URL.
    page_url = request.build_absolute_uri(reverse("shop:order", args=[checkout.token]))
    share = _("My order at %(expo)s: %(url)s") % {
        "expo": expo.name if expo else "Gelar",
        "url": page_url,
    }
    context = {
        "checkout": checkout,
        "cards": cards,
        "total": sum(card.order.total for card in cards),
        "refresh": REFRESH_SECONDS if any(card.is_awaiting_payment for card in cards) else None,
        "share_url": f"https://wa.me/?text={quote(share, safe='')}",
        "page_url": page_url,
        "pay_error": pay_error,
    }
    if expo is not None:
        context = _context(expo, base_template="public/expo_base.html", **context)
    else:
        context["base_template"] = "base.html"
    response = render(
        request, "shop/order.html", context, status=pay_error["status"] if pay_error else 200
    )
    # The link is the key: no search engine, no referrer to the seller's chat.
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def order_pay(request: HttpRequest, token: str, number: str) -> HttpResponse:
    """Start (or reuse) the order's Midtrans payment ("Pay online") and go to its page."""
    try:
        checkout = checkout_for_buyer(token=token)
    except Checkout.DoesNotExist:
        raise Http404("checkout") from None
    # Only an order of this checkout: the link is the key to its orders, no others.
    found = next((item for item in checkout.orders.all() if item.number == number), None)
    if found is None:
        raise Http404("order")
    try:
        payment = gateway_payment_start(order=found)
    except GatewayPaymentError as error:
        pay_error = {"number": number, "message": error.message, "status": error.http_status}
        return order(request, token, pay_error=pay_error)
    return HttpResponseRedirect(payment.gateway_redirect_url)
