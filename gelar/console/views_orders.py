"""The organizer's orders of an expo (/console/<expo>/orders/): list, one order, CSV.

Issue 4: a bank transfer goes straight to the exhibitor's account and is confirmed
by the exhibitor or by the organizer; the organizer also cancels and records
refunds. The expo comes from expo_for_member (admin and staff of its organizer;
host, gate and everyone else get a 404 and change nothing), and the order from
that expo's orders only. Each action is one POST calling one service; a refusal
comes back on the re-rendered order as the typed error's message: 400 when it is
about what was typed, 409 when it is about the order's state.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gelar.console import exports_orders
from gelar.console import forms_orders as forms
from gelar.events.access import expo_for_member
from gelar.events.models import Expo
from gelar.orders import selectors
from gelar.orders import services as orders
from gelar.orders.models import Order
from gelar.payments import selectors as payments
from gelar.payments.services import (
    RefundInvalid,
    payment_confirm,
    payment_instructions,
)
from gelar.payments.views_refund import refund_from_form

PAGE_SIZE = 25
Status = Order.Status
Method = Order.PaymentMethod


def _expo_or_404(request: HttpRequest, slug: str) -> Expo:
    try:
        return expo_for_member(user=request.user, expo_slug=slug)
    except Expo.DoesNotExist:
        raise Http404("expo") from None


def _order_or_404(expo: Expo, number: str) -> Order:
    try:
        return selectors.order_for_expo(expo=expo, number=number)
    except Order.DoesNotExist:
        raise Http404("order") from None


def _filter_form(request: HttpRequest, expo: Expo) -> forms.OrderFilterForm:
    exhibitors = selectors.expo_order_exhibitors(expo=expo)
    return forms.OrderFilterForm(request.GET, exhibitors=exhibitors)


def _query(*, group: str, method: str, exhibitor_id: int | None, query: str) -> str:
    params = {"status": group, "method": method, "exhibitor": exhibitor_id or "", "q": query}
    return urlencode({name: value for name, value in params.items() if value})


# --- the list ---


@login_required
def orders_list(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    form = _filter_form(request, expo)
    filters = form.filters()
    counts = selectors.expo_order_counts(
        expo=expo,
        method=filters["method"],
        exhibitor_id=filters["exhibitor_id"],
        query=filters["query"],
    )
    tabs = [
        {
            "label": label,
            "count": counts[group],
            "current": group == filters["group"],
            "query": _query(**{**filters, "group": group}),
        }
        for group, label in [("", gettext_lazy("All")), *forms.GROUP_LABELS.items()]
    ]
    # The organizer's most frequent errand: transfers waiting for someone to match them.
    awaiting = {**filters, "group": "awaiting_payment", "method": Method.TRANSFER.value}
    page = Paginator(selectors.orders_for_expo(expo=expo, **filters), PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    base_query = _query(**filters)
    return render(
        request,
        "console/orders.html",
        {
            "expo": expo,
            "form": form,
            "filters": filters,
            "tabs": tabs,
            "awaiting_transfer": {
                "count": counts["awaiting_transfer"],
                "current": filters == awaiting,
                "query": _query(**awaiting),
            },
            "page": page,
            "base_query": base_query,
            "filtered": bool(base_query),
        },
    )


# --- the CSV ---


@login_required
def orders_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The orders under the list's filters, as CSV."""
    expo = _expo_or_404(request, slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    filters = _filter_form(request, expo).filters()
    response = HttpResponse(
        exports_orders.as_csv(expo=expo, **filters), content_type=exports_orders.CSV_CONTENT_TYPE
    )
    name = exports_orders.filename(expo=expo, today=timezone.localdate(timezone=expo.tzinfo))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Buyers' personal data: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


# --- one order ---


def _order_page(
    request: HttpRequest,
    expo: Expo,
    order: Order,
    *,
    status: int = 200,
    confirm_form=None,
    cancel_form=None,
    refund_form=None,
) -> HttpResponse:
    next_statuses = selectors.order_next_statuses(order=order)
    money = payments.order_money(order)
    return render(
        request,
        "console/orders_detail.html",
        {
            "expo": expo,
            "order": order,
            "zone": expo.time_zone,
            "lines": list(order.lines.all()),
            # What to match when the money arrives; only while it is awaited.
            "instructions": payment_instructions(order=order)
            if orders.order_awaits_payment(order)
            else None,
            "payments": list(order.payments.select_related("confirmed_by")),
            "refunds": list(order.refunds.select_related("recorded_by")),
            "paid_amount": money.paid,
            "refunded_amount": money.refunded,
            "refund_due": money.due,
            "history": list(selectors.order_history(order=order)),
            # A cash order ready for pick-up is paid at the hand-over.
            "can_confirm": orders.order_awaits_payment(order),
            "can_cancel": Status.CANCELLED in next_statuses,
            "can_refund": money.refundable > 0,
            "confirm_form": confirm_form or forms.PaymentConfirmForm(),
            "cancel_form": cancel_form or forms.CancelForm(),
            "refund_form": refund_form or forms.RefundForm(),
        },
        status=status,
    )


@login_required
def order_detail(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    order = _order_or_404(expo, number)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _order_page(request, expo, order)


def _action(request: HttpRequest, slug: str, number: str, form_class, form_name: str, act):
    """Parse the POST and call the service (`act(order, cleaned_data)` -> success message),
    then redirect; or re-render the order with the form and the refusal, nothing changed."""
    expo = _expo_or_404(request, slug)
    order = _order_or_404(expo, number)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = form_class(request.POST)
    if not form.is_valid():
        return _order_page(request, expo, order, status=400, **{form_name: form})
    try:
        message = act(order, form.cleaned_data)
    except (orders.OrderError, RefundInvalid) as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, ValidationError(error.message, code=error.code or None))
        # Someone may have moved the order meanwhile: show it as it is now.
        order = _order_or_404(expo, number)
        status = 400 if field else 409
        return _order_page(request, expo, order, status=status, **{form_name: form})
    messages.success(request, message)
    return redirect("console:order", expo.slug, order.number)


@login_required
def order_confirm_payment(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    def act(order, data):
        payment_confirm(order=order, actor=request.user, amount=data["amount"])
        return _("Payment for order %(number)s is confirmed.") % {"number": order.number}

    return _action(request, slug, number, forms.PaymentConfirmForm, "confirm_form", act)


@login_required
def order_cancel(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    def act(order, data):
        orders.order_cancel(order=order, actor=request.user, reason=data["reason"])
        return _("Order %(number)s is cancelled; its stock is back on sale.") % {
            "number": order.number
        }

    return _action(request, slug, number, forms.CancelForm, "cancel_form", act)


@login_required
def order_refund(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    return _action(
        request, slug, number, forms.RefundForm, "refund_form", partial(refund_from_form, request)
    )
