"""The booth's back office in the dashboard: product labels, closing the day, and the
flagged sales to resolve.

Labels belong to the business (/umkm/<slug>/produk/label/); the day and the flagged
sales to one booth of one expo (/umkm/<slug>/kasir/<expo>/...), found through
selectors.pos_booth like the till: anyone outside the team, or an expo without the
business's accepted venue booth, is a 404. Every change is one POST calling one
service (pos_day_close, pos_sale_resolve); a refusal comes back on the page, 400.
"""

import datetime
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gelar.catalog.models import Product
from gelar.common.templatetags.gelar_format import rupiah
from gelar.dashboard.views import _add_service_error, _exhibitor, _render
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor
from gelar.pos import labels as pos_labels
from gelar.pos import selectors
from gelar.pos.models import PosDay, PosSale
from gelar.pos.services import (
    MAX_AMOUNT,
    PosError,
    pos_day_close,
    pos_day_summary,
    pos_sale_resolve,
    sales_by_channel,
)

RESOLVED_SHOWN = 20


def _booth_or_404(request: HttpRequest, slug: str, expo_slug: str) -> tuple[Exhibitor, Expo]:
    try:
        return selectors.pos_booth(user=request.user, exhibitor_slug=slug, expo_slug=expo_slug)
    except (Exhibitor.DoesNotExist, Expo.DoesNotExist):
        raise Http404("booth") from None


# --- product labels ---


class LabelForm(forms.Form):
    products = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Products"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    layout = forms.ChoiceField(
        label=gettext_lazy("Paper"),
        choices=[
            (pos_labels.A4_SHEET, gettext_lazy("A4 sheet, 24 labels of 70 × 37 mm")),
            (pos_labels.ROLL_58, gettext_lazy("58 mm thermal roll, one label each")),
        ],
        initial=pos_labels.A4_SHEET,
        widget=forms.RadioSelect,
    )
    copies = forms.IntegerField(
        label=gettext_lazy("Copies of each label"),
        min_value=1,
        max_value=pos_labels.MAX_COPIES,
        initial=1,
    )

    def __init__(self, *args, products: list[Product], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].choices = [
            (p.pk, f"{p.name} · {rupiah(p.price)}") for p in products
        ]
        self.fields["products"].initial = [p.pk for p in products]


@login_required
def labels(request: HttpRequest, slug: str) -> HttpResponse:
    """The form (products, paper, copies); with ?cetak=1 the PDF itself."""
    business = _exhibitor(request, slug)
    products = list(Product.objects.filter(exhibitor=business, is_active=True).order_by("name"))
    if "cetak" not in request.GET:
        form = LabelForm(products=products)
        return _render(request, "pos/labels.html", business, form=form, products=products)
    form = LabelForm(request.GET, products=products)
    if form.is_valid():
        chosen = set(form.cleaned_data["products"])
        try:
            pdf = pos_labels.labels_pdf(
                products=[p for p in products if p.pk in chosen],
                layout=form.cleaned_data["layout"],
                copies=form.cleaned_data["copies"],
            )
        except pos_labels.LabelError as error:
            field = error.code if error.code in form.fields else None
            form.add_error(field, error.message)
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            name = f"label-{business.slug}-{form.cleaned_data['layout']}.pdf"
            response["Content-Disposition"] = f'inline; filename="{name}"'
            return response
    return _render(request, "pos/labels.html", business, status=400, form=form, products=products)


# --- closing the day ---


class DayCloseForm(forms.Form):
    cash_counted = forms.IntegerField(
        label=gettext_lazy("Cash counted (Rp)"),
        min_value=0,
        max_value=MAX_AMOUNT,
        help_text=gettext_lazy("All the cash in the drawer from this day's sales, in Rupiah."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _day_of(request: HttpRequest, business: Exhibitor, expo: Expo) -> datetime.date:
    """The day asked for (?tanggal=YYYY-MM-DD), else today in the expo's zone; a date
    that does not parse falls back to today rather than failing."""
    raw = request.GET.get("tanggal") or request.POST.get("tanggal") or ""
    today = timezone.localdate(timezone.now(), expo.tzinfo)
    try:
        day = datetime.date.fromisoformat(raw[:10])
    except ValueError:
        return today
    # A day of the expo (or the day around it), or a past day with sales (a till used
    # before the expo, as in the demo), never one still to come: a far date would
    # overflow in time zone arithmetic, a future one would be closed too early.
    first = expo.start_date - datetime.timedelta(days=1)
    last = min(expo.end_date + datetime.timedelta(days=1), today)
    if first <= day <= last:
        return day
    if day <= today and day in selectors.sale_dates(exhibitor=business, expo=expo):
        return day
    return today


def _days(business: Exhibitor, expo: Expo, current: datetime.date) -> list[dict]:
    """The expo's days and any other day with sales (a device clock, a late set-up)."""
    dates = {
        expo.start_date + datetime.timedelta(days=n)
        for n in range((expo.end_date - expo.start_date).days + 1)
    }
    dates |= selectors.sale_dates(exhibitor=business, expo=expo)
    dates.add(current)
    closed = set(
        PosDay.objects.filter(exhibitor=business, expo=expo).values_list("date", flat=True)
    )
    return [
        {"date": d, "closed": d in closed, "current": d == current, "query": d.isoformat()}
        for d in sorted(dates)
    ]


def _day_sales(business: Exhibitor, expo: Expo, date: datetime.date):
    start = datetime.datetime.combine(date, datetime.time.min, tzinfo=expo.tzinfo)
    return (
        PosSale.objects.filter(
            exhibitor=business,
            expo=expo,
            sold_at__gte=start,
            sold_at__lt=start + datetime.timedelta(days=1),
        )
        .select_related("staff")
        .prefetch_related("lines")
        .order_by("sold_at", "pk")
    )


def _day_page(request, business, expo, date, *, form=None, status=200) -> HttpResponse:
    summary = pos_day_summary(exhibitor=business, expo=expo, date=date)
    return _render(
        request,
        "pos/day.html",
        business,
        status=status,
        expo=expo,
        zone=expo.time_zone,
        summary=summary,
        closed=summary["closed"],
        methods=list(summary["by_method"].values()),
        sales=list(_day_sales(business, expo, date)),
        days=_days(business, expo, date),
        channels=sales_by_channel(expo=expo, exhibitor=business),
        flagged_total=PosSale.objects.filter(
            exhibitor=business, expo=expo, status=PosSale.Status.FLAGGED
        ).count(),
        form=form or DayCloseForm(initial={"cash_counted": summary["cash_expected"]}),
    )


@login_required
def day(request: HttpRequest, slug: str, expo_slug: str) -> HttpResponse:
    business, expo = _booth_or_404(request, slug, expo_slug)
    date = _day_of(request, business, expo)
    if request.method == "GET":
        return _day_page(request, business, expo, date)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    form = DayCloseForm(request.POST)
    if form.is_valid():
        try:
            closed = pos_day_close(
                exhibitor=business,
                expo=expo,
                date=date,
                actor=request.user,
                cash_counted=form.cleaned_data["cash_counted"],
                note=form.cleaned_data["note"],
            )
        except PosError as error:
            _add_service_error(form, error)
        else:
            if closed.difference == 0:
                messages.success(request, _("The day is closed: the cash adds up."))
            else:
                messages.warning(
                    request,
                    _("The day is closed with a difference of %(amount)s.")
                    % {"amount": rupiah(closed.difference)},
                )
            url = reverse("dashboard:pos_day", args=[business.slug, expo.slug])
            return redirect(f"{url}?tanggal={date.isoformat()}")
    return _day_page(request, business, expo, date, form=form, status=400)


# --- flagged sales ---


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What was done"),
        max_length=500,
        help_text=gettext_lazy("E.g. restocked from the store room, or the buyer was refunded."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _flagged_page(request, business, expo, *, errors=None, status=200) -> HttpResponse:
    sales = PosSale.objects.filter(exhibitor=business, expo=expo).prefetch_related("lines")
    flagged = list(sales.filter(status=PosSale.Status.FLAGGED).order_by("sold_at", "pk"))
    errors = errors or {}
    for sale in flagged:
        sale.form = errors.get(sale.pk) or ResolveForm(prefix=f"s{sale.pk}")
    resolved = list(
        sales.filter(status=PosSale.Status.RESOLVED)
        .select_related("resolved_by")
        .order_by("-resolved_at", "-pk")[:RESOLVED_SHOWN]
    )
    return _render(
        request,
        "pos/flagged.html",
        business,
        status=status,
        expo=expo,
        zone=expo.time_zone,
        flagged=flagged,
        resolved=resolved,
    )


@login_required
def flagged(request: HttpRequest, slug: str, expo_slug: str) -> HttpResponse:
    business, expo = _booth_or_404(request, slug, expo_slug)
    return _flagged_page(request, business, expo)


@login_required
def sale_resolve(request: HttpRequest, slug: str, expo_slug: str, number: str) -> HttpResponse:
    business, expo = _booth_or_404(request, slug, expo_slug)
    # A sale number is "K<digits>-<digits>": anything else (a NUL byte) is not looked up.
    sale = (
        PosSale.objects.filter(exhibitor=business, expo=expo, number=number).first()
        if re.fullmatch(r"K\d{1,12}-\d{1,12}", number)
        else None
    )
    if sale is None:
        raise Http404("sale")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ResolveForm(request.POST, prefix=f"s{sale.pk}")
    if form.is_valid():
        try:
            pos_sale_resolve(sale=sale, actor=request.user, note=form.cleaned_data["note"])
        except PosError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Sale %(number)s is resolved.") % {"number": sale.number})
        return redirect("dashboard:pos_flagged", business.slug, expo.slug)
    return _flagged_page(request, business, expo, errors={sale.pk: form}, status=400)
