"""The exhibitor's bulk inquiries (/umkm/<slug>/permintaan/) and own report of an expo
(/umkm/<slug>/laporan/<expo_slug>/hasil/).

Like every dashboard page, the business comes from exhibitor_for_member (404 for anyone
outside its team), and an inquiry from that business's inquiries only. Each action is
one POST calling one service; a refusal comes back as the form's error with a 4xx,
nothing changed.
"""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gelar.dashboard import forms_reports as forms
from gelar.dashboard.views import _add_service_error, _exhibitor, _render
from gelar.exhibitors.models import Exhibitor, Participation
from gelar.reports import selectors_exhibitor as selectors
from gelar.reports import services
from gelar.reports.models import Inquiry

PAGE_SIZE = 25
Status = Inquiry.Status

TABS = [("", gettext_lazy("All"))] + list(Status.choices)


def _inquiry_or_404(business: Exhibitor, pk: int) -> Inquiry:
    try:
        return selectors.inquiry_for_exhibitor(exhibitor=business, pk=pk)
    except Inquiry.DoesNotExist:
        raise Http404("inquiry") from None


# --- the list ---


@login_required
def inquiries_list(request: HttpRequest, slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    status = forms.InquiryFilterForm(request.GET).status_value()
    counts = selectors.inquiry_counts(exhibitor=business)
    page = Paginator(
        selectors.inquiries_for_exhibitor(exhibitor=business, status=status), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    tabs = [
        {
            "label": label,
            "count": counts[value],
            "current": value == status,
            "query": urlencode({"status": value} if value else {}),
        }
        for value, label in TABS
    ]
    return _render(
        request,
        "dashboard/inquiries.html",
        business,
        page=page,
        tabs=tabs,
        current_status=status,
        base_query=urlencode({"status": status} if status else {}),
    )


# --- one inquiry ---


def _whatsapp_url(inquiry: Inquiry, business: Exhibitor) -> str:
    # The buyer's language is not stored: the message is in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Hello %(name)s, this is %(business)s about your bulk inquiry at %(expo)s on Gelar."
        ) % {"name": inquiry.buyer_name, "business": business.name, "expo": inquiry.expo.name}
    return f"https://wa.me/{inquiry.buyer_whatsapp}?text={quote(text, safe='')}"


def _inquiry_page(
    request: HttpRequest,
    business: Exhibitor,
    inquiry: Inquiry,
    *,
    answer_form=None,
    mark_form=None,
    status: int = 200,
) -> HttpResponse:
    targets = services.inquiry_targets(inquiry)
    return _render(
        request,
        "dashboard/inquiry_detail.html",
        business,
        status=status,
        inquiry=inquiry,
        zone=inquiry.expo.time_zone,
        whatsapp_url=_whatsapp_url(inquiry, business),
        answer_form=answer_form or forms.InquiryAnswerForm(initial={"answer": inquiry.answer}),
        mark_form=mark_form
        or forms.InquiryMarkForm(
            targets=targets,
            initial={
                "value": inquiry.won_value or inquiry.quoted_value or "",
                "reason": inquiry.lost_reason,
            },
        ),
        can_mark=bool(targets),
    )


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    business = _exhibitor(request, slug)
    inquiry = _inquiry_or_404(business, pk)
    if request.method == "GET":
        return _inquiry_page(request, business, inquiry)
    action = request.POST.get("action")
    if action == "answer":
        form = forms.InquiryAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.inquiry_answer(
                    inquiry=inquiry, actor=request.user, answer=form.cleaned_data["answer"]
                )
            except services.InquiryError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("Your answer is saved; the buyer can read it now."))
                return redirect("dashboard:inquiry", business.slug, inquiry.pk)
        return _inquiry_page(request, business, inquiry, answer_form=form, status=400)
    if action == "mark":
        form = forms.InquiryMarkForm(request.POST, targets=services.inquiry_targets(inquiry))
        if form.is_valid():
            data = form.cleaned_data
            try:
                inquiry = services.inquiry_mark(
                    inquiry=inquiry,
                    actor=request.user,
                    status=data["status"],
                    value=data["value"],
                    reason=data["reason"],
                )
            except services.InquiryError as error:
                _add_service_error(form, error)
                # Someone may have moved it meanwhile: show it as it is now.
                inquiry = _inquiry_or_404(business, pk)
            else:
                messages.success(
                    request,
                    _("The inquiry is now: %(status)s.") % {"status": inquiry.get_status_display()},
                )
                return redirect("dashboard:inquiry", business.slug, inquiry.pk)
        return _inquiry_page(request, business, inquiry, mark_form=form, status=400)
    return _inquiry_page(request, business, inquiry, status=400)


# --- the exhibitor's own report of an expo ---


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, slug: str, expo_slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    try:
        participation = selectors.accepted_participation(exhibitor=business, expo_slug=expo_slug)
    except Participation.DoesNotExist:
        raise Http404("participation") from None
    expo = participation.expo
    current = selectors.outcome_of(expo=expo, exhibitor=business)
    can_report = services.outcome_can_report(expo=expo, now=timezone.now())
    status = 200
    if request.method == "POST":
        form = forms.OutcomeForm(request.POST)
        status = 400
        if not can_report:
            form.is_valid()
            form.add_error(None, _("You can report once the expo has started."))
        elif form.is_valid():
            try:
                services.outcome_save(
                    expo=expo, exhibitor=business, actor=request.user, **form.outcome_fields()
                )
            except services.OutcomeError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("Your report of the expo is saved. Thank you."))
                return redirect("dashboard:outcome", business.slug, expo.slug)
    elif current is not None:
        # Every field of the form is a field of the Outcome, by the same name.
        form = forms.OutcomeForm(
            initial={name: getattr(current, name) for name in forms.OutcomeForm.base_fields}
        )
    else:
        form = forms.OutcomeForm(
            initial={"licences": selectors.licences_on_file(exhibitor=business)}
        )
    return _render(
        request,
        "dashboard/outcome.html",
        business,
        status=status,
        expo=expo,
        participation=participation,
        outcome=current,
        can_report=can_report,
        form=form,
    )
