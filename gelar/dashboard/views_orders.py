"""The exhibitor's orders (/umkm/<slug>/pesanan/): list, one order, its packing slip.

Like every dashboard page, the business comes from exhibitor_for_member (404 for
anyone outside its team), and the order from that business's orders only: the
number of another booth's order -- even one from the same checkout -- is a 404.
The buyer's contact and address are personal data; only the team sees them here.
Each action is one POST calling one service; a rule's refusal (an expired order,
a wrong amount) comes back as the typed error's message on the re-rendered page.
"""

from functools import partial
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gelar.common.templatetags.gelar_format import rupiah
from gelar.dashboard import forms_orders as forms
from gelar.dashboard.views import _add_service_error, _exhibitor, _render
from gelar.exhibitors.models import Exhibitor
from gelar.orders import selectors
from gelar.orders import services as orders
from gelar.orders.models import Order
from gelar.payments import selectors as payments
from gelar.payments.models import Refund
from gelar.payments.services import (
    RefundInvalid,
    payment_confirm,
    payment_instructions,
)
from gelar.payments.views_refund import refund_from_form

PAGE_SIZE = 25
Status = Order.Status

TABS = [
    ("", gettext_lazy("All")),
    ("awaiting_payment", Status.AWAITING_PAYMENT.label),
    ("paid", Status.PAID.label),
    ("processing", Status.PROCESSING.label),
    ("sent", gettext_lazy("Shipped or ready")),
    ("completed", Status.COMPLETED.label),
    ("closed", gettext_lazy("Cancelled or expired")),
]


def _zone(order: Order) -> str:
    return order.expo.time_zone if order.expo_id else settings.TIME_ZONE


def _order_or_404(business: Exhibitor, number: str) -> Order:
    try:
        return selectors.order_for_exhibitor(exhibitor=business, number=number)
    except Order.DoesNotExist:
        raise Http404("order") from None


# --- the list ---


@login_required
def orders_list(request: HttpRequest, slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    filter_form = forms.OrderFilterForm(request.GET)
    filters = filter_form.filters()
    if filters["group"] not in selectors.STATUS_GROUPS:
        filters["group"] = ""
    counts = selectors.order_group_counts(
        exhibitor=business, expo_id=filters["expo_id"], query=filters["query"]
    )
    page = Paginator(selectors.orders_for_exhibitor(exhibitor=business, **filters), PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    for order in page.object_list:
        order.zone = _zone(order)
    # The tabs keep the expo and the search; the pager keeps the tab as well.
    kept = {
        key: value
        for key, value in (("expo", filters["expo_id"]), ("q", filters["query"]))
        if value
    }
    tabs = [
        {
            "label": label,
            "count": counts[group],
            "current": group == filters["group"],
            "query": urlencode({**({"status": group} if group else {}), **kept}),
        }
        for group, label in TABS
    ]
    return _render(
        request,
        "dashboard/orders.html",
        business,
        page=page,
        tabs=tabs,
        filter_form=filter_form,
        filters=filters,
        expos=list(selectors.order_expos_of(exhibitor=business)),
        base_query=urlencode(
            {**({"status": filters["group"]} if filters["group"] else {}), **kept}
        ),
        now=timezone.now(),
    )


# --- one order ---


def _whatsapp_url(order: Order, business: Exhibitor) -> str:
    # The buyer's language is not stored: the message is in the site's language
    # (Indonesian), whatever language the exhibitor reads the dashboard in.
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Hello %(name)s, this is %(business)s about your order %(number)s on Gelar.") % {
            "name": order.checkout.buyer_name,
            "business": business.name,
            "number": order.number,
        }
    return f"https://wa.me/{order.checkout.buyer_whatsapp}?text={quote(text, safe='')}"


def _order_page(
    request: HttpRequest,
    business: Exhibitor,
    order: Order,
    *,
    confirm_form=None,
    status_form=None,
    cancel_form=None,
    refund_form=None,
) -> HttpResponse:
    next_statuses = selectors.order_next_statuses(order=order)
    order.zone = _zone(order)
    money = payments.order_money(order)
    return _render(
        request,
        "dashboard/orders_detail.html",
        business,
        order=order,
        lines=list(order.lines.all()),
        # What to match when the money arrives; only while it is awaited.
        instructions=payment_instructions(order=order)
        if orders.order_awaits_payment(order)
        else None,
        history=list(selectors.order_history(order=order)),
        whatsapp_url=_whatsapp_url(order, business),
        # A cash order ready for pick-up is paid at the hand-over.
        can_confirm=orders.order_awaits_payment(order),
        can_process=Status.PROCESSING in next_statuses,
        can_ship=Status.SHIPPED in next_statuses,
        can_ready=Status.READY_FOR_PICKUP in next_statuses,
        can_complete=Status.COMPLETED in next_statuses,
        can_cancel=Status.CANCELLED in next_statuses,
        confirm_form=confirm_form or forms.PaymentConfirmForm(),
        status_form=status_form or forms.StatusForm(initial={"status": Status.SHIPPED}),
        cancel_form=cancel_form or forms.CancelForm(),
        paid_amount=money.paid,
        refunded_amount=money.refunded,
        refund_left=money.refundable,
        refund_owed=money.due,
        refunds=list(order.refunds.select_related("recorded_by")),
        refund_form=refund_form
        or forms.RefundForm(
            initial={
                "amount": money.refundable or "",
                "method": order.payment_method
                if order.payment_method in Refund.Method.values
                else Refund.Method.TRANSFER,
            }
        ),
        now=timezone.now(),
    )


@login_required
def order_detail(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    return _order_page(request, business, _order_or_404(business, number))


def _action(request: HttpRequest, slug: str, number: str, form_class, form_name: str, act):
    """Parse the POST, call the service (`act(order, cleaned_data)` -> success message),
    then redirect; or re-render the order with the form and the refusal, nothing changed."""
    business = _exhibitor(request, slug)
    order = _order_or_404(business, number)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = act(order, form.cleaned_data)
        except (orders.OrderError, RefundInvalid) as error:
            _add_service_error(form, error)
            # Someone may have moved the order meanwhile: show it as it is now.
            order = _order_or_404(business, number)
        else:
            messages.success(request, message)
            return redirect("dashboard:order", business.slug, order.number)
    return _order_page(request, business, order, **{form_name: form})


@login_required
def order_confirm_payment(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    def act(order, data):
        payment_confirm(order=order, actor=request.user, amount=data["amount"])
        return _("Payment for order %(number)s is confirmed.") % {"number": order.number}

    return _action(request, slug, number, forms.PaymentConfirmForm, "confirm_form", act)


@login_required
def order_status(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    def act(order, data):
        order = orders.order_set_status(
            order=order,
            actor=request.user,
            status=data["status"],
            tracking_number=data["tracking_text"],
        )
        return _("Order %(number)s is now: %(status)s.") % {
            "number": order.number,
            "status": order.get_status_display(),
        }

    return _action(request, slug, number, forms.StatusForm, "status_form", act)


@login_required
def order_cancel(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    def act(order, data):
        order = orders.order_cancel(order=order, actor=request.user, reason=data["reason"])
        message = _("Order %(number)s is cancelled; its stock is back on sale.") % {
            "number": order.number
        }
        owed = payments.refund_due(order)
        if owed:
            message += " " + _(
                "The buyer had paid: a refund of %(amount)s is owed. Record it once paid back."
            ) % {"amount": rupiah(owed)}
        return message

    return _action(request, slug, number, forms.CancelForm, "cancel_form", act)


@login_required
def order_refund(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    return _action(
        request, slug, number, forms.RefundForm, "refund_form", partial(refund_from_form, request)
    )


# --- the packing slip ---


def _qr_svg(text: str) -> str:
    """The text as an inline <svg> QR code, sized by CSS.

    ElementTree escapes the one attribute holding text, so the page may output it |safe.
    """
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    svg = image.get_image()
    for attribute in ("width", "height"):
        svg.attrib.pop(attribute, None)
    svg.set("role", "img")
    svg.set("shape-rendering", "crispEdges")
    image.path.attrib.pop("id", None)
    svg.set("aria-label", _("Order number %(number)s as a QR code") % {"number": text})
    return image.to_string(encoding="unicode")


@login_required
def order_slip(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    order = _order_or_404(business, number)
    order.zone = _zone(order)
    lines = list(order.lines.all())
    return _render(
        request,
        "dashboard/orders_slip.html",
        business,
        order=order,
        lines=lines,
        item_count=sum(line.quantity for line in lines),
        qr_svg=_qr_svg(order.number),
        # A6 by default; "58mm" for a receipt printer (a named @page in the CSS).
        paper="58mm" if request.GET.get("paper") == "58mm" else "a6",
    )
